internal import CBLAS
internal import CKernels
import Foundation
import Synchronization

/// Which OpenBLAS kernel family ("core") runs every matrix product, chosen once when a process starts.
///
/// OpenBLAS picks its core from the CPU when the library loads and reads `OPENBLAS_CORETYPE` only then. Debian's
/// 0.3.21 does not know current Xeons (Sapphire and Emerald Rapids) and falls back to `Prescott`, an SSE3 kernel a
/// quarter as fast as `SkylakeX` on the same chip. `selectAtStartup()` therefore compares the core OpenBLAS
/// picked with the best one the CPU's vector units support and, when OpenBLAS picked a weaker one, starts the
/// process again (exec, same arguments) with `OPENBLAS_CORETYPE` set. An `OPENBLAS_CORETYPE` the user set wins.
/// Then one product is checked against a Float64 reference: a core that computes a wrong product (older OpenBLAS
/// builds do on some CPUs) is never used to train: the process falls back to OpenBLAS's own pick, or stops.
public struct BLASCoreSelection: Sendable, CustomStringConvertible {
    /// How the core came to be the one running.
    public enum Source: String, Sendable {
        /// OpenBLAS's own pick, already as good as the CPU allows.
        case library
        /// `OPENBLAS_CORETYPE` set by the user (kept, even when weaker than the CPU allows).
        case environment
        /// Raised from OpenBLAS's pick to `best` by this process (re-exec with `OPENBLAS_CORETYPE`).
        case upgraded
        /// Named in `GRPO_LAMBDA_BLAS_CORE`.
        case requested
        /// The upgraded or requested core failed the product check; OpenBLAS's own pick runs instead.
        case fallback
    }

    /// `openblas_get_corename()`: the core running now.
    public let core: String
    /// The best core this CPU supports (`SkylakeX`, `Haswell`, `Sandybridge`), nil where no class is known.
    public let best: String?
    public let source: Source
    /// Largest error of the check product relative to its Float64 reference (scaled by Σ|a||b|).
    public let checkError: Double
    /// `openblas_get_config()`: version and build options.
    public let configuration: String

    public var description: String {
        "OpenBLAS core \(core) (\(source.rawValue); CPU best \(best ?? "unknown")), product check error "
            + String(format: "%.1e", checkError)
    }
}

public enum BLASCore {
    /// `auto` (default): raise a weak pick to the CPU's best; `library`: keep OpenBLAS's pick; or a core name.
    public static let requestVariable = "GRPO_LAMBDA_BLAS_CORE"
    /// Set by this process before it re-execs itself, so the new image knows (and never loops).
    static let markerVariable = "GRPO_LAMBDA_BLAS_REEXEC"
    /// Check products whose error exceeds this (relative to Σ|a||b|) are wrong, not rounding.
    static let checkTolerance = 1e-4

    /// What `selectAtStartup()` found (nil before it ran).
    public static var selection: BLASCoreSelection? { state.withLock { $0 } }
    private static let state = Mutex<BLASCoreSelection?>(nil)

    /// Call first in `main`, before any product and before any thread starts: may replace the process (exec).
    /// Stops the process (exit 70) when OpenBLAS's own core computes a wrong product.
    @discardableResult
    public static func selectAtStartup() -> BLASCoreSelection {
        let environment = ProcessInfo.processInfo.environment
        let marker = environment[markerVariable]
        let request = environment[requestVariable] ?? "auto"
        let best = bestCore(avx512: ckernels_avx512_available() != 0, avx2FMA: ckernels_avx2_fma_available() != 0,
                            avx: ckernels_avx_available() != 0)
        let picked = currentCore

        if marker == nil && environment["OPENBLAS_CORETYPE"] == nil {
            let target: String?
            switch request {
            case "auto": target = best.flatMap { isWeaker(picked, than: $0) ? $0 : nil }
            case "library": target = nil
            default: target = request.caseInsensitiveCompare(picked) == .orderedSame ? nil : request
            }
            if let target { reexec(coreType: target, marker: request == "auto" ? "upgraded" : "requested") }
        }

        let source: BLASCoreSelection.Source
        switch marker {
        case "upgraded": source = .upgraded
        case "requested": source = .requested
        case "fallback": source = .fallback
        default: source = environment["OPENBLAS_CORETYPE"] == nil ? .library : .environment
        }
        let error = checkProduct()
        if !(error <= checkTolerance) {
            if source == .upgraded || source == .requested {
                // The core we chose is wrong here: back to OpenBLAS's own pick.
                unsetenv("OPENBLAS_CORETYPE")
                setenv(requestVariable, "library", 1)
                reexec(coreType: nil, marker: "fallback")
            }
            let message = "grpo-lambda: OpenBLAS core \(picked) computes a wrong matrix product here (relative error "
                + "\(error)); set OPENBLAS_CORETYPE to another core (e.g. Haswell) or install another OpenBLAS\n"
            FileHandle.standardError.write(Data(message.utf8))
            exit(70)
        }
        let selection = BLASCoreSelection(core: picked, best: best, source: source, checkError: error,
                                          configuration: String(cString: openblas_get_config()))
        state.withLock { $0 = selection }
        return selection
    }

    /// `openblas_get_corename()`.
    public static var currentCore: String { String(cString: openblas_get_corename()) }

    // MARK: Decisions (pure, tested on every CPU class)

    /// The best OpenBLAS core for a CPU with these vector units.
    static func bestCore(avx512: Bool, avx2FMA: Bool, avx: Bool) -> String? {
        if avx512 { return "SkylakeX" }
        if avx2FMA { return "Haswell" }
        if avx { return "Sandybridge" }
        return nil
    }

    /// Whether `core` uses narrower vectors than `best`: AVX-512 cores > AVX2 cores > AVX cores > the rest.
    public static func isWeaker(_ core: String, than best: String) -> Bool { vectorClass(core) < vectorClass(best) }

    static func vectorClass(_ core: String) -> Int {
        switch core.lowercased() {
        case "skylakex", "cooperlake", "sapphirerapids": 3
        case "haswell", "zen", "excavator": 2
        case "sandybridge", "bulldozer", "piledriver", "steamroller": 1
        default: 0  // Prescott, Core2, Penryn, Dunnington, Nehalem, Atom, Barcelona, Bobcat, generic, ...
        }
    }

    // MARK: Mechanics

    /// Starts this executable again with the same arguments and `OPENBLAS_CORETYPE` = `coreType` (unchanged when
    /// nil). Returns only if exec fails (then the process goes on with the core it has).
    private static func reexec(coreType: String?, marker: String) {
        if let coreType { setenv("OPENBLAS_CORETYPE", coreType, 1) }
        setenv(markerVariable, marker, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        unsetenv(markerVariable)
    }

    /// The largest relative error of one odd-shaped product (edge kernels included), both transposes, against
    /// Float64. Operands are seeded, so the figure is the same on every run of a CPU and core.
    static func checkProduct() -> Double {
        let m = 67, n = 45, k = 131
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
        }
        let a = (0..<(m * k)).map { _ in next() }
        let b = (0..<(n * k)).map { _ in next() }  // stored [n, k]: the product uses Bᵀ
        var c = [Float](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    BLAS.sgemm(transposeB: true, m: m, n: n, k: k, a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: k,
                               c: pc.baseAddress!, ldc: n)
                }
            }
        }
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var exact = 0.0, scale = 0.0
                for p in 0..<k {
                    let x = Double(a[i * k + p]) * Double(b[j * k + p])
                    exact += x
                    scale += abs(x)
                }
                let error = abs(Double(c[i * n + j]) - exact) / max(scale, 1e-30)
                if !(error <= worst) { worst = error }  // NaN wins
            }
        }
        return worst
    }
}
