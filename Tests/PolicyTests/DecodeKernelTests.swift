import Foundation
import Testing
import TestSupport
@testable import Policy

/// The decode-projection kernels (`DecodeKernel`, run by `Linear.forwardFewRows`) against a triple loop in
/// Float64 and against each other, on shapes that exercise every remainder of their register blocks.
@Suite struct DecodeKernelTests {
    /// Rows 1…17 (the AVX2 kernel's blocks are 4 rows, the portable one's too), inner sizes around its 8 lanes,
    /// outputs around its 3-column and 2-column blocks, split over one worker or two.
    static let innerSizes = [1, 3, 7, 8, 9, 15, 17, 31, 33, 100]
    static let outputSizes = [1, 2, 4, 5, 7, 10, 11, 13]

    /// One product's operands, reproducible from the shape.
    struct Case {
        let rows, k, n: Int
        let input, weight, bias, initial: TestBuffer

        init(rows: Int, k: Int, n: Int) {
            self.rows = rows
            self.k = k
            self.n = n
            let seed = UInt64(rows * 10_000 + k * 100 + n)
            input = TestBuffer(random: rows * k, seed: seed)
            weight = TestBuffer(random: n * k, seed: seed + 1)
            bias = TestBuffer(random: n, seed: seed + 2)
            initial = TestBuffer(random: rows * n, seed: seed + 3)
        }

        /// `kernel`'s output, starting from `initial` (which `accumulate` adds to and overwriting ignores).
        func run(_ kernel: DecodeKernel, bias useBias: Bool, accumulate: Bool, threads: Int) -> [Float] {
            let out = TestBuffer(initial.array)
            Linear.forwardFewRows(out: out.pointer, input: input.pointer, weight: weight.pointer,
                                  bias: useBias ? bias.pointer : nil, rows: rows, inFeatures: k, outFeatures: n,
                                  accumulate: accumulate, threads: threads, kernel: kernel)
            return out.array
        }

        /// The exact result (Float64 triple loop) and, per element, the magnitude that bounds any Float32
        /// evaluation's rounding error: Σ|x·w| + |bias| + |initial|.
        func reference(bias useBias: Bool, accumulate: Bool) -> (values: [Double], magnitudes: [Double]) {
            var values = [Double](repeating: 0, count: rows * n), magnitudes = values
            for r in 0..<rows {
                for j in 0..<n {
                    var sum = 0.0, magnitude = 0.0
                    for i in 0..<k {
                        let product = Double(input.pointer[r * k + i]) * Double(weight.pointer[j * k + i])
                        sum += product
                        magnitude += abs(product)
                    }
                    if useBias {
                        sum += Double(bias.pointer[j])
                        magnitude += abs(Double(bias.pointer[j]))
                    }
                    if accumulate {
                        sum += Double(initial.pointer[r * n + j])
                        magnitude += abs(Double(initial.pointer[r * n + j]))
                    }
                    values[r * n + j] = sum
                    magnitudes[r * n + j] = magnitude
                }
            }
            return (values, magnitudes)
        }

        /// Float32 sums of k + 2 terms in any order, with or without fused multiply-adds, are within
        /// (k + 2)·ε·magnitude of the exact value (ε = 2⁻²³, twice the unit roundoff: a safe margin over the
        /// worst-case bound γ(k+2)).
        var errorFactor: Double { Double(k + 2) * Double(Float.ulpOfOne) }
    }

    /// Every kernel this CPU runs equals the exact product within the Float32 rounding bound, for every row
    /// count, remainder, bias or none, overwrite or accumulate, one worker or two.
    @Test(arguments: DecodeKernel.available)
    func kernelMatchesTripleLoop(_ kernel: DecodeKernel) {
        var worst = 0.0
        for rows in 1...17 {
            for k in Self.innerSizes {
                for n in Self.outputSizes {
                    let operands = Case(rows: rows, k: k, n: n)
                    for (useBias, accumulate) in [(false, false), (true, false), (false, true), (true, true)] {
                        let (expected, magnitudes) = operands.reference(bias: useBias, accumulate: accumulate)
                        let actual = operands.run(kernel, bias: useBias, accumulate: accumulate,
                                                  threads: (rows + k + n) % 2 + 1)
                        for index in expected.indices {
                            let error = abs(Double(actual[index]) - expected[index])
                            let ratio = error / (operands.errorFactor * magnitudes[index] + Double.leastNormalMagnitude)
                            worst = max(worst, ratio.isNaN ? .infinity : ratio)
                        }
                    }
                }
            }
        }
        #expect(worst <= 1, "worst error / bound for \(kernel): \(worst)")
    }

    /// On the SMALL model's decode shapes (16 rows; qkv, o, gate+up, down, LM head; then odd remainders), split
    /// over two workers as the sampler does, every kernel this CPU runs is within the rounding bound of the
    /// exact product and within twice it of the portable Swift kernel (so the AVX2/FMA C kernel, where the CPU
    /// has it, is checked against the Swift one).
    @Test(arguments: DecodeKernel.available)
    func kernelMatchesPortableOnModelShapes(_ kernel: DecodeKernel) {
        let shapes = [(16, 384, 640), (16, 384, 384), (16, 384, 2048), (16, 1024, 384), (16, 384, 512),
                      (13, 1024, 385), (5, 383, 641)]
        for (rows, k, n) in shapes {
            let operands = Case(rows: rows, k: k, n: n)
            let (expected, magnitudes) = operands.reference(bias: true, accumulate: true)
            let portable = operands.run(.portable, bias: true, accumulate: true, threads: 2)
            let actual = operands.run(kernel, bias: true, accumulate: true, threads: 2)
            var worstExact = 0.0, worstPortable = 0.0
            for index in actual.indices {
                let bound = operands.errorFactor * magnitudes[index]
                worstExact = max(worstExact, abs(Double(actual[index]) - expected[index]) / bound)
                worstPortable = max(worstPortable, abs(Double(actual[index]) - Double(portable[index])) / (2 * bound))
            }
            #expect(worstExact <= 1, "\(kernel) vs exact, \(rows) rows, k \(k), n \(n): \(worstExact)")
            #expect(worstPortable <= 1, "\(kernel) vs portable, \(rows) rows, k \(k), n \(n): \(worstPortable)")
        }
    }

    /// The dispatch picks the AVX-512 kernel where the CPU has AVX-512 F/BW/DQ/VL, else the AVX2/FMA kernel
    /// where it has both (as the kernel reports them in /proc/cpuinfo on Linux), and the portable kernel
    /// everywhere else (unless GRPO_LAMBDA_DECODE_KERNEL names another this CPU runs).
    @Test func selectionFollowsTheCPU() throws {
        #expect(DecodeKernel.available.contains(.portable))
        #expect(DecodeKernel.available.contains(DecodeKernel.selected))
        #if arch(x86_64) && os(Linux)
        let flags = try #require(CPUFlags.current())
        let avx512 = ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains)
        var expected: DecodeKernel = avx512 ? .avx512 : flags.contains("avx2") && flags.contains("fma") ? .avx2FMA : .portable
        if let requested = ProcessInfo.processInfo.environment[DecodeKernel.requestVariable].flatMap(DecodeKernel.init(rawValue:)),
           requested.isAvailable {
            expected = requested
        }
        #expect(DecodeKernel.selected == expected)
        #elseif !arch(x86_64)
        #expect(DecodeKernel.selected == .portable)
        #endif
    }
}
