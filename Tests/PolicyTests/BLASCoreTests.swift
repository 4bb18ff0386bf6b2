import Foundation
@testable import Policy
import TestSupport
import Testing

/// The OpenBLAS core: the decisions for every CPU class, the product check, and the real mechanism (the
/// executable restarting itself with `OPENBLAS_CORETYPE`) through `grpo-lambda machine`.
@Suite struct BLASCoreTests {
    @Test func theBestCoreFollowsTheWidestVectors() {
        #expect(BLASCore.bestCore(avx512: true, avx2FMA: true, avx: true) == "SkylakeX")
        #expect(BLASCore.bestCore(avx512: false, avx2FMA: true, avx: true) == "Haswell")
        #expect(BLASCore.bestCore(avx512: false, avx2FMA: false, avx: true) == "Sandybridge")
        #expect(BLASCore.bestCore(avx512: false, avx2FMA: false, avx: false) == nil)
    }

    @Test func aGenericPickOnAWideCPUIsWeakerAndAnEquallyWideOneIsNot() {
        // Debian's 0.3.21 on a Sapphire Rapids Xeon: Prescott (SSE3) where SkylakeX runs.
        #expect(BLASCore.isWeaker("Prescott", than: "SkylakeX"))
        #expect(BLASCore.isWeaker("Haswell", than: "SkylakeX"))
        #expect(BLASCore.isWeaker("Nehalem", than: "Haswell"))
        #expect(!BLASCore.isWeaker("Cooperlake", than: "SkylakeX"))
        #expect(!BLASCore.isWeaker("Zen", than: "Haswell"))
        #expect(!BLASCore.isWeaker("SkylakeX", than: "Haswell"))
    }

    @Test func theRunningCoreComputesTheCheckProductRight() {
        let error = BLASCore.checkProduct()
        #expect(error < BLASCore.checkTolerance && error < 1e-5, "relative error \(error)")
    }

    static func machine(_ environment: [String: String?]) async throws -> [String: Any] {
        let run = try await CommandRun.run(try BuiltProduct.path("grpo-lambda"), ["machine"], environment: environment)
        return (try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any]) ?? [:]
    }

    #if arch(x86_64)
    @Test func theExecutableRestartsItselfWithTheCoreItChooses() async throws {
        // A named core: the process execs itself with OPENBLAS_CORETYPE set and runs that core.
        let requested = try await Self.machine(["OPENBLAS_CORETYPE": nil, BLASCore.requestVariable: "Sandybridge"])
        #expect(requested["openblas_core"] as? String == "Sandybridge")
        #expect(requested["openblas_core_source"] as? String == "requested")
        // The user's OPENBLAS_CORETYPE wins, even when weaker.
        let explicit = try await Self.machine(["OPENBLAS_CORETYPE": "Prescott", BLASCore.requestVariable: nil])
        #expect(explicit["openblas_core"] as? String == "Prescott")
        #expect(explicit["openblas_core_source"] as? String == "environment")
        // Left alone: never weaker than the CPU's best.
        let auto = try await Self.machine(["OPENBLAS_CORETYPE": nil, BLASCore.requestVariable: nil])
        let core = try #require(auto["openblas_core"] as? String), best = auto["openblas_core_best_for_cpu"] as? String
        if let best, best != "unknown" { #expect(!BLASCore.isWeaker(core, than: best), "\(core) on a \(best) CPU") }
        #expect(["library", "upgraded"].contains(auto["openblas_core_source"] as? String ?? ""))
        #expect((auto["openblas_check_error"] as? Double ?? 1) < BLASCore.checkTolerance)
    }

    @Test func aRequestedDecodeKernelRunsWhereTheCPUHasIt() async throws {
        // The portable kernel runs anywhere; the widest otherwise, also when a kernel the CPU lacks is named.
        let portable = try await Self.machine([DecodeKernel.requestVariable: "portable-swift"])
        #expect(portable["decode_kernel"] as? String == "portable-swift")
        let widest = DecodeKernel.available.last!
        for name in ["avx512", "no-such-kernel"] {
            let expected = DecodeKernel(rawValue: name).map { $0.isAvailable ? $0 : widest } ?? widest
            #expect(try await Self.machine([DecodeKernel.requestVariable: name])["decode_kernel"] as? String == expected.rawValue)
        }
    }
    #endif
}
