import Seeding
import TestSupport
import Testing
@testable import Protocol

/// Feeds 1,000,000 random and mutated frames to the decoder: it must never crash, never allocate more than the
/// configured maximum, and answer every bad frame with a `ProtocolError` (the decoder's typed throw).
@Suite struct FrameFuzzTests {
    static let iterations = 1_000_000
    static let maxPayload = 256 << 10

    @Test func decoderSurvivesAMillionHostileFrames() async throws {
        try await onDedicatedThread { try Self.fuzz() }
    }

    static func fuzz() throws {
        let codec = FrameCodec(options: .init(maxPayloadBytes: Self.maxPayload))
        let signed = FrameCodec(options: .init(maxPayloadBytes: Self.maxPayload, secret: SharedSecret("fuzzing secret 0123456789")!))
        let compressing = FrameCodec(options: .init(maxPayloadBytes: Self.maxPayload, compressionThreshold: 0))
        var corpus: [[UInt8]] = []
        for message in SampleMessages.all {
            corpus.append(try codec.encodeBytes(message))
            corpus.append(try compressing.encodeBytes(message))
        }
        corpus.append(try codec.encodeBytes(RolloutGroup.synthetic(payloadBytes: 16 << 10)))
        let signedFrame = try signed.encodeBytes(SampleMessages.rolloutGroup)

        var rng = SeededGenerator(seed: 2026)
        var accepted = 0
        var errors: [String: Int] = [:]
        var maxAllocated = 0
        for i in 0..<Self.iterations {
            var frame: [UInt8]
            var decoder = codec
            switch i % 6 {
            case 0:  // random bytes, sometimes behind a valid magic + version so the header checks run
                frame = (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if rng.next() % 2 == 0, frame.count >= 8 {
                    frame.replaceSubrange(0..<6, with: [0x47, 0x52, 0x50, 0x4C, 1, 0])
                }
            case 1:  // bit flips, CRC left alone
                frame = corpus[Int(rng.next() % UInt64(corpus.count))]
                for _ in 0...(rng.next() % 8) { flipBit(&frame, &rng) }
            case 2:  // bit flips in the payload with the CRC fixed up, so the payload parser sees them
                frame = corpus[Int(rng.next() % UInt64(corpus.count))]
                for _ in 0...(rng.next() % 4) { flipBit(&frame, &rng, from: 24) }
                fixCRC(&frame)
            case 3:  // truncation, with the header's lengths adjusted and the CRC fixed
                frame = corpus[Int(rng.next() % UInt64(corpus.count))]
                let cut = 24 + Int(rng.next() % UInt64(frame.count - 23))
                frame.removeSubrange(cut...)
                if rng.next() % 2 == 0 {
                    store(&frame, 12, UInt32(frame.count - 24))
                    store(&frame, 16, UInt32(frame.count - 24))
                    fixCRC(&frame)
                }
            case 4:  // a u32 length somewhere set to a huge value, CRC fixed
                frame = corpus[Int(rng.next() % UInt64(corpus.count))]
                let huge: [UInt32] = [.max, 0x7FFF_FFFF, 1 << 30, UInt32(Self.maxPayload) + 1, 0x0100_0000]
                let offset = Int(rng.next() % UInt64(frame.count - 3))
                store(&frame, offset, huge[Int(rng.next() % UInt64(huge.count))])
                fixCRC(&frame)
            default:  // authenticated frames with flips: the HMAC must catch what the CRC fix-up hides
                frame = signedFrame
                flipBit(&frame, &rng, from: 24)
                if rng.next() % 2 == 0 { fixCRC(&frame, macBytes: 32) }
                decoder = signed
            }
            var allocated = 0
            do {
                _ = try frame.withUnsafeBytes { try decoder.decode($0, allocatedBytes: &allocated) }
                accepted += 1
            } catch let error as ProtocolError {
                errors[error.code, default: 0] += 1
            } catch {
                Issue.record("decoder threw an untyped error: \(error)")
            }
            maxAllocated = max(maxAllocated, allocated)
            // Every tenth frame also goes through the receive path, whose arrays borrow from the nng message.
            if i % 10 == 9 {
                do {
                    _ = try decoder.decode(NNGMessage(copying: frame))
                } catch let error as ProtocolError {
                    _ = error.code
                } catch {
                    Issue.record("receive path threw an untyped error: \(error)")
                }
            }
        }
        print("fuzz: \(Self.iterations) frames, \(accepted) decoded, errors by code: \(errors.sorted { $0.key < $1.key })")
        #expect(maxAllocated <= Self.maxPayload)
        #expect(accepted + errors.values.reduce(0, +) == Self.iterations)
        // The mutations must reach the deep checks, not only the cheap ones.
        for code in ["truncated_frame", "bad_magic", "checksum_mismatch", "malformed_payload", "oversized_payload",
                     "authentication_failed", "unknown_flags"] {
            #expect(errors[code, default: 0] > 0, "no frame reached \(code)")
        }
    }

    private static func flipBit(_ frame: inout [UInt8], _ rng: inout SeededGenerator, from start: Int = 0) {
        guard frame.count > start else { return }
        let i = start + Int(rng.next() % UInt64(frame.count - start))
        frame[i] ^= UInt8(1) << (rng.next() % 8)
    }

    private static func store(_ frame: inout [UInt8], _ offset: Int, _ value: UInt32) {
        guard offset + 4 <= frame.count else { return }
        frame.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self) }
    }

    private static func fixCRC(_ frame: inout [UInt8], macBytes: Int = 0) {
        guard frame.count >= 24 + macBytes else { return }
        let end = frame.count - macBytes
        let crc = frame.withUnsafeBytes { FrameCodec.checksum(header: $0, payload: UnsafeRawBufferPointer(rebasing: $0[24..<end])) }
        store(&frame, 20, crc)
    }
}
