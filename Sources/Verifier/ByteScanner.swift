/// Byte-level searches shared by the extractor and the normaliser; all linear, none allocating.
enum ByteScanner {
    /// Index of the `}` matching the `{` at `open` (a backslash escapes the next byte, so `\{` `\}` do not
    /// count), or nil if it is never closed before `end`.
    static func matchingBrace<S: RandomAccessCollection<UInt8>>(_ s: S, from open: Int, end: Int) -> Int?
    where S.Index == Int {
        var level = 0, q = open
        while q < end {
            let c = s[q]
            if c == .backslash {
                q += 2
                continue
            }
            if c == .openBrace {
                level += 1
            } else if c == .closeBrace {
                level -= 1
                if level == 0 { return q }
            }
            q += 1
        }
        return nil
    }

    /// Whether `s[i...]` starts with `pattern`, comparing ASCII letters case-insensitively when `ignoringCase`.
    @inline(__always)
    static func matches<S: RandomAccessCollection<UInt8>>(_ s: S, at i: Int, _ pattern: [UInt8], ignoringCase: Bool = false)
        -> Bool where S.Index == Int
    {
        guard i >= 0, i + pattern.count <= s.count else { return false }
        for (k, p) in pattern.enumerated() {
            let c = s[i + k]
            if c != p && !(ignoringCase && c.lowercased == p) { return false }
        }
        return true
    }
}
