internal import CKernels
import Foundation

/// The implementations of the decode projection (`Linear.forwardFewRows`), chosen once per process by what the
/// CPU supports.
///
/// The engine is compiled for baseline x86-64 (and arm64), so its Swift code cannot use AVX2 or FMA; the
/// `avx2FMA` kernel is C with a per-function target (`CKernels.h`) and runs only where the CPU has both.
enum DecodeKernel: String, CaseIterable, Sendable {
    /// Swift SIMD, 4 input rows × 2 weight rows per register block: any CPU.
    case portable = "portable-swift"
    /// AVX2/FMA intrinsics, 4 input rows × 3 weight rows of 8-lane accumulators, weights prefetched: x86-64 with
    /// AVX2 and FMA (Haswell, Zen and later).
    case avx2FMA = "avx2-fma"
    /// The same block with 16-lane AVX-512 accumulators and masked tails: x86-64 with AVX-512 F/BW/DQ/VL
    /// (Skylake-X, Ice Lake, Sapphire Rapids, Zen 4 and later).
    case avx512 = "avx512"

    /// Names a kernel to use instead of the fastest (`portable-swift`, `avx2-fma`, `avx512`): for measuring one
    /// against another in the same binary. A kernel this CPU lacks is ignored.
    static let requestVariable = "GRPO_LAMBDA_DECODE_KERNEL"

    /// The kernel every decode projection uses, decided on first use: the request if this CPU runs it, else the
    /// widest this CPU runs.
    static let selected: DecodeKernel = {
        if let name = ProcessInfo.processInfo.environment[requestVariable], let requested = DecodeKernel(rawValue: name),
           requested.isAvailable {
            return requested
        }
        return [.avx512, .avx2FMA].first(where: \.isAvailable) ?? .portable
    }()

    /// The kernels this CPU runs (always including `portable`).
    static var available: [DecodeKernel] { allCases.filter(\.isAvailable) }

    /// Whether this CPU runs the kernel.
    var isAvailable: Bool {
        switch self {
        case .portable: true
        case .avx2FMA: ckernels_avx2_fma_available() != 0
        case .avx512: ckernels_avx512_available() != 0
        }
    }

    /// Output columns per register block: a worker's column range is a multiple of it (but the last).
    var columnBlock: Int {
        switch self {
        case .portable: 2
        case .avx2FMA, .avx512: 3
        }
    }
}

/// The engine's kernels as this CPU runs them, by name (for benchmark reports and logs).
public enum EngineKernels {
    /// The decode projection's kernel: `avx512`, `avx2-fma` or `portable-swift`.
    public static var decode: String { DecodeKernel.selected.rawValue }
}
