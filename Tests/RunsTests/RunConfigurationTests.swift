import Foundation
import Learner
import Testing
@testable import Runs

@Suite struct RunConfigurationTests {
    static func file(_ text: String, extension: String = "json") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("grpo-config-\(UUID().uuidString).\(`extension`)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func aYAMLFileConfiguresTheSameFields() throws {
        let url = try Self.file("""
            # a fleet's run.yaml
            method: dapo
            steps: 7
            learning_rate: 3e-5      # YAML 1.1 reads this as a string; the field is a number
            temperature: 0.6
            dynamic_sampling: false
            advantage_clamp_min: ~
            """, extension: "yaml")
        defer { try? FileManager.default.removeItem(at: url) }
        let c = try RunConfiguration.load(file: url, overrides: ["seed": 4])
        #expect(c.method == .dapo && c.steps == 7 && c.learningRate == 3e-5 && c.temperature == 0.6 && c.seed == 4)
        #expect(c.dynamicSampling == false && c.advantageClampMin == nil)
        #expect(c.resolved().clipHigh == 0.28)
        // GSPO's sequence ratio gets its paper's narrow clip range unless the user sets one.
        let gspo = try RunConfiguration.load(overrides: ["method": "gspo"])
        #expect(gspo.resolved().clipLow == 3e-4 && gspo.resolved().clipHigh == 4e-4)
        #expect(try gspo.lossConfiguration().importanceRatio == .sequence)
        #expect(throws: RunError.self) { try RunConfiguration.load(overrides: ["sample_budget": -1]) }

        let unknown = try Self.file("stpes: 7\n", extension: "yml")
        defer { try? FileManager.default.removeItem(at: unknown) }
        #expect(throws: RunError.invalidConfiguration("\(unknown.path): unknown field \"stpes\"")) {
            try RunConfiguration.load(file: unknown)
        }
        for text in ["steps: [1, 2\n", "- 1\n- 2\n", "steps: many\n"] {
            let bad = try Self.file(text, extension: "yaml")
            defer { try? FileManager.default.removeItem(at: bad) }
            #expect(throws: RunError.self) { try RunConfiguration.load(file: bad) }
        }
    }

    @Test func flagsOverrideTheFileWhichOverridesTheDefaults() throws {
        let url = try Self.file(#"{"steps": 7, "seed": 3, "learning_rate": 1e-4}"#)
        defer { try? FileManager.default.removeItem(at: url) }
        let c = try RunConfiguration.load(file: url, overrides: ["seed": 5, "method": "grpo"])
        #expect(c.steps == 7 && c.seed == 5 && c.learningRate == 1e-4 && c.method == .grpo)
        #expect(c.groupSize == RunConfiguration().groupSize)
    }

    @Test func unknownFieldsAndBadValuesAreRefusedByName() throws {
        let url = try Self.file(#"{"stpes": 7}"#)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: RunError.invalidConfiguration("\(url.path): unknown field \"stpes\"")) {
            try RunConfiguration.load(file: url)
        }
        for (field, value, mention) in [("method", "ppo" as Any, "method"), ("trace_style", "sideways", "trace_style"),
                                        ("level", 9, "level"), ("steps", "many", "steps"), ("top_p", 0, "top_p")] {
            do {
                _ = try RunConfiguration.load(overrides: [field: value])
                Issue.record("\(field)=\(value) was accepted")
            } catch let RunError.invalidConfiguration(why) {
                #expect(why.contains(mention), "\(why)")
            }
        }
        #expect(throws: RunError.self) { try RunConfiguration.load(overrides: ["no_such_field": 1]) }
    }

    @Test func eachMethodKeepsItsOwnDefaultsUnlessTheUserSetsThem() throws {
        let dapo = try RunConfiguration.load(overrides: ["method": "dapo"])
        let loss = try dapo.lossConfiguration()
        #expect(loss.clipLow == 0.2 && loss.clipHigh == 0.28 && loss.dropUniformGroups)
        #expect(dapo.resolved().clipHigh == 0.28)
        let set = try RunConfiguration.load(overrides: ["method": "dapo", "clip_high": 0.3, "dynamic_sampling": false])
        #expect(try set.lossConfiguration().clipHigh == 0.3 && !(try set.lossConfiguration().dropUniformGroups))
        let grpo = try RunConfiguration.load(overrides: ["method": "grpo"]).lossConfiguration()
        #expect(grpo.clipHigh == 0.2 && !grpo.dropUniformGroups)
        // null restores the method default.
        #expect(try RunConfiguration.load(overrides: ["method": "dapo", "clip_high": NSNull()]).lossConfiguration().clipHigh == 0.28)
    }

    @Test func setAssignmentsReadJSONValuesOrPlainStrings() throws {
        let (f1, v1) = try RunConfiguration.override("learning-rate=2e-5")
        #expect(f1 == "learning_rate" && (v1 as? Double) == 2e-5)
        let (f2, v2) = try RunConfiguration.override("method=dapo")
        #expect(f2 == "method" && (v2 as? String) == "dapo")
        let (f3, v3) = try RunConfiguration.override("advantage_clamp_min=null")
        #expect(v3 is NSNull)
        #expect(try RunConfiguration.load(overrides: [f3: v3]).lossConfiguration().advantageClampMin == nil)
        #expect(try RunConfiguration.load().lossConfiguration().advantageClampMin == -0.1)
        #expect(throws: RunError.self) { try RunConfiguration.override("=3") }
        #expect(throws: RunError.self) { try RunConfiguration.override("steps") }
        // Every field is reachable through --set.
        #expect(RunConfiguration.fieldNames.contains("overlong_penalty_cache") && RunConfiguration.fieldNames.count >= 40)
    }

    @Test func theEffectiveConfigurationRoundTrips() throws {
        let c = try RunConfiguration.load(overrides: ["method": "lambda_grpo", "steps": 3])
        let url = try Self.file(String(decoding: try c.resolved().jsonData(), as: UTF8.self))
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try RunConfiguration.load(file: url) == c.resolved())
    }
}
