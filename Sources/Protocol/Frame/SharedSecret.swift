import Foundation
internal import Crypto

/// A key shared by every process of a run. With one configured, every frame carries an HMAC-SHA256 and frames
/// without a valid one are refused, so a stray process cannot inject rollouts or weights.
public struct SharedSecret: Sendable {
    /// The key bytes (SymmetricKey itself is not Sendable, so it is made per use; that costs a copy of ≥16 bytes).
    private let keyBytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    /// A secret from raw bytes (at least 16).
    public init?(bytes: [UInt8]) {
        guard bytes.count >= 16 else { return nil }
        keyBytes = bytes
    }

    /// A secret from text (e.g. an environment variable); at least 16 bytes of UTF-8.
    public init?(_ text: String) {
        self.init(bytes: Array(text.utf8))
    }

    /// Reads a secret file, ignoring a trailing newline. Nil if it is missing or shorter than 16 bytes.
    public init?(contentsOfFile path: String) {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var bytes = [UInt8](data)
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        self.init(bytes: bytes)
    }

    /// Reads a secret file for a service's `--secret-file`, with an error that says what is wrong.
    public static func load(path: String) throws(SharedSecretError) -> SharedSecret {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        guard let secret = SharedSecret(contentsOfFile: path) else { throw .tooShort(path: path, bytes: data.count) }
        return secret
    }

    static let macSize = 32

    func authenticationCode(for bytes: UnsafeRawBufferPointer) -> HMAC<SHA256>.MAC {
        HMAC<SHA256>.authenticationCode(for: bytes, using: key)
    }

    func isValid(_ mac: UnsafeRawBufferPointer, for bytes: UnsafeRawBufferPointer) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: bytes, using: key)
    }
}

/// Why a secret file cannot be used.
public enum SharedSecretError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String)
    case tooShort(path: String, bytes: Int)

    public var description: String {
        switch self {
        case let .unreadable(path): "secret file \(path) cannot be read"
        case let .tooShort(path, bytes): "secret file \(path) holds \(bytes) bytes; a shared secret needs at least 16"
        }
    }
}

/// SHA-256 digests of weight payloads.
public enum SHA256Digest {
    /// The 32-byte SHA-256 of `bytes`.
    public static func of(_ bytes: UnsafeRawBufferPointer) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    /// Incremental hashing for data that arrives in chunks.
    public struct Hasher {
        private var hasher = SHA256()
        public init() {}
        public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }
        public func finalize() -> [UInt8] { Array(hasher.finalize()) }
    }
}
