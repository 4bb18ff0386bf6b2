import Foundation
import Logging
import Policy
import Primitives
import Protocol
import Tasks
import TestSupport
import Testing
import Verifier
@testable import RolloutWorker

/// A grader with known answers: completion i of a group is correct when i < gold mod (G + 1), so a group of G
/// completions for gold g has min(g mod (G+1), G) correct ones, whatever the model wrote.
struct CountingGrader: AnswerGrader {
    func grade(completions: [String], gold: String) async -> [VerifyGrade] {
        let right = Int(gold)! % (completions.count + 1)
        return completions.indices.map { i in
            VerifyGrade(reward: i < right ? 1 : 0, correct: i < right, reason: i < right ? "correct" : "wrong",
                        extractedAnswer: "")
        }
    }
}

@Suite struct GroupGeneratorTests {
    static let sampling = SamplingOptions(temperature: 1, maxNewTokens: 12)

    static func model() throws -> Transformer { try Transformer(config: .builtinTiny, seed: 9) }

    static func generator(grader: any AnswerGrader = CountingGrader(), sampling: SamplingOptions = sampling) throws -> GroupGenerator {
        GroupGenerator(sampler: Sampler(model: try model(), threads: 1), tokenizer: CharTokenizer.builtin, template: .plain,
                       grader: grader, sampling: sampling, workerID: "w1")
    }

    static func leases(_ golds: [Int], groupSize: Int) -> [PromptLease] {
        golds.enumerated().map { i, gold in
            PromptLease(leaseID: 50 + UInt64(i), promptIndex: 7 + UInt64(i), prompt: "\(i)+\(gold)=?", goldAnswer: "\(gold)",
                        groupSize: UInt32(groupSize), expiresInMilliseconds: 0)
        }
    }

    @Test func eachLeaseGetsItsOwnSliceOfTheBatchedSamples() async throws {
        let pool = ThreadPool(threads: 1, name: "test-sampling")
        let generator = try Self.generator()
        let leases = Self.leases([3, 4, 9], groupSize: 4)
        let groups = try await generator.generate(leases, policyVersion: 6, seed: 42, on: pool)
        // The same batch sampled directly: group p holds completions p·G ..< (p+1)·G, in order.
        let prompts = leases.map { generator.promptTokens($0.prompt) }
        var options = Self.sampling
        options.stopTokenIDs.insert(CharTokenizer.eosID)
        let direct = try Sampler(model: Self.model(), threads: 1).sample(prompts: prompts, completionsPerPrompt: 4,
                                                                        options: options, seed: 42)
        #expect(groups.map(\.leaseID) == [50, 51, 52] && groups.map(\.promptIndex) == [7, 8, 9])
        for (p, group) in groups.enumerated() {
            #expect(group.policyVersion == 6 && group.workerID == "w1" && group.goldAnswer == leases[p].goldAnswer)
            #expect(group.promptTokens.array == prompts[p])
            #expect(group.completions.map(\.tokens.array) == direct[(p * 4)..<((p + 1) * 4)].map(\.tokens))
            #expect(group.completions.map(\.policyLogProbs.array) == direct[(p * 4)..<((p + 1) * 4)].map(\.policyLogProbs))
            // Grades line up with their completions: completion i is correct when i < gold mod (G + 1).
            let right = Int(leases[p].goldAnswer)! % 5
            #expect(group.completions.map(\.correct) == (0..<4).map { $0 < right })
        }
    }

    @Test func meanAndPassAtKCountCorrectSamplesPerProblem() async throws {
        let pool = ThreadPool(threads: 1, name: "test-eval")
        let k = 4
        let problems = [3, 0, 5, 8, 2, 7].enumerated().map { i, gold in
            MathProblem(id: "p\(i)", question: "\(gold)+0=?", goldAnswer: "\(gold)", solution: nil, level: 1)
        }
        let evaluator = PolicyEvaluator(greedy: try Self.generator(sampling: .greedy(maxNewTokens: 8)),
                                        sampled: try Self.generator(), batchSize: 8)
        let r = try await evaluator.evaluate(problems, samplesPerProblem: k, seed: 3, on: pool)
        let golds = problems.map { Int($0.goldAnswer)! }
        // Greedy: one completion per problem, correct when gold mod 2 = 1.
        #expect(r.greedyAccuracy == Double(golds.filter { $0 % 2 == 1 }.count) / 6)
        let expectedMean = golds.map { Double(min($0 % (k + 1), k)) / Double(k) }.reduce(0, +) / 6
        #expect(abs(r.meanAtK - expectedMean) < 1e-12)
        #expect(r.passAtK == Double(golds.filter { $0 % (k + 1) > 0 }.count) / 6)
        #expect(r.samplesPerProblem == k && r.problems == 6)
    }

    @Test func theVerifierServiceGradesThroughTheSameSeam() async throws {
        let url = IPCAddress.unique("verifier")
        let service = VerifierService(configuration: .init(url: url, threads: 2), logger: Logger(label: "verifier-test"))
        let serving = ServiceThreads.start { try await service.run() }
        defer { serving.cancel() }
        let remote = try RemoteGrader(url: url, timeout: .seconds(30))
        defer { remote.close() }
        let completions = ["1+2=3. \\boxed{3}", "so \\boxed{4}", "no answer here", "\\boxed{3.0}"]
        let overTheWire = try await remote.grade(completions: completions, gold: "3")
        let inProcess = await VerifierGrader().grade(completions: completions, gold: "3")
        #expect(overTheWire == inProcess)
        #expect(overTheWire.map(\.correct) == [true, false, false, true])
        // Several groups in flight at once on one client.
        async let a = remote.grade(completions: ["\\boxed{5}"], gold: "5")
        async let b = remote.grade(completions: ["\\boxed{6}", "\\boxed{7}"], gold: "7")
        let (ga, gb) = try await (a, b)
        #expect(ga.map(\.correct) == [true] && gb.map(\.correct) == [false, true])
    }
}
