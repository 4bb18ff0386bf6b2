import ArgumentParser
import Foundation
import Policy

/// `grpo-lambda tokenize --tokenizer FILE [--decode]`: token ids from a shell, one line at a time.
///
/// Encoding reads text lines on stdin and writes one JSON array of ids per line (the newline ending each line
/// is not part of its text; special tokens written in the text are matched). `--decode` reads one JSON array
/// of ids per line and writes each text as a JSON string. `--tokenizer builtin` is the built-in character
/// tokenizer.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Encode text lines to JSON arrays of token ids, or decode them back (--decode).",
        discussion: """
            Encoding: each stdin line (without its newline) becomes one line `[id, id, ...]` on stdout. \
            Decoding: each stdin line `[id, ...]` becomes one JSON string on stdout. \
            TOKENIZER is a tokenizer.json, a model directory containing one (tokenizer_config.json beside it \
            is read too), or `builtin` for the built-in character tokenizer.
            """)

    @Option(name: .long, help: "tokenizer.json, a model directory, or 'builtin'.")
    var tokenizer: String

    @Flag(name: .long, help: "Read JSON arrays of ids and write the decoded texts as JSON strings.")
    var decode = false

    @Flag(name: .long, help: "With --decode, drop special tokens from the text.")
    var skipSpecialTokens = false

    @Flag(name: .long, help: "When encoding, add the tokenizer's template tokens (e.g. a BOS) as Hugging Face's add_special_tokens=True does.")
    var addSpecialTokens = false

    /// A stdin line that is not a JSON array of integer ids (1-based line number).
    struct InputError: Error, CustomStringConvertible {
        let line: Int
        let reason: String
        var description: String { "stdin line \(line): \(reason)" }
    }

    func run() throws {
        let loaded: any Tokenizer
        var templated: BPETokenizer?
        if tokenizer == "builtin" {
            loaded = CharTokenizer.builtin
        } else {
            let bpe = try BPETokenizer(url: URL(fileURLWithPath: tokenizer))
            loaded = bpe
            templated = bpe
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var output = ""
        var number = 0
        while let line = readLine(strippingNewline: true) {
            number += 1
            if decode {
                let ids: [Int32]
                do {
                    ids = try JSONDecoder().decode([Int32].self, from: Data(line.utf8))
                } catch {
                    throw InputError(line: number, reason: "expected a JSON array of token ids")
                }
                let text = loaded.decode(ids, skipSpecialTokens: skipSpecialTokens)
                output += String(decoding: try encoder.encode(text), as: UTF8.self)
            } else {
                let ids = addSpecialTokens && templated != nil
                    ? templated!.encode(line, addSpecialTokens: true) : loaded.encode(line)
                output += "[" + ids.map(String.init).joined(separator: ",") + "]"
            }
            output += "\n"
            if output.utf8.count >= 1 << 16 {
                FileHandle.standardOutput.write(Data(output.utf8))
                output = ""
            }
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}
