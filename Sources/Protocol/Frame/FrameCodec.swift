/// Turns messages into frames and frames back into messages (docs/PROTOCOL.md has the byte layout).
///
/// A frame is a 24-byte header (magic "GRPL", protocol version, message type, flags, wire payload length,
/// decoded payload length, CRC32C), the payload, and — when a shared secret is configured — a 32-byte
/// HMAC-SHA256 trailer. Decoding checks, in order: header length, magic, version, flags, both lengths against
/// the configured maximum, the frame length, that a frame leaving its payload unchecksummed came over a link
/// that protects it, the CRC, the HMAC, the message type, decompression to exactly the declared size, and the
/// payload fields; each failure is its own `ProtocolError`. Nothing is allocated for a payload before its length
/// has been checked against the frame and the maximum. Frames received from nng are decoded without copying
/// their bulk arrays (`WireArray` views into the message).
public struct FrameCodec: Sendable {
    /// Limits and options; both ends of a connection should agree on `secret`.
    public struct Options: Sendable {
        /// The largest payload accepted or produced, before and after decompression.
        public var maxPayloadBytes: Int
        /// Payloads at least this large are zstd-compressed (and sent compressed only if that saves ≥ 10%);
        /// nil never compresses. Worth it across real networks, a loss on loopback.
        public var compressionThreshold: Int?
        public var compressionLevel: Int32
        public var secret: SharedSecret?
        /// Whether this end leaves payloads out of the CRC on links that protect them (what it accepts does
        /// not depend on it).
        public var payloadChecksum: PayloadChecksum

        public init(maxPayloadBytes: Int = ProtocolLimits.default.maxPayloadBytes, compressionThreshold: Int? = nil,
                    compressionLevel: Int32 = 1, secret: SharedSecret? = nil,
                    payloadChecksum: PayloadChecksum = .unlessLinkProtects) {
            self.maxPayloadBytes = maxPayloadBytes
            self.compressionThreshold = compressionThreshold
            self.compressionLevel = compressionLevel
            self.secret = secret
            self.payloadChecksum = payloadChecksum
        }
    }

    /// When a sender covers the payload with the frame's CRC.
    ///
    /// The CRC exists to catch bytes damaged between two processes. On ipc:// and inproc:// the bytes never leave
    /// one kernel's memory, and tls+tcp:// carries its own MAC over every record, so there the CRC could catch
    /// nothing the link does not; leaving the payload out of it saves a pass over every byte on each end (the
    /// cost that kept large frames below raw nng on CPUs without VPCLMULQDQ, docs/PERFORMANCE.md). The header is
    /// always checksummed, and a receiver refuses a frame without a payload checksum from any other link.
    public enum PayloadChecksum: String, Sendable, CaseIterable {
        /// Every frame's CRC covers its payload.
        case always
        /// Frames sent over links that protect their bytes (`NNGSocket.linksProtectPayload`) leave the payload out.
        case unlessLinkProtects = "unless-link-protects"
    }

    public static let headerSize = 24
    /// "GRPL" as it appears on the wire (bytes 0x47 0x52 0x50 0x4C), read as a little-endian u32.
    public static let magic: UInt32 = 0x4C50_5247
    public static let protocolVersion: UInt16 = 1

    /// Flag bits of the header.
    public struct Flags: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// The payload is one zstd frame that decodes to the header's decoded length.
        public static let compressed = Flags(rawValue: 1 << 0)
        /// A 32-byte HMAC-SHA256 over header and payload follows the payload.
        public static let authenticated = Flags(rawValue: 1 << 1)
        /// The CRC covers the header only: the sender left the payload to a link that protects it.
        public static let payloadUnchecksummed = Flags(rawValue: 1 << 2)
        public static let known: Flags = [.compressed, .authenticated, .payloadUnchecksummed]
    }

    public var options: Options

    public init(options: Options = Options()) { self.options = options }

    // MARK: - Encoding

    /// Encodes `message` into a new nng message, ready to send. With `linkProtectsPayload` (the socket it goes out
    /// on only has ipc://, inproc:// or tls+tcp:// links) the payload is left out of the CRC unless the options
    /// say `.always`.
    public func encode<M: WireMessage>(_ message: M, linkProtectsPayload: Bool = false) throws -> NNGMessage {
        var out: NNGMessage?
        try encode(message, checksumPayload: !linkProtectsPayload || options.payloadChecksum == .always) { size throws(NNGError) in
            let m = try NNGMessage(count: size)
            out = m
            return m.withUnsafeMutableBytes { $0 }
        }
        return out!
    }

    /// Encodes `message` into a byte array (tests, tools, other transports).
    public func encodeBytes<M: WireMessage>(_ message: M) throws -> [UInt8] {
        var out: [UInt8] = []
        try encode(message, checksumPayload: true) { size in
            out = [UInt8](repeating: 0, count: size)
            return out.withUnsafeMutableBytes { $0 }
        }
        return out
    }

    /// Encodes into storage that `allocate(frameSize)` provides; the storage must stay valid until this returns.
    private func encode<M: WireMessage>(_ message: M, checksumPayload: Bool,
                                        allocate: (Int) throws -> UnsafeMutableRawBufferPointer) throws {
        var measuring = WireWriter.measuring()
        message.encode(to: &measuring)
        let payloadSize = measuring.count
        guard payloadSize <= options.maxPayloadBytes else {
            throw ProtocolError.oversizedPayload(declared: payloadSize, limit: options.maxPayloadBytes)
        }
        var flags: Flags = options.secret == nil ? [] : .authenticated
        if !checksumPayload { flags.insert(.payloadUnchecksummed) }
        let macSize = options.secret == nil ? 0 : SharedSecret.macSize

        let frame: UnsafeMutableRawBufferPointer
        let wireSize: Int
        if let threshold = options.compressionThreshold, payloadSize >= threshold,
           let compressed = try compressedPayload(of: message, size: payloadSize) {
            flags.insert(.compressed)
            wireSize = compressed.count
            frame = try allocate(Self.headerSize + wireSize + macSize)
            writeHeader(frame, type: M.messageType, flags: flags, wireSize: wireSize, decodedSize: payloadSize)
            compressed.withUnsafeBytes { frame.baseAddress!.advanced(by: Self.headerSize).copyMemory(from: $0.baseAddress!, byteCount: wireSize) }
            let crc = Self.checksum(header: UnsafeRawBufferPointer(frame),
                                    payload: UnsafeRawBufferPointer(rebasing: frame[Self.headerSize..<(Self.headerSize + wireSize)]),
                                    flags: flags)
            frame.storeBytes(of: crc.littleEndian, toByteOffset: 20, as: UInt32.self)
        } else {
            // The header is known before the payload, so the CRC runs while the payload is written.
            wireSize = payloadSize
            frame = try allocate(Self.headerSize + wireSize + macSize)
            writeHeader(frame, type: M.messageType, flags: flags, wireSize: wireSize, decodedSize: payloadSize)
            let headerCRC = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: frame[0..<20]))
            var writer = WireWriter(into: UnsafeMutableRawBufferPointer(rebasing: frame[Self.headerSize..<(Self.headerSize + wireSize)]),
                                    checksumSeed: checksumPayload ? headerCRC : nil)
            message.encode(to: &writer)
            precondition(writer.count == payloadSize, "\(M.self) encoded \(writer.count) bytes after measuring \(payloadSize)")
            frame.storeBytes(of: (writer.finishChecksum() ?? headerCRC).littleEndian, toByteOffset: 20, as: UInt32.self)
        }

        if let secret = options.secret {
            let signedEnd = Self.headerSize + wireSize
            let mac = secret.authenticationCode(for: UnsafeRawBufferPointer(rebasing: frame[0..<signedEnd]))
            mac.withUnsafeBytes { frame.baseAddress!.advanced(by: signedEnd).copyMemory(from: $0.baseAddress!, byteCount: macSize) }
        }
    }

    /// Writes header bytes 0..<20 (everything but the CRC).
    private func writeHeader(_ frame: UnsafeMutableRawBufferPointer, type: MessageType, flags: Flags, wireSize: Int,
                             decodedSize: Int) {
        frame.storeBytes(of: Self.magic.littleEndian, toByteOffset: 0, as: UInt32.self)
        frame.storeBytes(of: Self.protocolVersion.littleEndian, toByteOffset: 4, as: UInt16.self)
        frame.storeBytes(of: type.rawValue.littleEndian, toByteOffset: 6, as: UInt16.self)
        frame.storeBytes(of: flags.rawValue.littleEndian, toByteOffset: 8, as: UInt32.self)
        frame.storeBytes(of: UInt32(wireSize).littleEndian, toByteOffset: 12, as: UInt32.self)
        frame.storeBytes(of: UInt32(decodedSize).littleEndian, toByteOffset: 16, as: UInt32.self)
    }

    /// The zstd-compressed payload, or nil when compression saves less than 10%.
    private func compressedPayload<M: WireMessage>(of message: M, size: Int) throws -> [UInt8]? {
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { raw.deallocate() }
        var writer = WireWriter(into: raw)
        message.encode(to: &writer)
        let compressed = try ZstdCompressor(level: options.compressionLevel).compress(UnsafeRawBufferPointer(raw))
        return compressed.count * 10 <= size * 9 ? compressed : nil
    }

    /// CRC32C of header bytes 0..<20 followed by the wire payload, or of the header alone when `flags` say the
    /// payload is unchecksummed.
    static func checksum(header: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer, flags: Flags = []) -> UInt32 {
        let headerCRC = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: header[0..<20]))
        return flags.contains(.payloadUnchecksummed) ? headerCRC : CRC32C.update(headerCRC, payload)
    }

    // MARK: - Decoding

    /// The fields of a frame header, as read (not yet trusted).
    public struct Header: Sendable, Equatable {
        public var messageType: UInt16
        public var flags: Flags
        public var wireLength: Int
        public var decodedLength: Int
        public var checksum: UInt32
        public static func == (a: Header, b: Header) -> Bool {
            a.messageType == b.messageType && a.flags.rawValue == b.flags.rawValue && a.wireLength == b.wireLength
                && a.decodedLength == b.decodedLength && a.checksum == b.checksum
        }
    }

    /// Checks the header of `frame` (magic, version, flags, lengths) without touching the payload.
    public func decodeHeader(_ frame: UnsafeRawBufferPointer) throws(ProtocolError) -> Header {
        guard frame.count >= Self.headerSize else { throw .truncatedFrame(length: frame.count, needed: Self.headerSize) }
        let magic = UInt32(littleEndian: frame.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
        guard magic == Self.magic else { throw .badMagic(magic) }
        let version = UInt16(littleEndian: frame.loadUnaligned(fromByteOffset: 4, as: UInt16.self))
        guard version == Self.protocolVersion else { throw .unsupportedVersion(received: version, supported: Self.protocolVersion) }
        let header = Header(
            messageType: UInt16(littleEndian: frame.loadUnaligned(fromByteOffset: 6, as: UInt16.self)),
            flags: Flags(rawValue: UInt32(littleEndian: frame.loadUnaligned(fromByteOffset: 8, as: UInt32.self))),
            wireLength: Int(UInt32(littleEndian: frame.loadUnaligned(fromByteOffset: 12, as: UInt32.self))),
            decodedLength: Int(UInt32(littleEndian: frame.loadUnaligned(fromByteOffset: 16, as: UInt32.self))),
            checksum: UInt32(littleEndian: frame.loadUnaligned(fromByteOffset: 20, as: UInt32.self)))
        let unknown = header.flags.subtracting(.known)
        guard unknown.isEmpty else { throw .unknownFlags(unknown.rawValue) }
        guard header.wireLength <= options.maxPayloadBytes else {
            throw .oversizedPayload(declared: header.wireLength, limit: options.maxPayloadBytes)
        }
        guard header.decodedLength <= options.maxPayloadBytes else {
            throw .oversizedPayload(declared: header.decodedLength, limit: options.maxPayloadBytes)
        }
        if !header.flags.contains(.compressed), header.decodedLength != header.wireLength {
            throw .malformedPayload(type: nil, field: "decoded_length",
                                    reason: "uncompressed payload declares \(header.decodedLength) decoded bytes but carries \(header.wireLength)")
        }
        return header
    }

    /// Decodes one frame; arrays are copied out of `frame`. `linkProtectsPayload` says the bytes came over a link
    /// that protects them (only then is a frame without a payload checksum accepted).
    public func decode(_ frame: UnsafeRawBufferPointer, linkProtectsPayload: Bool = false) throws(ProtocolError) -> Message {
        var allocated = 0
        return try decode(frame, allocatedBytes: &allocated, backing: nil, linkProtectsPayload: { linkProtectsPayload })
    }

    /// Decodes one frame received from nng. Bulk arrays (tokens, log-probs, weight bytes) are views into the
    /// message, which they keep alive: nothing is copied. A frame without a payload checksum is accepted when
    /// `socket` (the one it was received on) only has links that protect payloads, or when the message's own
    /// pipe is such a link.
    public func decode(_ message: NNGMessage, from socket: NNGSocket? = nil) throws(ProtocolError) -> Message {
        var allocated = 0
        return try message.withUnsafeBytes { (frame) throws(ProtocolError) in
            try decode(frame, allocatedBytes: &allocated, backing: WireBacking(message: message, bytes: frame),
                       linkProtectsPayload: { socket?.linksProtectPayload == true || message.arrivedOverProtectedLink })
        }
    }

    /// Decodes one frame and expects a particular message type. An `ErrorReply` from the peer is thrown as is.
    public func decode<M: WireMessage>(_ message: NNGMessage, from socket: NNGSocket? = nil, as _: M.Type) throws -> M {
        let decoded = try decode(message, from: socket)
        if let m = decoded.payload as? M { return m }
        if case let .error(reply) = decoded { throw reply }
        throw ProtocolError.unexpectedMessage(expected: M.messageType, received: decoded.type)
    }

    /// Decodes one frame and reports how many bytes the decoder allocated for it (for tests of the bound).
    public func decode(_ frame: UnsafeRawBufferPointer, allocatedBytes: inout Int) throws(ProtocolError) -> Message {
        try decode(frame, allocatedBytes: &allocatedBytes, backing: nil, linkProtectsPayload: { false })
    }

    /// `linkProtectsPayload` is asked only for a frame that needs it (it may look up the message's pipe).
    private func decode(_ frame: UnsafeRawBufferPointer, allocatedBytes: inout Int, backing: WireBacking?,
                        linkProtectsPayload: () -> Bool) throws(ProtocolError) -> Message {
        let header = try decodeHeader(frame)
        let macSize = header.flags.contains(.authenticated) ? SharedSecret.macSize : 0
        let expected = Self.headerSize + header.wireLength + macSize
        guard frame.count >= expected else { throw .truncatedFrame(length: frame.count, needed: expected) }
        guard frame.count == expected else { throw .trailingBytes(length: frame.count, expected: expected) }
        let payloadEnd = Self.headerSize + header.wireLength
        let wire = UnsafeRawBufferPointer(rebasing: frame[Self.headerSize..<payloadEnd])
        if header.flags.contains(.payloadUnchecksummed), !linkProtectsPayload() { throw .payloadChecksumRequired }
        let computed = Self.checksum(header: frame, payload: wire, flags: header.flags)
        guard computed == header.checksum else { throw .checksumMismatch(expected: header.checksum, computed: computed) }
        switch (options.secret, header.flags.contains(.authenticated)) {
        case (nil, true): throw .authenticationNotConfigured
        case (.some, false): throw .authenticationMissing
        case let (.some(secret), true):
            let signed = UnsafeRawBufferPointer(rebasing: frame[0..<payloadEnd])
            let mac = UnsafeRawBufferPointer(rebasing: frame[payloadEnd..<expected])
            guard secret.isValid(mac, for: signed) else { throw .authenticationFailed }
        case (nil, false): break
        }
        guard let type = MessageType(rawValue: header.messageType) else { throw .unknownMessageType(header.messageType) }

        guard header.flags.contains(.compressed) else {
            var reader = backing.map { WireReader(wire, messageType: type, backing: $0) } ?? WireReader(wire, messageType: type)
            defer { allocatedBytes = reader.allocatedBytes }
            return try Message.decode(type, from: &reader)
        }
        // The decompressed payload becomes the backing its arrays point into.
        let decoded = UnsafeMutableRawBufferPointer.allocate(byteCount: max(header.decodedLength, 1), alignment: 16)
        let owner = WireBacking(taking: decoded)
        allocatedBytes = header.decodedLength
        do {
            try ZstdDecompressor().decompress(wire, into: UnsafeMutableRawBufferPointer(rebasing: decoded[0..<header.decodedLength]))
        } catch {
            throw .decompressionFailed(error.description)
        }
        var reader = WireReader(UnsafeRawBufferPointer(rebasing: decoded[0..<header.decodedLength]), messageType: type,
                                backing: owner)
        defer { allocatedBytes += reader.allocatedBytes }
        return try Message.decode(type, from: &reader)
    }
}

/// Default sizes shared by sockets and codecs.
public struct ProtocolLimits: Sendable {
    /// The largest payload a frame may carry (weights travel in chunks well below this).
    public var maxPayloadBytes: Int
    /// nng's receive limit: the payload plus header and HMAC.
    public var maxFrameBytes: Int { maxPayloadBytes + FrameCodec.headerSize + SharedSecret.macSize }

    public init(maxPayloadBytes: Int) { self.maxPayloadBytes = maxPayloadBytes }

    public static let `default` = ProtocolLimits(maxPayloadBytes: 64 << 20)
}
