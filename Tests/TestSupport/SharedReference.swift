import Foundation

/// Locates `../shared/reference` (the project's reference models, vectors and cases) from a test source file.
///
/// The reference folder sits beside the checkout (`<parent>/shared/reference`); walking up from the test's own
/// path finds it for the main checkout, a sibling clone and a sandbox package alike. A missing folder is a
/// failure with the paths tried, never a silent skip.
public enum SharedReference {
    public struct Missing: Error, CustomStringConvertible {
        public let tried: [String]
        public var description: String { "../shared/reference not found; looked in: \(tried.joined(separator: ", "))" }
    }

    /// The reference folder, e.g. `/work/shared/reference`.
    public static func directory(from filePath: String = #filePath) throws -> URL {
        var dir = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        var tried: [String] = []
        if let env = ProcessInfo.processInfo.environment["GRPO_SHARED_REFERENCE"] {
            let url = URL(fileURLWithPath: env)
            if FileManager.default.fileExists(atPath: url.path) { return url }
            tried.append(env)
        }
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("shared/reference")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            tried.append(candidate.path)
            dir = dir.deletingLastPathComponent()
        }
        throw Missing(tried: tried)
    }

    /// A file inside the reference folder, e.g. `url("models/llama-tiny/config.json")`.
    public static func url(_ relativePath: String, from filePath: String = #filePath) throws -> URL {
        try directory(from: filePath).appendingPathComponent(relativePath)
    }
}

/// Runs CPU-heavy synchronous test work on its own thread and awaits it.
///
/// Swift Testing runs tests in parallel on the cooperative thread pool (one thread per core). A long
/// synchronous loop there starves other tests' async work — servers answering real sockets — so heavy loops
/// go through this instead.
public func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
