import Foundation
import Policy
import Primitives

/// `grpo-bench tokenizer`: encode throughput of `BPETokenizer` on one thread, keyed like
/// `bench/tokenizers_peer.py` (Hugging Face `tokenizers` with RAYON_NUM_THREADS=1) so the two compare directly.
///
/// The text file is split at `\n` and each line is encoded with its newline, through the public
/// `Tokenizer.encode` (no special tokens added), exactly as the peer encodes line by line. The tokenizer is
/// loaded once; every repeat encodes the whole file, so the word cache warms during the first repeat as the
/// peer's does. `whole_text_MBps` times one `encode` call on the entire file instead (no per-call overhead; its
/// token count differs slightly because pieces such as `"\n\n"` then span line ends). MB are 10^6 bytes.
enum TokenizerBenchmark {
    /// Runs `repeats` timed passes and returns {"bytes", "tokens", "encode_MBps": {"median", "min", "max"},
    /// "whole_text_MBps": {...}, "whole_text_tokens", "mode", "load_s", "repeats"}.
    static func run(tokenizerPath: String, textPath: String, repeats: Int) throws -> [String: Any] {
        let loadStart = ContinuousClock.now
        let tokenizer = try BPETokenizer(url: URL(fileURLWithPath: tokenizerPath))
        let loadSeconds = seconds(since: loadStart)
        let lines = try Self.lines(of: URL(fileURLWithPath: textPath))
        let bytes = lines.reduce(0) { $0 + $1.utf8.count }

        var rates: [Double] = []
        var tokens = 0
        for _ in 0..<max(1, repeats) {
            let start = ContinuousClock.now
            var count = 0
            for line in lines { count += tokenizer.encode(line).count }
            rates.append(Double(bytes) / seconds(since: start) / 1e6)
            tokens = count
        }
        let whole = lines.joined()
        var wholeRates: [Double] = []
        var wholeTokens = 0
        for _ in 0..<max(1, repeats) {
            let start = ContinuousClock.now
            wholeTokens = tokenizer.encode(whole).count
            wholeRates.append(Double(bytes) / seconds(since: start) / 1e6)
        }
        return [
            "bytes": bytes, "tokens": tokens, "repeats": rates.count, "mode": "encode per line", "load_s": loadSeconds,
            "encode_MBps": summary(rates), "whole_text_MBps": summary(wholeRates), "whole_text_tokens": wholeTokens,
        ]
    }

    /// Median, min and max of `rates`.
    private static func summary(_ rates: [Double]) -> [String: Double] {
        let sorted = rates.sorted()
        return ["median": sorted[sorted.count / 2], "min": sorted.first!, "max": sorted.last!]
    }

    /// The file's lines, each with its trailing `\n` (the last one may lack it).
    static func lines(of url: URL) throws -> [String] {
        let data = try Data(contentsOf: url)
        var lines: [String] = []
        var start = data.startIndex
        while start < data.endIndex {
            let end = data[start...].firstIndex(of: 0x0A).map { $0 + 1 } ?? data.endIndex
            lines.append(String(decoding: data[start..<end], as: UTF8.self))
            start = end
        }
        return lines
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return elapsed.seconds
    }
}
