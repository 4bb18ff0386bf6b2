import Foundation

/// Appends whole lines to a file or a standard stream, one writer at a time, flushed per line so a crash loses
/// at most the line being written and `tail -f` shows events as they happen.
public final class LineSink: @unchecked Sendable {
    private let lock = NSLock()
    private let handle: FileHandle
    private let ownsHandle: Bool

    /// Standard error: where services log when no run directory is given.
    public static let standardError = LineSink(handle: FileHandle.standardError, owns: false)
    /// Standard output.
    public static let standardOutput = LineSink(handle: FileHandle.standardOutput, owns: false)

    private init(handle: FileHandle, owns: Bool) {
        self.handle = handle
        self.ownsHandle = owns
    }

    /// Opens `url` for appending, creating it (and its directory) if needed.
    public convenience init(appendingTo url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: url.path) {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        self.init(handle: handle, owns: true)
    }

    deinit {
        if ownsHandle { try? handle.close() }
    }

    /// Writes `line` plus a newline.
    public func write(_ line: String) {
        let data = Data((line + "\n").utf8)
        lock.withLock { handle.write(data) }
    }
}
