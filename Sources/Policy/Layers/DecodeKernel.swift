internal import CKernels

/// The implementations of the decode projection (`Linear.forwardFewRows`), chosen once per process by what the
/// CPU supports.
///
/// The engine is compiled for baseline x86-64 (and arm64), so its Swift code cannot use AVX2 or FMA; the
/// `avx2FMA` kernel is C with a per-function target (`CKernels.h`) and runs only where the CPU has both.
enum DecodeKernel: CaseIterable, Sendable {
    /// Swift SIMD, 4 input rows × 2 weight rows per register block: any CPU.
    case portable
    /// AVX2/FMA intrinsics, 4 input rows × 3 weight rows of 8-lane accumulators, weights prefetched: x86-64 with
    /// AVX2 and FMA (Haswell, Zen and later).
    case avx2FMA

    /// The fastest kernel this CPU runs, decided on first use.
    static let selected: DecodeKernel = avx2FMA.isAvailable ? .avx2FMA : .portable

    /// The kernels this CPU runs (always including `portable`).
    static var available: [DecodeKernel] { allCases.filter(\.isAvailable) }

    /// Whether this CPU runs the kernel.
    var isAvailable: Bool {
        switch self {
        case .portable: true
        case .avx2FMA: ckernels_avx2_fma_available() != 0
        }
    }

    /// Output columns per register block: a worker's column range is a multiple of it (but the last).
    var columnBlock: Int {
        switch self {
        case .portable: 2
        case .avx2FMA: 3
        }
    }
}

/// The engine's kernels as this CPU runs them, by name (for benchmark reports and logs).
public enum EngineKernels {
    /// The decode projection's kernel: `avx2-fma` or `portable-swift`.
    public static var decode: String { DecodeKernel.selected == .avx2FMA ? "avx2-fma" : "portable-swift" }
}
