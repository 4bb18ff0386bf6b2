import Testing
@testable import Protocol

@Suite struct FrameCodecTests {
    let secret = SharedSecret("a shared secret of the run, 32+ bytes")!

    @Test(arguments: 0..<SampleMessages.all.count)
    func everyMessageRoundTrips(index: Int) throws {
        let message = SampleMessages.all[index]
        for options in [FrameCodec.Options(), FrameCodec.Options(compressionThreshold: 0),
                        FrameCodec.Options(secret: secret), FrameCodec.Options(compressionThreshold: 0, secret: secret)] {
            let codec = FrameCodec(options: options)
            let frame = try codec.encodeBytes(message)
            let decoded = try frame.withUnsafeBytes { try codec.decode($0) }
            #expect(decoded == Message(message))
            // From an nng message the bulk arrays are views into it, not copies; the values are the same.
            let received = try codec.decode(NNGMessage(copying: frame))
            #expect(received == Message(message))
            #expect(decoded.type == type(of: message).messageType)
        }
    }

    @Test func headerLayoutIsAsDocumented() throws {
        let frame = try FrameCodec().encodeBytes(Ack(value: 0x0102_0304_0506_0708))
        #expect(frame.count == 24 + 8)
        #expect(Array(frame[0..<4]) == Array("GRPL".utf8))
        #expect(frame[4] == 1 && frame[5] == 0)  // version 1, little-endian
        #expect(frame[6] == UInt8(MessageType.ack.rawValue) && frame[7] == 0)
        #expect(Array(frame[8..<12]) == [0, 0, 0, 0])  // no flags
        #expect(Array(frame[12..<16]) == [8, 0, 0, 0])  // wire length
        #expect(Array(frame[16..<20]) == [8, 0, 0, 0])  // decoded length
        let crc = frame.withUnsafeBytes { FrameCodec.checksum(header: $0, payload: UnsafeRawBufferPointer(rebasing: $0[24...])) }
        #expect(frame[20..<24].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) } == crc)
        #expect(Array(frame[24...]) == [8, 7, 6, 5, 4, 3, 2, 1])
    }

    @Test func compressionIsUsedOnlyWhenItPays() throws {
        let codec = FrameCodec(options: .init(compressionThreshold: 1024))
        let big = RolloutGroup.synthetic(payloadBytes: 64 << 10)
        let compressed = try codec.encodeBytes(big)
        let flags = compressed[8..<12].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        #expect(flags & FrameCodec.Flags.compressed.rawValue != 0)
        #expect(compressed.count < (64 << 10))
        let random = WeightChunk(version: 1, encoding: .float32, baseVersion: 1, chunkIndex: 0, chunkCount: 1,
                                 bytes: WireArray((0..<4096).map { _ in UInt8.random(in: 0...255) }))
        let incompressible = try codec.encodeBytes(random)
        let flags2 = incompressible[8..<12].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        #expect(flags2 & FrameCodec.Flags.compressed.rawValue == 0)
    }

    private func decodeError(_ frame: [UInt8], _ codec: FrameCodec = FrameCodec(),
                             linkProtectsPayload: Bool = false) -> ProtocolError? {
        do {
            _ = try frame.withUnsafeBytes { try codec.decode($0, linkProtectsPayload: linkProtectsPayload) }
            return nil
        } catch let error as ProtocolError {
            return error
        } catch {
            Issue.record("decoder threw an untyped error: \(error)")
            return nil
        }
    }

    private func patched(_ frame: [UInt8], at offset: Int, _ value: some FixedWidthInteger, fixCRC: Bool = false) -> [UInt8] {
        var f = frame
        f.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: type(of: value)) }
        if fixCRC { f = withFixedCRC(f) }
        return f
    }

    private func withFixedCRC(_ frame: [UInt8]) -> [UInt8] {
        var f = frame
        let crc = f.withUnsafeBytes { FrameCodec.checksum(header: $0, payload: UnsafeRawBufferPointer(rebasing: $0[24...])) }
        f.withUnsafeMutableBytes { $0.storeBytes(of: crc.littleEndian, toByteOffset: 20, as: UInt32.self) }
        return f
    }

    @Test func eachFaultHasItsOwnError() throws {
        let codec = FrameCodec()
        let frame = try codec.encodeBytes(SampleMessages.rolloutGroup)
        #expect(decodeError(Array(frame[0..<10])) == .truncatedFrame(length: 10, needed: 24))
        #expect(decodeError(Array(frame.dropLast(3))) == .truncatedFrame(length: frame.count - 3, needed: frame.count))
        #expect(decodeError(frame + [0]) == .trailingBytes(length: frame.count + 1, expected: frame.count))
        #expect(decodeError(patched(frame, at: 0, UInt32(0x5054_5448))) == .badMagic(0x5054_5448))
        #expect(decodeError(patched(frame, at: 4, UInt16(2))) == .unsupportedVersion(received: 2, supported: 1))
        #expect(decodeError(patched(frame, at: 6, UInt16(999), fixCRC: true)) == .unknownMessageType(999))
        #expect(decodeError(patched(frame, at: 8, UInt32(1 << 7))) == .unknownFlags(1 << 7))
        #expect(decodeError(patched(frame, at: 12, UInt32.max)) == .oversizedPayload(declared: Int(UInt32.max), limit: codec.options.maxPayloadBytes))
        var flipped = frame
        flipped[40] ^= 0x10
        guard case .checksumMismatch = decodeError(flipped) else { Issue.record("bit flip not caught by CRC"); return }
        // A payload whose array count lies (CRC fixed up so the payload parser sees it).
        let lying = patched(frame, at: 24 + 8 + 8 + 4 + "host-a/1234/0".utf8.count + 8, UInt32.max, fixCRC: true)
        guard case let .malformedPayload(type, field, _) = decodeError(lying) else { Issue.record("lying count accepted"); return }
        #expect(type == .rolloutGroup && field == "prompt")
    }

    private func flags(_ frame: [UInt8]) -> FrameCodec.Flags {
        FrameCodec.Flags(rawValue: frame[8..<12].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })
    }

    @Test(arguments: [nil, 1024])
    func aPayloadIsLeftOutOfTheCRCOnlyWhereTheLinkProtectsIt(compressionThreshold: Int?) throws {
        let codec = FrameCodec(options: .init(compressionThreshold: compressionThreshold))
        let group = RolloutGroup.synthetic(payloadBytes: 64 << 10)
        let checked = try codec.encodeBytes(group)
        let unchecked = try codec.encode(group, linkProtectsPayload: true).bytes
        #expect(flags(unchecked) == flags(checked).union(.payloadUnchecksummed))
        #expect(flags(checked).contains(.compressed) == (compressionThreshold != nil))
        // Its CRC covers the header alone, and it decodes only where the bytes came over a protecting link.
        #expect(unchecked[20..<24].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) } == CRC32C.checksum(Array(unchecked[0..<20])))
        #expect(try unchecked.withUnsafeBytes { try codec.decode($0, linkProtectsPayload: true) } == Message(group))
        #expect(decodeError(unchecked) == .payloadChecksumRequired)
        // The header stays covered: a damaged message type, or the flag cleared in transit, is still caught.
        for damaged in [patched(unchecked, at: 6, UInt16(MessageType.weightChunk.rawValue)),
                        patched(unchecked, at: 8, flags(checked).rawValue)] {
            guard case .checksumMismatch = decodeError(damaged, codec, linkProtectsPayload: true) else {
                Issue.record("damaged header of an unchecksummed frame accepted"); continue
            }
        }
        // `.always` keeps the payload in the CRC on any link, and a damaged payload is then caught on any link.
        let always = FrameCodec(options: .init(compressionThreshold: compressionThreshold, payloadChecksum: .always))
        let stillChecked = try always.encode(group, linkProtectsPayload: true).bytes
        #expect(!flags(stillChecked).contains(.payloadUnchecksummed))
        var flipped = stillChecked
        flipped[100] ^= 0x10
        guard case .checksumMismatch = decodeError(flipped, always, linkProtectsPayload: true) else {
            Issue.record("bit flip not caught on a protecting link"); return
        }
    }

    @Test func authenticationFailuresAreDistinct() throws {
        let signed = FrameCodec(options: .init(secret: secret))
        let other = FrameCodec(options: .init(secret: SharedSecret("a different secret, also long enough")!))
        let plain = FrameCodec()
        let frame = try signed.encodeBytes(SampleMessages.rolloutGroup)
        #expect(decodeError(frame, signed) == nil)
        #expect(decodeError(frame, other) == .authenticationFailed)
        #expect(decodeError(frame, plain) == .authenticationNotConfigured)
        #expect(decodeError(try plain.encodeBytes(SampleMessages.rolloutGroup), signed) == .authenticationMissing)
        // Tampering with the payload and fixing the CRC (an attacker can do that) is caught by the HMAC.
        var tampered = frame
        tampered[30] ^= 1
        let end = tampered.count - 32
        let crc = tampered.withUnsafeBytes { FrameCodec.checksum(header: $0, payload: UnsafeRawBufferPointer(rebasing: $0[24..<end])) }
        tampered.withUnsafeMutableBytes { $0.storeBytes(of: crc.littleEndian, toByteOffset: 20, as: UInt32.self) }
        #expect(decodeError(tampered, signed) == .authenticationFailed)
    }

    @Test func inconsistentCompletionArraysAreRefused() throws {
        var group = SampleMessages.rolloutGroup
        group.completions[0].policyLogProbs = WireArray(group.completions[0].policyLogProbs.dropLast())
        let frame = try FrameCodec().encodeBytes(group)
        guard case let .malformedPayload(_, field, _) = decodeError(frame) else { Issue.record("accepted"); return }
        #expect(field == "logprobs")
    }

    @Test func senderRefusesPayloadsAboveItsLimit() throws {
        let codec = FrameCodec(options: .init(maxPayloadBytes: 1000))
        #expect(throws: ProtocolError.oversizedPayload(declared: 4096 + 8 + 1 + 8 + 4 + 4 + 4, limit: 1000)) {
            try codec.encodeBytes(WeightChunk(version: 1, encoding: .float32, baseVersion: 1, chunkIndex: 0, chunkCount: 1,
                                              bytes: WireArray([UInt8](repeating: 0, count: 4096))))
        }
    }

    @Test func decompressionBombIsRefusedBeforeAllocating() throws {
        // A frame that claims a small decoded size but carries a zstd frame of 32 MiB of zeros.
        let zeros = [UInt8](repeating: 0, count: 32 << 20)
        let bomb = try zeros.withUnsafeBytes { try ZstdCompressor(level: 3).compress($0) }
        var frame = [UInt8](repeating: 0, count: 24) + bomb
        frame.withUnsafeMutableBytes {
            $0.storeBytes(of: FrameCodec.magic.littleEndian, toByteOffset: 0, as: UInt32.self)
            $0.storeBytes(of: UInt16(1).littleEndian, toByteOffset: 4, as: UInt16.self)
            $0.storeBytes(of: MessageType.weightChunk.rawValue.littleEndian, toByteOffset: 6, as: UInt16.self)
            $0.storeBytes(of: FrameCodec.Flags.compressed.rawValue.littleEndian, toByteOffset: 8, as: UInt32.self)
            $0.storeBytes(of: UInt32(bomb.count).littleEndian, toByteOffset: 12, as: UInt32.self)
            $0.storeBytes(of: UInt32(4096).littleEndian, toByteOffset: 16, as: UInt32.self)
        }
        frame = withFixedCRC(frame)
        var allocated = 0
        let codec = FrameCodec()
        #expect(throws: ProtocolError.self) {
            _ = try frame.withUnsafeBytes { try codec.decode($0, allocatedBytes: &allocated) }
        }
        #expect(allocated <= 4096)
        guard case .decompressionFailed = decodeError(frame) else { Issue.record("bomb accepted"); return }
    }
}

@Suite struct WireArrayTests {
    @Test func receivedArraysBorrowTheMessageAndOutliveIt() throws {
        let codec = FrameCodec()
        var decoded: RolloutGroup?
        do {
            let message = try codec.encode(SampleMessages.rolloutGroup)
            guard case let .rolloutGroup(g) = try codec.decode(message) else { Issue.record("wrong type"); return }
            decoded = g
        }  // the NNGMessage is out of scope here; the arrays keep it alive
        let group = try #require(decoded)
        #expect(group.completions[0].tokens.isBorrowed)
        #expect(group.completions[0].tokens.array == [1, 2, 3, 151_642])
        #expect(Array(group.completions[0].policyLogProbs) == [-0.4, -1.5, -0.002, -8.0])
        #expect(group == SampleMessages.rolloutGroup)
        // Re-encoding a borrowed group gives the same frame as the original.
        #expect(try codec.encodeBytes(group) == codec.encodeBytes(SampleMessages.rolloutGroup))
        let copied = try codec.encodeBytes(SampleMessages.rolloutGroup).withUnsafeBytes { try codec.decode($0) }
        guard case let .rolloutGroup(c) = copied else { Issue.record("wrong type"); return }
        #expect(!c.completions[0].tokens.isBorrowed)
    }
}
