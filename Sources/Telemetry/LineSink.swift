import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends whole lines to a file or a standard stream, one `write(2)` per line.
///
/// Files are opened with `O_APPEND`, so every line lands at the end of the file even when several processes
/// (the services of one run sharing its `log.jsonl`) append to it at once: the kernel positions each write
/// atomically, and a line is never split across two calls unless the kernel takes only part of it. Nothing
/// is buffered in the process, so a crash loses at most the line being written and `tail -f` shows events as
/// they happen.
public final class LineSink: @unchecked Sendable {
    private let lock = NSLock()
    private let descriptor: Int32
    private let ownsDescriptor: Bool

    /// Standard error: where services log when no run directory is given.
    public static let standardError = LineSink(descriptor: 2, owns: false)
    /// Standard output.
    public static let standardOutput = LineSink(descriptor: 1, owns: false)

    private init(descriptor: Int32, owns: Bool) {
        self.descriptor = descriptor
        self.ownsDescriptor = owns
    }

    /// Opens `url` for appending, creating it (and its directory) if needed.
    public convenience init(appendingTo url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fd = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [
                NSFilePathErrorKey: url.path, NSLocalizedDescriptionKey: "cannot open \(url.path): \(String(cString: strerror(errno)))",
            ])
        }
        self.init(descriptor: fd, owns: true)
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Writes `line` plus a newline. A failing write (disk full, closed pipe) drops the line: logging never
    /// stops the service.
    public func write(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        lock.withLock {
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    #if canImport(Glibc)
                    let n = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    #else
                    let n = Darwin.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    #endif
                    if n > 0 {
                        offset += n
                    } else if n < 0 && errno == EINTR {
                        continue
                    } else {
                        return
                    }
                }
            }
        }
    }
}

