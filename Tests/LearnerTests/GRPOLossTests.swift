import Foundation
import Testing
import TestSupport
@testable import Learner

/// Every run in ../shared/reference/vectors.json (the numpy float64 reference) reproduced: loss, ∂loss/∂ℓ for
/// every token, and ∂loss/∂λ, within Float32 tolerance (rtol 1e-4, atol 1e-6).
@Suite struct GRPOLossTests {
    struct Vectors: Decodable {
        struct Completion: Decodable { let reward: Double; let l: [Double]; let lo: [Double]; let lr: [Double] }
        struct Config: Decodable {
            let eps_std: Double, eps_low: Double, eps_high: Double, beta: Double, gamma: Double
            let max_len: Int, lg_lambda: Double, lg_r: Double
            let lam: Double?, style: String?, trace_eps: Double?, adv_clamp_min: Double?
            let gspo_eps_low: Double?, gspo_eps_high: Double?
        }
        struct Run: Decodable {
            let method: String
            let cfg: Config
            let loss: Double
            let dloss_dl: [[Double]]
            let dloss_dlambda: Double?
        }
        struct Case: Decodable { let groups: [[Completion]]; let runs: [Run] }
        let cases: [Case]
    }

    /// The reference vectors; a missing ../shared/reference fails the test with the paths tried.
    static func vectors(_ file: String = "vectors.json") throws -> Vectors {
        try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: SharedReference.url(file)))
    }

    struct UnknownMethod: Error { let method: String }

    static func configuration(_ run: Vectors.Run) throws -> LossConfiguration {
        let c = run.cfg
        var config: LossConfiguration
        switch run.method {
        case "grpo": config = .grpo(clip: c.eps_low, klCoefficient: c.beta)
        case "dapo": config = .dapo(clipLow: c.eps_low, clipHigh: c.eps_high, klCoefficient: c.beta)
        case "drgrpo": config = .drGRPO(maxLength: c.max_len, clip: c.eps_low, klCoefficient: c.beta)
        case "lambda_grpo":
            config = .lambdaGRPO(.init(initialLambda: c.lg_lambda, rate: c.lg_r), clip: c.eps_low, klCoefficient: c.beta)
        case "grpo_lambda":
            config = .grpoLambda(lambda: c.lam!, gamma: c.gamma, style: .init(rawValue: c.style!)!,
                                 traceFloor: c.trace_eps!, advantageClampMin: c.adv_clamp_min, clip: c.eps_low,
                                 klCoefficient: c.beta)
        case "gspo": config = .gspo(clipLow: c.gspo_eps_low!, clipHigh: c.gspo_eps_high!, klCoefficient: c.beta)
        default: throw UnknownMethod(method: run.method)
        }
        config.standardDeviationEpsilon = c.eps_std
        return config
    }

    static func groups(_ testCase: Vectors.Case) -> [[LossSequence]] {
        testCase.groups.map { group in
            group.map { LossSequence(reward: $0.reward, logProbs: $0.l.map(Float.init), oldLogProbs: $0.lo.map(Float.init),
                                     referenceLogProbs: $0.lr.map(Float.init)) }
        }
    }

    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 + 1e-4 * abs(b) }

    @Test func vectorsCoverEveryMethod() throws {
        let vectors = try Self.vectors()
        let methods = Set(vectors.cases.flatMap { $0.runs.map(\.method) })
        #expect(methods == ["grpo", "dapo", "drgrpo", "lambda_grpo", "grpo_lambda"])
        #expect(vectors.cases.count == 6)
    }

    @Test(arguments: ["vectors.json", "vectors_gspo.json"], 0..<6)
    func everyRunMatchesTheReference(file: String, caseIndex: Int) throws {
        let testCase = try Self.vectors(file).cases[caseIndex]
        let groups = Self.groups(testCase)
        for run in testCase.runs {
            let config = try Self.configuration(run)
            #expect(config.validationError() == nil)
            let result = GRPOLoss(config).evaluate(groups, lambda: run.cfg.lg_lambda)
            let label = "\(run.method) \(run.cfg.style ?? "") λ=\(run.cfg.lam ?? run.cfg.lg_lambda) ε=\(run.cfg.trace_eps ?? 0)"
            #expect(Self.close(result.loss, run.loss), "\(label): loss \(result.loss) vs \(run.loss)")
            // The reference lists gradients only for sequences that were not dropped, in order.
            let ours = result.logProbGradients.enumerated().filter { !result.droppedGroups.contains($0.offset) }
                .flatMap { $0.element }
            #expect(ours.count == run.dloss_dl.count, "\(label): sequence count")
            for (mine, theirs) in zip(ours, run.dloss_dl) {
                #expect(mine.count == theirs.count)
                for (a, b) in zip(mine, theirs) where !Self.close(Double(a), b) {
                    Issue.record("\(label): gradient \(a) vs \(b)")
                    break
                }
            }
            if run.method == "lambda_grpo" {
                #expect(Self.close(result.lambdaGradient, run.dloss_dlambda!), "\(label): dλ \(result.lambdaGradient) vs \(run.dloss_dlambda!)")
            }
        }
    }

    @Test func grpoLambdaWithZeroLambdaIsGRPO() throws {
        for testCase in try Self.vectors().cases {
            let groups = Self.groups(testCase)
            let grpo = GRPOLoss(.grpo(clip: 0.2, klCoefficient: 0.04)).evaluate(groups)
            let traced = GRPOLoss(.grpoLambda(lambda: 0, style: .recent, traceFloor: 0, advantageClampMin: nil,
                                              clip: 0.2, klCoefficient: 0.04)).evaluate(groups)
            #expect(abs(grpo.loss - traced.loss) <= 1e-12)
            #expect(grpo.logProbGradients == traced.logProbGradients)
        }
    }

    @Test func gspoVectorsExerciseBothBranches() throws {
        let runs = try Self.vectors("vectors_gspo.json").cases.flatMap(\.runs)
        #expect(Set(runs.map(\.method)) == ["gspo"])
        #expect(Set(runs.map { $0.cfg.gspo_eps_low! }) == [3e-4, 0.2])
    }

    /// Strictly on-policy (ℓ = ℓ^old) every ratio is 1 and GSPO's gradient is GRPO's: the sequence ratio only
    /// matters once the policy has moved from the sampler (a second epoch, stale groups).
    @Test func gspoIsGRPOOnPolicy() throws {
        for testCase in try Self.vectors().cases {
            let onPolicy = Self.groups(testCase).map { $0.map { s in
                LossSequence(reward: s.reward, logProbs: s.logProbs, oldLogProbs: s.logProbs) } }
            let grpo = GRPOLoss(.grpo()).evaluate(onPolicy), gspo = GRPOLoss(.gspo()).evaluate(onPolicy)
            #expect(abs(grpo.loss - gspo.loss) <= 1e-9)
            for (a, b) in zip(grpo.logProbGradients.joined().joined(), gspo.logProbGradients.joined().joined()) {
                #expect(abs(a - b) <= 1e-7)
            }
            // Off-policy they differ (the reference's own batches have ℓ ≠ ℓ^old).
            let moved = Self.groups(testCase)
            #expect(GRPOLoss(.grpo()).evaluate(moved).loss != GRPOLoss(.gspo(clipLow: 0.2, clipHigh: 0.2)).evaluate(moved).loss)
        }
    }

    /// Checkpoints written before GSPO existed carry no `importanceRatio`: they load as per-token ratios.
    @Test func lossConfigurationsWithoutARatioLevelDecodeAsPerToken() throws {
        var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(LossConfiguration.grpoLambda())) as! [String: Any]
        #expect(object.removeValue(forKey: "importanceRatio") as? String == "token")
        let decoded = try JSONDecoder().decode(LossConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(decoded == .grpoLambda())
        let gspo = try JSONDecoder().decode(LossConfiguration.self, from: JSONEncoder().encode(LossConfiguration.gspo()))
        #expect(gspo.importanceRatio == .sequence)
    }

    @Test func dynamicSamplingDropsUniformGroups() throws {
        let groups = Self.groups(try Self.vectors().cases[5])  // its first group has all rewards equal
        let result = GRPOLoss(.dapo()).evaluate(groups)
        #expect(result.droppedGroups == [0])
        #expect(result.logProbGradients[0].allSatisfy { $0.isEmpty })
        #expect(GRPOLoss(.grpo()).evaluate(groups).droppedGroups.isEmpty)
    }

    @Test func onPolicyDiagnostics() {
        // On-policy (ℓ = ℓ^old): ratio 1, no clipping, zero KL to the sampler.
        let seq = [LossSequence(reward: 1, logProbs: [-1, -2], oldLogProbs: [-1, -2]),
                   LossSequence(reward: 0, logProbs: [-0.5], oldLogProbs: [-0.5])]
        let r = GRPOLoss(.grpo()).evaluate([seq])
        #expect(r.clipFraction == 0)
        #expect(abs(r.approximateKL) < 1e-12)
        #expect(abs(r.meanRatio - 1) < 1e-12)
        #expect(r.tokenCount == 3 && r.sequenceCount == 2)
        // The better completion's tokens get pushed up (negative gradient on a loss being minimised).
        #expect(r.logProbGradients[0][0].allSatisfy { $0 < 0 })
        #expect(r.logProbGradients[0][1].allSatisfy { $0 > 0 })
    }

    @Test func invalidConfigurationsAreNamed() {
        var c = LossConfiguration.grpo()
        c.clipLow = 1.5
        #expect(c.validationError()?.contains("clip_low") == true)
        #expect(LossConfiguration.grpoLambda(lambda: 2).validationError()?.contains("γλ") == true)
        #expect(LossConfiguration.drGRPO(maxLength: 0).validationError() != nil)
        var traced = LossConfiguration.grpoLambda()
        traced.importanceRatio = .sequence
        #expect(traced.validationError()?.contains("GSPO") == true)
    }
}

@Suite struct OverlongPenaltyTests {
    @Test func penaltyRampsLinearlyOverTheCache() {
        let p = LossConfiguration.OverlongPenalty(maxLength: 20, cacheLength: 4)
        #expect([10, 16, 17, 18, 19, 20, 25].map { p.penalty(length: $0) } == [0, 0, -0.25, -0.5, -0.75, -1, -1])
    }

    @Test func penaltyShapesTheAdvantages() {
        // Two equally rewarded completions: the overlong one ends up below the short one.
        var config = LossConfiguration.dapo()
        config.overlongPenalty = .init(maxLength: 4, cacheLength: 2)
        let group = [LossSequence(reward: 1, logProbs: [-1], oldLogProbs: [-1]),
                     LossSequence(reward: 1, logProbs: [-1, -1, -1, -1], oldLogProbs: [-1, -1, -1, -1])]
        let shaped = GRPOLoss(config).evaluate([group])
        #expect(shaped.droppedGroups.isEmpty)  // no longer uniform after shaping
        #expect(shaped.logProbGradients[0][0][0] < 0 && shaped.logProbGradients[0][1].allSatisfy { $0 > 0 })
        #expect(GRPOLoss(.dapo()).evaluate([group]).droppedGroups == [0])
        #expect(LossConfiguration(method: "x", overlongPenalty: .init(maxLength: 4, cacheLength: 4)).validationError() != nil)
    }
}
