import Foundation
import Policy
import Seeding
import Tasks
import Verifier

/// The policy a run trains and samples, with the tokenizer, prompt template and stop tokens that go with it:
/// the built-in tiny model with its character tokenizer (seeded by the run's seed), or a Hugging Face model
/// directory (`model_directory`) with its own tokenizer and chat template.
public struct RunPolicy {
    public let model: Transformer
    public let tokenizer: any Tokenizer
    public let template: PromptTemplate
    /// Tokens that end a completion: the tokenizer's eos, the directory's `eos_token_id`s and the chat
    /// template's end of turn.
    public let stopTokenIDs: Set<Int32>
    /// The directory the model came from (nil: the built-in model).
    public let directory: ModelDirectory?

    public init(_ configuration: RunConfiguration) throws {
        let preset = configuration.effectiveTemplate
        guard let path = configuration.modelDirectory else {
            model = try Transformer(config: .builtinTiny, seed: configuration.seed)
            tokenizer = CharTokenizer.builtin
            template = preset.fixedTemplate ?? .plain
            stopTokenIDs = Set([tokenizer.specialTokens.eos].compactMap { $0 })
            directory = nil
            return
        }
        let directory: ModelDirectory
        do { directory = try ModelDirectory(url: URL(fileURLWithPath: path)) } catch {
            throw RunError.invalidConfiguration("model_directory \(path): \(error)")
        }
        let bpe = try directory.loadTokenizer()
        if let fixed = preset.fixedTemplate {
            template = fixed
        } else {
            guard let jinja = bpe.chatTemplate else {
                throw RunError.invalidConfiguration("\(path) has no chat_template (tokenizer_config.json or chat_template.jinja): "
                    + "a base model takes --set template=plain")
            }
            let chat = try ChatTemplate(jinja: jinja, bosToken: bpe.specialTokens.bos.flatMap { bpe.token(for: $0) })
            template = chat.promptTemplate(systemPrompt: configuration.systemPrompt, instruction: configuration.instruction)
        }
        var stops = Set(directory.stopTokenIDs)
        if let eos = bpe.specialTokens.eos { stops.insert(eos) }
        if let end = bpe.id(for: template.completionSuffix), !template.completionSuffix.isEmpty { stops.insert(end) }
        stopTokenIDs = stops
        guard bpe.vocabSize <= directory.config.vocabSize else {
            throw RunError.invalidConfiguration("\(path): the tokenizer has \(bpe.vocabSize) ids but the model only "
                + "\(directory.config.vocabSize) embedding rows")
        }
        model = try directory.loadModel()
        tokenizer = bpe
        self.directory = directory
    }

    /// What a checkpoint carries beside its weights so that it is a Hugging Face directory too (none for the
    /// built-in model).
    public var companionFiles: [URL] { directory.map { HuggingFaceExport.companions(of: $0.url) } ?? [] }

    /// Sampling options with this policy's stop tokens.
    public func samplingOptions(temperature: Float, topP: Float, maxNewTokens: Int) -> SamplingOptions {
        SamplingOptions(temperature: temperature, topP: topP, maxNewTokens: maxNewTokens, stopTokenIDs: stopTokenIDs)
    }

    /// The problems RL (and a warm start) draws from: the built-in curriculum, or the training part of `dataset`
    /// in an order shuffled by the seed.
    public static func trainingProblems(_ configuration: RunConfiguration) throws -> any ProblemSource {
        guard configuration.dataset != nil else {
            return SyntheticCurriculum(seed: configuration.seed, level: configuration.level)
        }
        return ShuffledProblems(try DatasetSplit(configuration).training, seed: configuration.seed)
    }

    /// The held-out problems every evaluation of this run uses.
    public static func heldOutProblems(_ configuration: RunConfiguration) throws -> [MathProblem] {
        guard configuration.dataset != nil else {
            return SyntheticCurriculum(seed: configuration.seed, level: configuration.level, split: .heldOut)
                .problems(configuration.heldOutProblems)
        }
        return try DatasetSplit(configuration).heldOut
    }
}

extension RunConfiguration {
    /// The model's shape without loading its weights: the directory's config.json, or the built-in model's.
    public func modelConfig() throws -> ModelConfig {
        guard let path = modelDirectory else { return .builtinTiny }
        do { return try ModelConfig(huggingFaceConfigURL: URL(fileURLWithPath: path)) } catch {
            throw RunError.invalidConfiguration("model_directory \(path): \(error)")
        }
    }
}

/// A run's dataset cut into what RL trains on and what evaluation holds out.
struct DatasetSplit {
    let training: [MathProblem]
    let heldOut: [MathProblem]

    init(_ c: RunConfiguration) throws {
        guard let path = c.dataset else { throw RunError.invalidConfiguration("no dataset") }
        let all = try Self.load(path, c)
        if let evalPath = c.evalDataset {
            training = all
            heldOut = Array(try Self.load(evalPath, c).prefix(c.heldOutProblems))
            return
        }
        let count = min(c.heldOutProblems, all.count / 4)
        guard count >= 1 else {
            throw RunError.invalidConfiguration("\(path) has \(all.count) problems: too few to hold a quarter out for "
                + "evaluation; give eval_dataset")
        }
        training = Array(all.dropLast(count))
        heldOut = Array(all.suffix(count))
    }

    static func load(_ path: String, _ c: RunConfiguration) throws -> [MathProblem] {
        let url = URL(fileURLWithPath: path)
        var format = c.datasetFormat
        if format == .auto {
            guard c.questionField == nil && c.answerField == nil else {
                throw RunError.invalidConfiguration("question_field/answer_field need dataset_format gsm8k or math "
                    + "(how the gold answer is read from the answer field)")
            }
            format = try detectFormat(url)
        }
        let defaults: JSONLProblemSet.Fields = format == .math ? .math : .gsm8k
        let fields = JSONLProblemSet.Fields(question: c.questionField ?? defaults.question,
                                            answer: c.answerField ?? defaults.answer)
        let extract: (String) -> String? = format == .math
            ? { try? DatasetGold.math(solutionField: $0) } : { try? DatasetGold.gsm8k(answerField: $0) }
        do {
            return try JSONLProblemSet(contentsOf: url, fields: fields, extractGold: extract).problems
        } catch let error as TasksError {
            throw RunError.invalidConfiguration("dataset: \(error)")
        }
    }

    /// GSM8K when the first line has `question`, MATH when it has `problem`.
    static func detectFormat(_ url: URL) throws -> DatasetFormat {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw RunError.invalidConfiguration("cannot read dataset \(url.path)")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 1 << 20)) ?? Data()
        let line = String(decoding: head, as: UTF8.self).split(separator: "\n").first { !$0.allSatisfy(\.isWhitespace) }
        let object = line.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        if object?["question"] != nil && object?["answer"] != nil { return .gsm8k }
        if object?["problem"] != nil && object?["solution"] != nil { return .math }
        throw RunError.invalidConfiguration("\(url.path): line 1 has neither question/answer (GSM8K) nor problem/solution "
            + "(MATH) fields (it has \((object?.keys.sorted() ?? []).joined(separator: ", "))); set dataset_format, "
            + "question_field and answer_field")
    }
}

/// A fixed list of problems in an order shuffled once by the seed, repeated when the cursor passes its end.
struct ShuffledProblems: ProblemSource {
    let problems: [MathProblem]
    var count: Int? { problems.count }

    init(_ problems: [MathProblem], seed: UInt64) {
        var generator = SeededGenerator(seed: seed ^ 0xDA7A_5E7)
        self.problems = problems.shuffled(using: &generator)
    }

    func problem(at index: Int) -> MathProblem { problems[index % problems.count] }
}
