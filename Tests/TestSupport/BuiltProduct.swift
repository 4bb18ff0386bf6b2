import Foundation

/// Executables this package builds, for tests that run them as real processes.
public enum BuiltProduct {
    public struct Missing: Error, CustomStringConvertible {
        public let name: String
        public let tried: [String]
        public var description: String {
            "\(name) is not built (looked in \(tried.joined(separator: ", "))); run the tests with `swift test`, which builds it"
        }
    }

    /// The path of executable `name`, beside the test bundle (the build folder `swift test` used).
    public static func path(_ name: String, from filePath: String = #filePath) throws -> URL {
        var candidates: [URL] = []
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent(name))
            dir = dir.deletingLastPathComponent()
        }
        let package = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates += ["release", "debug"].map { package.appendingPathComponent(".build/\($0)/\(name)") }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        throw Missing(name: name, tried: candidates.map(\.path))
    }
}
