import ArgumentParser
import Foundation
import Learner
import Policy

/// `grpo-lambda export CHECKPOINT --out DIR`: any checkpoint as a Hugging Face model directory.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a checkpoint as a Hugging Face model directory (config.json, model.safetensors, tokenizer files).",
        discussion: """
            CHECKPOINT is a checkpoint directory (RUN/checkpoints/step-…), a run directory (its newest intact \
            checkpoint) or a model.safetensors file. The config and tokenizer come from --model, else from the \
            checkpoint itself (checkpoints of a run started with --model carry them), else from the run's \
            model_directory; without any, the weights are the built-in model's and config.json is written for it \
            (the built-in character tokenizer has no Hugging Face form). transformers, vLLM and `grpo-lambda \
            generate` load the result.
            """)

    @Argument(help: "A checkpoint directory, a run directory, or a model.safetensors file.")
    var checkpoint: String

    @Option(help: "The output directory (created).")
    var out: String

    @Option(help: "The model directory the run started from (default: found from the checkpoint or its run).")
    var model: String?

    @Option(help: "Weights dtype: source (the model directory's: BF16 stays BF16, F16 becomes F32), f32 or bf16.")
    var dtype: String = "source"

    func run() throws {
        let weights = try Self.weightsFile(URL(fileURLWithPath: checkpoint))
        let source = try model.map { URL(fileURLWithPath: $0) } ?? Self.sourceDirectory(of: weights)
        let config = try source.map { try ModelConfig(huggingFaceConfigURL: $0) } ?? .builtinTiny
        let requested: SafetensorsDType? = switch dtype {
        case "source": nil
        case "f32": .f32
        case "bf16": .bf16
        default: throw ValidationError("--dtype must be source, f32 or bf16, got \(dtype)")
        }
        let original = source.flatMap { Self.modelDirectoryDType($0) }
        let parameters = ParameterStore(layout: ParameterLayout(config: config))
        try parameters.load(from: SafetensorsArchive(url: weights))
        let output = URL(fileURLWithPath: out)
        let written = HuggingFaceExport.writableDType(requested, source: original)
        try HuggingFaceExport.write(parameters, config: config, source: source, dtype: written, to: output)
        FileHandle.standardError.write(Data((source == nil
            ? "built-in model: config.json written, no tokenizer files (the character tokenizer has no Hugging Face form)\n"
            : "config and tokenizer from \(source!.path)\n").utf8))
        print(output.path)
    }

    /// The dtype the source directory's own weights use (a checkpoint's are always F32: look past it to the run's
    /// model directory when the checkpoint is the source).
    static func modelDirectoryDType(_ source: URL) -> SafetensorsDType? {
        if FileManager.default.fileExists(atPath: source.appendingPathComponent("trainer.json").path),
           let run = runModelDirectory(ofCheckpoint: source) {
            return HuggingFaceExport.storedDType(of: run)
        }
        return HuggingFaceExport.storedDType(of: source)
    }

    /// model.safetensors of a checkpoint, the newest intact checkpoint of a run, or the file itself.
    static func weightsFile(_ url: URL) throws -> URL {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory) else { throw ValidationError("\(url.path) does not exist") }
        if !isDirectory.boolValue { return url }
        let checkpoints = url.appendingPathComponent("checkpoints")
        if fm.fileExists(atPath: checkpoints.path) {
            let store = CheckpointStore(directory: checkpoints)
            for candidate in store.checkpoints() where (try? store.verify(candidate)) != nil {
                return candidate.appendingPathComponent("model.safetensors")
            }
            throw ValidationError("\(url.path) holds no intact checkpoint")
        }
        if fm.fileExists(atPath: url.appendingPathComponent("trainer.json").path) {
            _ = try CheckpointStore(directory: url.deletingLastPathComponent()).verify(url)
        }
        let file = url.appendingPathComponent("model.safetensors")
        guard fm.fileExists(atPath: file.path) else { throw ValidationError("\(url.path) has no model.safetensors") }
        return file
    }

    /// Where config.json and the tokenizer come from: the checkpoint directory itself when it carries them, else the
    /// model_directory in its run's config.json; nil for the built-in model.
    static func sourceDirectory(of weights: URL) throws -> URL? {
        let checkpoint = weights.deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: checkpoint.appendingPathComponent("config.json").path),
           (try? ModelConfig(huggingFaceConfigURL: checkpoint)) != nil {
            return checkpoint
        }
        return runModelDirectory(ofCheckpoint: checkpoint)
    }

    /// The `model_directory` of the run a checkpoint (RUN/checkpoints/step-…) or warm start (RUN/warm_start) belongs to.
    static func runModelDirectory(ofCheckpoint checkpoint: URL) -> URL? {
        for run in [checkpoint.deletingLastPathComponent().deletingLastPathComponent(), checkpoint.deletingLastPathComponent()] {
            if let data = try? Data(contentsOf: run.appendingPathComponent("config.json")),
               let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
               let path = object["model_directory"] as? String {
                return URL(fileURLWithPath: path)
            }
        }
        return nil
    }
}
