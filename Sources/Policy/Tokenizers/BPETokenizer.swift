import Foundation

/// A byte-level BPE tokenizer loaded from a Hugging Face `tokenizer.json` (GPT-2, Qwen2, Llama-3 style).
///
/// Encoding follows Hugging Face `tokenizers` step for step, with `add_special_tokens=False` unless asked:
/// added tokens that match the raw text are cut out first; the rest is normalized (NFC where the file says
/// so), searched again for added tokens marked `normalized`, split by the pre-tokenizer (hand-written scanners
/// for the known split regexes, see `PreTokenizerPattern`), and each piece's UTF-8 bytes are merged by rank
/// (`BPEModel`). Results per piece are memoised in a bounded cache shared by all callers.
/// Decoding maps each id back to its bytes (the ByteLevel decoder) and reads them as UTF-8.
///
/// ```swift
/// let tokenizer = try BPETokenizer(url: modelDirectory)   // tokenizer.json (+ tokenizer_config.json)
/// let ids = tokenizer.encode("<|im_start|>user\nWhat is 2+2?<|im_end|>")
/// let text = tokenizer.decode(ids)
/// ```
public final class BPETokenizer: Tokenizer {
    /// One past the largest id in the vocabulary or the added tokens.
    public let vocabSize: Int
    /// bos/eos/pad/unk as tokenizer_config.json names them; unk also from the model's `unk_token`.
    public let specialTokens: SpecialTokenIDs
    /// The added tokens in file order.
    public let addedTokens: [AddedToken]
    /// The default chat template (Jinja source) from tokenizer_config.json or chat_template.jinja, if any.
    public let chatTemplate: String?
    /// Every named chat template (`"default"` for the one in `chatTemplate`).
    public let chatTemplates: [String: String]
    /// Ids the post-processor (TemplateProcessing `single`) puts before and after a sequence when special
    /// tokens are added, e.g. Llama-3's `<|begin_of_text|>`; empty when it adds none.
    public let templatePrefix: [Int32]
    /// Ids the post-processor puts after a sequence when special tokens are added; see `templatePrefix`.
    public let templateSuffix: [Int32]

    let model: BPEModel
    let normalizesNFC: Bool
    let steps: [PreTokenizerStep]
    let rawMatcher: AddedTokenMatcher
    let normalizedMatcher: AddedTokenMatcher
    /// Decoded bytes of every id: `tokenBytes[tokenOffsets[id]..<tokenOffsets[id + 1]]`.
    let tokenOffsets: [Int32]
    let tokenBytes: [UInt8]
    /// Per id: 0 unassigned, 1 vocabulary entry in the byte alphabet, 2 other vocabulary entry, 3 added token.
    let idKinds: [UInt8]
    let specialIDs: Set<Int32>
    /// Spellings outside the byte alphabet (added tokens, odd vocabulary entries) → id.
    let idByLiteral: [String: Int32]
    /// Vocabulary entries outside the byte alphabet, by id.
    let literalByID: [Int32: String]
    let cache = WordCache()
    let classTable = ScalarClass.basicPlane

    /// One step of the pre-tokenizer: a split by pattern, or the ByteLevel step (optionally with a leading
    /// space and GPT-2's split).
    enum PreTokenizerStep: Sendable, Equatable {
        case split(PreTokenizerPattern)
        case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    }

    init(parts: Parts) {
        vocabSize = parts.vocabSize
        specialTokens = parts.specialTokens
        addedTokens = parts.addedTokens
        chatTemplate = parts.chatTemplates["default"]
        chatTemplates = parts.chatTemplates
        templatePrefix = parts.templatePrefix
        templateSuffix = parts.templateSuffix
        model = parts.model
        normalizesNFC = parts.normalizesNFC
        steps = parts.steps
        rawMatcher = AddedTokenMatcher(parts.addedTokens.filter { !$0.normalized })
        // Normalized added tokens are matched by their normalized spelling, as Hugging Face builds that trie.
        normalizedMatcher = AddedTokenMatcher(parts.addedTokens.filter(\.normalized).map { token in
            var token = token
            if parts.normalizesNFC { token.content = token.content.precomposedStringWithCanonicalMapping }
            return token
        })
        tokenOffsets = parts.tokenOffsets
        tokenBytes = parts.tokenBytes
        idKinds = parts.idKinds
        specialIDs = parts.specialIDs
        idByLiteral = parts.idByLiteral
        literalByID = parts.literalByID
    }

    /// Everything `init(parts:)` needs, assembled by the loader.
    struct Parts {
        var vocabSize = 0
        var specialTokens = SpecialTokenIDs()
        var addedTokens: [AddedToken] = []
        var chatTemplates: [String: String] = [:]
        var templatePrefix: [Int32] = []
        var templateSuffix: [Int32] = []
        var model: BPEModel
        var normalizesNFC = false
        var steps: [PreTokenizerStep] = []
        var tokenOffsets: [Int32] = []
        var tokenBytes: [UInt8] = []
        var idKinds: [UInt8] = []
        var specialIDs: Set<Int32> = []
        var idByLiteral: [String: Int32] = [:]
        var literalByID: [Int32: String] = [:]
    }

    // MARK: encoding

    /// The ids of `text` with added/special tokens matched in it and nothing added (`add_special_tokens=False`).
    public func encode(_ text: String) -> [Int32] {
        var text = text
        return text.withUTF8 { bytes in
            var state = EncodeState()
            state.output.reserveCapacity(bytes.count / 3 + 4)
            encodeRaw(bytes, state: &state)
            flush(&state)
            return state.output
        }
    }

    /// The ids of `text`; with `addSpecialTokens` the post-processor's template is applied around them
    /// (`templatePrefix` + ids + `templateSuffix`), as `encode(text, add_special_tokens=True)` does.
    public func encode(_ text: String, addSpecialTokens: Bool) -> [Int32] {
        let ids = encode(text)
        return addSpecialTokens ? templatePrefix + ids + templateSuffix : ids
    }

    /// Words collected for one locked pass over the cache, and the output so far.
    struct EncodeState {
        var output: [Int32] = []
        var words: [UInt8] = []
        var wordEnds: [Int] = []
        var scratch = BPEModel.Scratch()
    }

    private static let wordsPerBatch = 2048

    private func encodeRaw(_ bytes: UnsafeBufferPointer<UInt8>, state: inout EncodeState) {
        splitAddedTokens(rawMatcher, bytes, state: &state) { encodeSegment($0, state: &$1) }
    }

    /// Emits the added tokens `matcher` finds in `bytes` and hands the text between them to `text`.
    private func splitAddedTokens(_ matcher: AddedTokenMatcher, _ bytes: UnsafeBufferPointer<UInt8>,
                                  state: inout EncodeState,
                                  text: (UnsafeBufferPointer<UInt8>, inout EncodeState) -> Void) {
        matcher.split(bytes) { piece in
            switch piece {
            case .token(let id):
                flush(&state)
                state.output.append(id)
            case .text(let range):
                text(UnsafeBufferPointer(rebasing: bytes[range]), &state)
            }
        }
    }

    /// Normalizes one stretch of text between raw added tokens, then splits out normalized added tokens.
    private func encodeSegment(_ bytes: UnsafeBufferPointer<UInt8>, state: inout EncodeState) {
        if normalizesNFC, let normalized = Self.nfc(bytes) {
            normalized.withUnsafeBufferPointer { splitNormalized($0, state: &state) }
        } else {
            splitNormalized(bytes, state: &state)
        }
    }

    /// The NFC form of `bytes`, or nil when they are already NFC by a quick check.
    ///
    /// Only scalars from U+0300 on (lead byte ≥ 0xCC) can change under NFC, and text can be cut wherever two
    /// ASCII bytes meet: the first cannot take a following mark and the second cannot compose with what
    /// precedes it. So only the chunks between such cuts that hold a high byte go through Foundation.
    static func nfc(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard var high = bytes.firstIndex(where: { $0 >= 0xCC }) else { return nil }
        func isCut(_ index: Int) -> Bool {
            index == 0 || index == bytes.count || (bytes[index - 1] < 0x80 && bytes[index] < 0x80)
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 16)
        var copied = 0
        while true {
            var chunkStart = high
            while !isCut(chunkStart) { chunkStart -= 1 }
            chunkStart = max(chunkStart, copied)
            var chunkEnd = high + 1
            while !isCut(chunkEnd) { chunkEnd += 1 }
            output.append(contentsOf: bytes[copied..<chunkStart])
            let chunk = String(decoding: UnsafeBufferPointer(rebasing: bytes[chunkStart..<chunkEnd]), as: UTF8.self)
            output.append(contentsOf: chunk.precomposedStringWithCanonicalMapping.utf8)
            copied = chunkEnd
            guard let next = bytes[copied...].firstIndex(where: { $0 >= 0xCC }) else { break }
            high = next
        }
        output.append(contentsOf: bytes[copied...])
        return output
    }

    private func splitNormalized(_ bytes: UnsafeBufferPointer<UInt8>, state: inout EncodeState) {
        splitAddedTokens(normalizedMatcher, bytes, state: &state) { preTokenize($0, step: 0, state: &$1) }
    }

    private func preTokenize(_ bytes: UnsafeBufferPointer<UInt8>, step: Int, state: inout EncodeState) {
        guard step < steps.count else {
            addWord(bytes, state: &state)
            return
        }
        switch steps[step] {
        case .split(let pattern):
            pattern.forEachPiece(in: bytes, classes: classTable) { range in
                preTokenize(UnsafeBufferPointer(rebasing: bytes[range]), step: step + 1, state: &state)
            }
        case let .byteLevel(addPrefixSpace, useRegex):
            if addPrefixSpace, bytes.first != 0x20 {
                let spaced = [0x20] + Array(bytes)
                spaced.withUnsafeBufferPointer { byteLevel($0, useRegex: useRegex, step: step, state: &state) }
            } else {
                byteLevel(bytes, useRegex: useRegex, step: step, state: &state)
            }
        }
    }

    private func byteLevel(_ bytes: UnsafeBufferPointer<UInt8>, useRegex: Bool, step: Int, state: inout EncodeState) {
        if useRegex {
            PreTokenizerPattern.gpt2.forEachPiece(in: bytes, classes: classTable) { range in
                preTokenize(UnsafeBufferPointer(rebasing: bytes[range]), step: step + 1, state: &state)
            }
        } else {
            preTokenize(bytes, step: step + 1, state: &state)
        }
    }

    @inline(__always)
    private func addWord(_ bytes: UnsafeBufferPointer<UInt8>, state: inout EncodeState) {
        guard !bytes.isEmpty else { return }
        state.words.append(contentsOf: bytes)
        state.wordEnds.append(state.words.count)
        if state.wordEnds.count >= Self.wordsPerBatch { flush(&state) }
    }

    /// Resolves the collected words through the cache (running BPE on misses) in one locked pass.
    private func flush(_ state: inout EncodeState) {
        guard !state.wordEnds.isEmpty else { return }
        cache.withLock { cache in
            state.words.withUnsafeBytes { words in
                var start = 0
                for end in state.wordEnds {
                    let word = UnsafeRawBufferPointer(rebasing: words[start..<end])
                    start = end
                    if let entry = cache.table.value(for: word) {
                        let offset = Int(entry >> 32)
                        let count = Int(entry & 0xFFFF_FFFF)
                        state.output.append(contentsOf: cache.ids[offset..<(offset + count)])
                        continue
                    }
                    let first = state.output.count
                    model.encodeWord(word, into: &state.output, scratch: &state.scratch)
                    guard word.count <= WordCache.maximumWordBytes else { continue }
                    if cache.table.count >= WordCache.maximumWords || cache.ids.count >= WordCache.maximumIDs {
                        cache.table.removeAll()
                        cache.ids.removeAll(keepingCapacity: true)
                    }
                    let count = state.output.count - first
                    cache.table.insert(word, value: UInt64(cache.ids.count) << 32 | UInt64(count))
                    cache.ids.append(contentsOf: state.output[first...])
                }
            }
        }
        state.words.removeAll(keepingCapacity: true)
        state.wordEnds.removeAll(keepingCapacity: true)
    }

    // MARK: decoding and lookups

    /// The text of `ids` through the ByteLevel decoder; unknown ids are skipped, as Hugging Face does.
    public func decode(_ ids: [Int32], skipSpecialTokens: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids where id >= 0 && Int(id) < vocabSize && idKinds[Int(id)] != 0 {
            if skipSpecialTokens, specialIDs.contains(id) { continue }
            bytes.append(contentsOf: tokenBytes[Int(tokenOffsets[Int(id)])..<Int(tokenOffsets[Int(id) + 1])])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The token's spelling: an added token's content, or the vocabulary string (`Ġthe`).
    public func token(for id: Int32) -> String? {
        guard id >= 0, Int(id) < vocabSize else { return nil }
        switch idKinds[Int(id)] {
        case 1:
            return ByteLevelAlphabet.string(of: tokenBytes[Int(tokenOffsets[Int(id)])..<Int(tokenOffsets[Int(id) + 1])])
        case 2:
            return literalByID[id]
        case 3:
            return String(decoding: tokenBytes[Int(tokenOffsets[Int(id)])..<Int(tokenOffsets[Int(id) + 1])],
                          as: UTF8.self)
        default:
            return nil
        }
    }

    /// The id of an added token's content or a vocabulary spelling (`Ġthe`), added tokens first.
    public func id(for token: String) -> Int32? {
        if let id = idByLiteral[token] { return id }
        guard let bytes = ByteLevelAlphabet.bytes(of: token), let id = model.idByBytes.value(for: bytes) else {
            return nil
        }
        return Int32(truncatingIfNeeded: id)
    }

    /// Whether `id` is a special added token (or a vocabulary entry spelled like one).
    public func isSpecial(_ id: Int32) -> Bool { specialIDs.contains(id) }
}
