import Foundation

/// Where this process runs: the CPU, its vector units, and the kernels the engine chose on it. `grpo-lambda
/// machine` prints it and every `grpo-bench` suite's JSON carries it as `"machine"`, so a figure never travels
/// without its CPU.
public enum MachineDescription {
    public static func json() -> [String: Any] {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        func field(_ name: String) -> String? {
            cpuinfo.split(separator: "\n").first { $0.hasPrefix(name) }
                .flatMap { $0.split(separator: ":", maxSplits: 1).last }.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let flags = Set((field("flags") ?? "").split(separator: " ").map(String.init))
        let vector = ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512_bf16",
                      "amx_tile", "pclmulqdq", "vpclmulqdq"].filter(flags.contains)
        var object: [String: Any] = [
            "cpu_model": field("model name") ?? "unknown",
            "cpu_family_model": "\(field("cpu family") ?? "?")/\(field("model") ?? "?")",
            "logical_cpus": ProcessInfo.processInfo.activeProcessorCount,
            "vector_features": vector,
            "decode_kernel": EngineKernels.decode,
            "engine_helper_spin_us": ForkJoinTeam.configuredSpinTime / 1_000,
            "load_average": (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))
                .map { $0.split(separator: " ").prefix(3).joined(separator: " ") } ?? "",
        ]
        if let blas = BLASCore.selection {
            object["openblas_core"] = blas.core
            object["openblas_core_source"] = blas.source.rawValue
            object["openblas_core_best_for_cpu"] = blas.best ?? "unknown"
            object["openblas_config"] = blas.configuration
            object["openblas_check_error"] = blas.checkError
        }
        return object
    }
}
