/// FNV-1a, a hash that is the same on every run, machine and Swift version (unlike `Hasher`, which is seeded per
/// process): for splitting data by content, naming random streams and fingerprinting layouts.
public enum StableHash {
    public static func fnv1a(_ text: String) -> UInt64 { fnv1a(text.utf8) }

    public static func fnv1a<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }
}
