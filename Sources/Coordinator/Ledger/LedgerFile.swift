import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where ledger events go: the append-only file in a service, memory in tests.
public protocol LedgerJournal: AnyObject {
    /// Appends `events` durably: when this returns, a crash cannot lose them.
    func append(_ events: [LedgerEvent]) throws
}

/// A journal that only keeps events in memory (tests, benchmarks).
public final class MemoryJournal: LedgerJournal {
    public private(set) var events: [LedgerEvent] = []
    public init() {}
    public func append(_ events: [LedgerEvent]) { self.events += events }
}

/// The ledger file: JSON lines appended with `O_APPEND` and `fsync`ed after every batch.
public final class LedgerFile: LedgerJournal {
    public let url: URL
    private let descriptor: Int32
    private let encoder: JSONEncoder

    /// Opens (creating) the file for appending.
    public init(url: URL) throws {
        self.url = url
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        descriptor = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw CoordinatorError.ledger("cannot open \(url.path): \(String(cString: strerror(errno)))") }
        encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    deinit { close(descriptor) }

    public func append(_ events: [LedgerEvent]) throws {
        guard !events.isEmpty else { return }
        var bytes: [UInt8] = []
        for event in events {
            bytes += try encoder.encode(event)
            bytes.append(0x0A)
        }
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else {
                    throw CoordinatorError.ledger("cannot append to \(url.path): \(String(cString: strerror(errno)))")
                }
            }
        }
        guard fsync(descriptor) == 0 else {
            throw CoordinatorError.ledger("cannot fsync \(url.path): \(String(cString: strerror(errno)))")
        }
    }

    /// Every event in a ledger file, in order. A last line cut short by a crash is skipped (and counted); any
    /// other unreadable line is an error naming it.
    public static func read(_ url: URL) throws -> (events: [LedgerEvent], tornTail: Bool) {
        guard let data = FileManager.default.contents(atPath: url.path) else { return ([], false) }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var events: [LedgerEvent] = []
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() where !line.isEmpty {
            do {
                events.append(try decoder.decode(LedgerEvent.self, from: Data(line)))
            } catch {
                if number == lines.count - 1 { return (events, true) }
                throw CoordinatorError.ledger("\(url.path) line \(number + 1) is not a ledger event: \(error)")
            }
        }
        return (events, false)
    }
}
