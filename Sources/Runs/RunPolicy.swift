import Foundation
import Policy
import Tasks

/// The policy a run trains and samples, with the tokenizer and prompt template that go with it.
///
/// Today this is the built-in tiny model with the character tokenizer (seeded by the run's seed);
/// `model_directory` is refused until the commands read Hugging Face directories.
public struct RunPolicy {
    public let model: Transformer
    public let tokenizer: any Tokenizer
    public let template: PromptTemplate

    public init(_ configuration: RunConfiguration) throws {
        if let directory = configuration.modelDirectory {
            throw RunError.invalidConfiguration(
                "model_directory (\(directory)) is not read by the training commands yet: only the built-in model trains today")
        }
        model = try Transformer(config: .builtinTiny, seed: configuration.seed)
        tokenizer = CharTokenizer.builtin
        template = configuration.template.template
    }

    /// The curriculum's training split for this run.
    public static func trainingProblems(_ configuration: RunConfiguration) -> SyntheticCurriculum {
        SyntheticCurriculum(seed: configuration.seed, level: configuration.level)
    }

    /// The held-out problems every evaluation of this run uses.
    public static func heldOutProblems(_ configuration: RunConfiguration) -> [MathProblem] {
        SyntheticCurriculum(seed: configuration.seed, level: configuration.level, split: .heldOut)
            .problems(configuration.heldOutProblems)
    }
}
