import Foundation

/// The CPU's feature flags as the Linux kernel lists them in /proc/cpuinfo (`avx2`, `avx512f`, `vpclmulqdq`, …),
/// read independently of the engine's own detection so tests can check its run-time choices against them. Nil
/// where there is no /proc/cpuinfo or no flags line.
public enum CPUFlags {
    public static func current() -> Set<String>? {
        guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        return Set(line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }).map(String.init))
    }
}
