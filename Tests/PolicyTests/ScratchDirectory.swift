import Foundation

/// A fresh temporary directory for one test, removed when the value is deallocated.
final class ScratchDirectory {
    let url: URL

    init(_ label: String = #function) throws {
        let name = "policy-tests-\(label.filter(\.isLetter))-\(UUID().uuidString)"
        url = FileManager.default.temporaryDirectory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the directory.
    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `bytes` to `name` and returns its URL.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let target = file(name)
        try Data(bytes).write(to: target)
        return target
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
