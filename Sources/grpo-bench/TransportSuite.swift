import ArgumentParser
import Foundation
import Protocol
import Primitives

/// `grpo-bench transport`: rollout-group messages through the full Protocol path (encode, frame, CRC, optional
/// zstd/HMAC, send, receive, verify, decode) against raw nng PUSH/PULL of the same byte sizes, in the same run.
/// The Protocol path is what the services run: on ipc:// its payloads are left out of the CRC (the link protects
/// them; `FrameCodec.PayloadChecksum`), so ipc rows also time it with `--payload-checksum always`.
struct TransportSuite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transport", abstract: "Protocol path vs raw nng PUSH/PULL over ipc:// and tcp:// loopback.")

    @OptionGroup var common: CommonBenchOptions
    @Option(help: "Message sizes in bytes.") var sizes: [Int] = [4 << 10, 256 << 10, 4 << 20]
    @Option(help: "Transports: ipc, tcp.") var transports: [String] = ["ipc", "tcp"]
    @Option(help: "Bytes moved per timed run (at least 200 messages).") var bytesPerRun = 256 << 20

    func run() throws {
        var results: [[String: Any]] = []
        for transport in transports {
            for size in sizes {
                let count = max(200, bytesPerRun / size)
                let group = RolloutGroup.synthetic(payloadBytes: size)
                let plain = FrameCodec()
                let frameBytes = try plain.encodeBytes(group).count
                progress("transport \(transport) \(size) B × \(count)")
                // Raw and Protocol runs alternate, so that a change in the machine's load between runs moves both, and
                // which goes first alternates too (raw, Protocol, Protocol, raw, …), so that a steady drift favours
                // neither.
                var rawRuns: [Double] = [], framedRuns: [Double] = []
                for index in 0..<max(1, common.repeats) {
                    let raw = { try TransportRun(transport: transport, count: count).raw(bytes: frameBytes) }
                    let framed = {
                        try TransportRun(transport: transport, count: count).framed(group, codec: plain, frameBytes: frameBytes)
                    }
                    if index % 2 == 0 {
                        rawRuns.append(try raw())
                        framedRuns.append(try framed())
                    } else {
                        framedRuns.append(try framed())
                        rawRuns.append(try raw())
                    }
                }
                let raw = BenchmarkStatistics(rawRuns), framed = BenchmarkStatistics(framedRuns)
                let pairedRatios = BenchmarkStatistics(zip(framedRuns, rawRuns).map { $0 / $1 })
                let authenticated = FrameCodec(options: .init(secret: SharedSecret("benchmark secret 0123456789abcdef")!))
                let hmac = try BenchmarkStatistics.measure(repeats: common.repeats) {
                    try TransportRun(transport: transport, count: count).framed(group, codec: authenticated, frameBytes: frameBytes)
                }
                let compressing = FrameCodec(options: .init(compressionThreshold: 64 << 10, compressionLevel: 1))
                let zstd = try BenchmarkStatistics.measure(repeats: common.repeats) {
                    try TransportRun(transport: transport, count: count).framed(group, codec: compressing, frameBytes: frameBytes)
                }
                let frame = try plain.encodeBytes(group)
                let encode = BenchmarkStatistics.measure(repeats: common.repeats) {
                    let n = max(20, count / 4)
                    return Double(frameBytes * n) / timeSeconds { for _ in 0..<n { _ = try? plain.encode(group) } } / 1e6
                }
                let received = try NNGMessage(copying: frame)
                let decode = BenchmarkStatistics.measure(repeats: common.repeats) {
                    let n = max(20, count / 4)
                    return Double(frameBytes * n) / timeSeconds { for _ in 0..<n { _ = try? plain.decode(received) } } / 1e6
                }
                var row: [String: Any] = [
                    "transport": transport, "bytes": frameBytes, "messages": count,
                    "encode_only_MBps": encode.json, "decode_only_MBps": decode.json,
                    "raw_MBps": raw.json, "protocol_MBps": framed.json,
                    "protocol_hmac_MBps": hmac.json, "protocol_zstd_MBps": zstd.json,
                    "ratio": framed.median / raw.median, "ratio_of_adjacent_runs": pairedRatios.json,
                ]
                if transport == "ipc" {
                    let alwaysChecksumming = FrameCodec(options: .init(payloadChecksum: .always))
                    let checksummed = try BenchmarkStatistics.measure(repeats: common.repeats) {
                        try TransportRun(transport: transport, count: count).framed(group, codec: alwaysChecksumming,
                                                                                   frameBytes: frameBytes)
                    }
                    row["protocol_payload_checksummed_MBps"] = checksummed.json
                    row["ratio_payload_checksummed"] = checksummed.median / raw.median
                }
                results.append(row)
            }
        }
        // CRC32C alone, each implementation this CPU runs (the hybrid ones with the block split timed for each), over
        // one 256 KiB frame's worth of bytes in L2.
        var checksums: [String: Any] = [:]
        let bytes = [UInt8](repeating: 0x5A, count: 256 << 10)
        for implementation in CRC32C.Implementation.allCases where implementation.isAvailable {
            let n = implementation == .software ? 20 : 2000
            checksums[implementation.rawValue] = bytes.withUnsafeBytes { buffer in
                BenchmarkStatistics.measure(repeats: common.repeats) {
                    var crc: UInt32 = 0
                    let seconds = timeSeconds { for _ in 0..<n { crc = CRC32C.update(crc, buffer, with: implementation) } }
                    precondition(crc != 1)  // keeps the loop
                    return Double(buffer.count * n) / seconds / 1e9
                }.json
            }
        }
        let splits = CRC32C.Implementation.allCases.filter(\.isAvailable).compactMap { implementation in
            CRC32C.blockSplit(for: implementation).map { (implementation.rawValue, $0) }
        }
        try emitJSON(["suite": "transport", "results": results, "crc32c_GBps": checksums,
                      "crc32c_implementation": CRC32C.implementation,
                      "crc32c_block_splits": Dictionary(uniqueKeysWithValues: splits)])
    }
}

/// One timed transfer of `count` messages from a PUSH thread to a PULL thread over a fresh socket pair.
struct TransportRun {
    let transport: String
    let count: Int

    private func connectedPair() throws -> (push: NNGSocket, pull: NNGSocket) {
        let pull = try NNGSocket(.pull, receiveMaxSize: 64 << 20)
        let push = try NNGSocket(.push)
        let url: String
        switch transport {
        case "ipc": url = "ipc://\(NSTemporaryDirectory())grpo-bench-\(UUID().uuidString.prefix(8)).ipc"
        case "tcp": url = "tcp://127.0.0.1:0"
        default: throw ValidationError("unknown transport \(transport)")
        }
        let port = try pull.listen(url)
        try push.dial(transport == "tcp" ? "tcp://127.0.0.1:\(port!)" : url, blocking: true)
        try push.setTimeouts(send: .seconds(60), receive: nil)
        try pull.setTimeouts(send: nil, receive: .seconds(60))
        return (push, pull)
    }

    /// MB/s of raw nng: the sender copies a ready buffer into a message (as `nng_send` does), the receiver frees it.
    func raw(bytes: Int) throws -> Double {
        let payload = [UInt8](repeating: 0xA5, count: bytes)
        return try transfer(bytes: bytes, send: { socket in
            try socket.sendBlocking(NNGMessage(copying: payload))
        }, receive: { socket in
            _ = try socket.receiveBlocking()
        })
    }

    /// MB/s of the Protocol path: encode the group into a frame, send; receive, verify and decode it whole, framed
    /// as the services frame it (`MessageChannel`: the payload left out of the CRC where the link protects it).
    func framed(_ group: RolloutGroup, codec: FrameCodec, frameBytes: Int) throws -> Double {
        try transfer(bytes: frameBytes, send: { socket in
            try socket.sendBlocking(MessageChannel(socket: socket, codec: codec).frame(group))
        }, receive: { socket in
            guard case .rolloutGroup = try MessageChannel(socket: socket, codec: codec).unframe(socket.receiveBlocking()) else {
                throw ValidationError("decoded something else")
            }
        })
    }

    private func transfer(bytes: Int, send: @escaping @Sendable (NNGSocket) throws -> Void,
                          receive: @escaping @Sendable (NNGSocket) throws -> Void) throws -> Double {
        let (push, pull) = try connectedPair()
        defer { push.close(); pull.close() }
        let n = count
        let failure = LockedError()
        let done = DispatchSemaphore(value: 0)
        let seconds = timeSeconds {
            let receiver = Thread {
                do { for _ in 0..<n { try receive(pull) } } catch { failure.set(error) }
                done.signal()
            }
            receiver.start()
            do { for _ in 0..<n { try send(push) } } catch { failure.set(error) }
            done.wait()
        }
        if let error = failure.get() { throw error }
        return Double(bytes * n) / seconds / 1e6
    }
}

/// The first error of a background thread.
final class LockedError: @unchecked Sendable {
    private let lock = NSLock()
    private var error: Error?
    func set(_ e: Error) { lock.withLock { if error == nil { error = e } } }
    func get() -> Error? { lock.withLock { error } }
}
