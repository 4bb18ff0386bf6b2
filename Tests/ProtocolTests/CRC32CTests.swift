import Seeding
import Testing
@testable import Protocol

@Suite struct CRC32CTests {
    @Test func knownVectors() {
        // RFC 3720 (iSCSI) appendix B.4 and the common "123456789" check value.
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum([]) == 0)
    }

    @Test func hardwarePathMatchesSoftwareAtEveryLengthAndAlignment() {
        var rng = SeededGenerator(seed: 7)
        let data = (0..<(3 * 8192 * 2 + 3 * 256 * 3 + 77)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        data.withUnsafeBytes { all in
            for length in [0, 1, 7, 8, 9, 15, 16, 63, 64, 127, 128, 129, 143, 144, 191, 192, 255, 256, 767, 768, 769, 24_576, 24_589, all.count - 8] {
                for offset in 0..<8 {
                    let slice = UnsafeRawBufferPointer(rebasing: all[offset..<(offset + length)])
                    #expect(CRC32C.checksum(slice) == CRC32C.updateSoftware(0, slice), "length \(length) offset \(offset)")
                }
            }
            // Chaining equals one pass.
            let a = UnsafeRawBufferPointer(rebasing: all[0..<1000])
            let b = UnsafeRawBufferPointer(rebasing: all[1000..<30_000])
            #expect(CRC32C.update(CRC32C.checksum(a), b) == CRC32C.checksum(UnsafeRawBufferPointer(rebasing: all[0..<30_000])))
        }
    }
}
