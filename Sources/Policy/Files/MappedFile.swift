#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only into memory (`mmap`, `MAP_PRIVATE`); the owner unmaps it in `deinit`.
///
/// Pages are read from disk lazily as `bytes` is touched, so a multi-GB checkpoint costs no up-front copy.
/// The mapping is never written, which is what makes sharing it across threads safe.
final class MappedFile: @unchecked Sendable {
    /// The path the file was opened with, for error messages.
    let path: String
    /// The file's bytes; empty for an empty file. Valid for the lifetime of `self`.
    let bytes: UnsafeRawBufferPointer

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SafetensorsError.cannotOpen(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            throw SafetensorsError.cannotOpen(path: path, operation: "fstat", errno: errno)
        }
        let size = Int(status.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let address, address != MAP_FAILED else {
            throw SafetensorsError.cannotOpen(path: path, operation: "mmap", errno: errno)
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        if let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }
}
