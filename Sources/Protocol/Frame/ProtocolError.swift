/// Why a frame or payload was refused. Each failure has its own case so logs and tests can tell them apart.
public enum ProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Fewer bytes than the fixed header or than the header announces.
    case truncatedFrame(length: Int, needed: Int)
    /// More bytes than the header announces.
    case trailingBytes(length: Int, expected: Int)
    /// The first four bytes are not "GRPL": not our protocol at all.
    case badMagic(UInt32)
    /// A peer speaking another protocol version.
    case unsupportedVersion(received: UInt16, supported: UInt16)
    /// A message type this build does not know.
    case unknownMessageType(UInt16)
    /// Flag bits this build does not know.
    case unknownFlags(UInt32)
    /// A payload (on the wire or after decompression) above the configured maximum.
    case oversizedPayload(declared: Int, limit: Int)
    /// The CRC32C over header and payload does not match: corruption in transit or a bug.
    case checksumMismatch(expected: UInt32, computed: UInt32)
    /// The frame leaves its payload out of the CRC, and it came over a link that does not protect the payload
    /// itself (only ipc://, inproc:// and tls+tcp:// links may carry such frames).
    case payloadChecksumRequired
    /// We hold a shared secret and the frame carries no HMAC.
    case authenticationMissing
    /// The frame's HMAC does not match our shared secret: the sender does not know it.
    case authenticationFailed
    /// The frame carries an HMAC and we have no secret to check it with (a configuration mismatch).
    case authenticationNotConfigured
    /// A compressed payload that does not decompress to its declared size.
    case decompressionFailed(String)
    /// A payload whose fields do not decode (bad length, bad UTF-8, inconsistent arrays, trailing bytes).
    case malformedPayload(type: MessageType?, field: String, reason: String)
    /// A well-formed message of a type the caller did not expect here.
    case unexpectedMessage(expected: MessageType, received: MessageType)

    public var description: String {
        switch self {
        case let .truncatedFrame(length, needed): "truncated frame: \(length) bytes, needs \(needed)"
        case let .trailingBytes(length, expected): "frame has \(length) bytes, header announces \(expected)"
        case let .badMagic(m): "bad magic 0x\(String(m, radix: 16)): not a grpo-lambda frame"
        case let .unsupportedVersion(r, s): "protocol version \(r) is not supported (this build speaks \(s))"
        case let .unknownMessageType(t): "unknown message type \(t)"
        case let .unknownFlags(f): "unknown flags 0x\(String(f, radix: 16))"
        case let .oversizedPayload(d, l): "payload of \(d) bytes exceeds the limit of \(l)"
        case let .checksumMismatch(e, c): "CRC32C mismatch: frame says 0x\(String(e, radix: 16)), computed 0x\(String(c, radix: 16))"
        case .payloadChecksumRequired:
            "frame leaves its payload unchecksummed but arrived over a link that does not protect it (only ipc://, inproc:// and tls+tcp:// may)"
        case .authenticationMissing: "frame has no HMAC but a shared secret is configured"
        case .authenticationFailed: "frame HMAC does not match the shared secret"
        case .authenticationNotConfigured: "frame carries an HMAC but no shared secret is configured"
        case let .decompressionFailed(why): "payload does not decompress: \(why)"
        case let .malformedPayload(type, field, reason): "malformed \(type.map(String.init(describing:)) ?? "payload") field \(field): \(reason)"
        case let .unexpectedMessage(e, r): "expected \(e), received \(r)"
        }
    }

    /// A short stable name for logs and metrics (`reason` in JSON lines).
    public var code: String {
        switch self {
        case .truncatedFrame: "truncated_frame"
        case .trailingBytes: "trailing_bytes"
        case .badMagic: "bad_magic"
        case .unsupportedVersion: "unsupported_version"
        case .unknownMessageType: "unknown_message_type"
        case .unknownFlags: "unknown_flags"
        case .oversizedPayload: "oversized_payload"
        case .checksumMismatch: "checksum_mismatch"
        case .payloadChecksumRequired: "payload_checksum_required"
        case .authenticationMissing: "authentication_missing"
        case .authenticationFailed: "authentication_failed"
        case .authenticationNotConfigured: "authentication_not_configured"
        case .decompressionFailed: "decompression_failed"
        case .malformedPayload: "malformed_payload"
        case .unexpectedMessage: "unexpected_message"
        }
    }
}
