import ArgumentParser
import Experiments
import Foundation
import Logging
import Policy

/// `grpo-lambda experiment --config FILE`: arms × seeds of `train`, side by side, resumable, then one results
/// directory of small files (CSV/JSON per run and per arm, plots with 95% bands, results.md).
struct ExperimentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Run a study: methods or settings (arms) over the same seeds, then a results directory with confidence intervals and plots.",
        discussion: """
            FILE (YAML or JSON) names runs_dir, results_dir, seeds, the arms (a name and the run fields that make \
            it, e.g. {method: dapo}), and optionally parallel, threads_per_run, baseline, target_accuracy and set \
            (fields for every run). Each seed gets one warm start (`sft`) that all its arms share, so differences \
            between arms are paired. Finished runs are never repeated: run the same command again after an \
            interruption, or after adding arms or seeds. See docs/RESULTS.md and experiments/ for the project's studies.
            """)

    @Option(help: "The experiment file (YAML or JSON).")
    var config: String

    @Option(help: "Run directories here instead of the file's runs_dir (e.g. a larger disk).")
    var runsDir: String?

    @Flag(help: "Only write the results directory from the runs that have finished.")
    var summarize = false

    @Flag(help: "Print the plan (each command with its directory and whether it is done) and exit.")
    var dryRun = false

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let file = URL(fileURLWithPath: config)
        var experiment: ExperimentConfiguration
        do { experiment = try ExperimentConfiguration.load(file) } catch { throw ValidationError("\(error)") }
        if let runsDir { experiment.runsDirectory = URL(fileURLWithPath: runsDir) }
        if !dryRun {
            // Before the runner's logger exists: a logger made earlier keeps swift-log's default text handler.
            try FileManager.default.createDirectory(at: experiment.runsDirectory, withIntermediateDirectories: true)
            try logging.bootstrap(file: experiment.runsDirectory.appendingPathComponent("experiment.jsonl"))
        }
        let runner = ExperimentRunner(configuration: experiment, executable: try RunCommand.executable(),
                                      logger: Logger(label: "grpo-lambda.experiment"))
        if dryRun {
            let (warm, runs) = runner.plan()
            let pending = try runner.pending()
            for job in warm + runs {
                let done = !(pending.warmStarts + pending.runs).contains(job)
                print("\(done ? "done   " : "pending") \(job.arm) seed \(job.seed): grpo-lambda \(job.arguments.joined(separator: " "))")
            }
            return
        }
        let failed = summarize ? [] : try await runner.run()
        let machine = MachineDescription.json()
        let notes = [
            "Written by `grpo-lambda experiment --config \(config)` from the runs in `\(experiment.runsDirectory.path)`.",
            "Machine: \(machine["cpu_model"] ?? "?") (family/model \(machine["cpu_family_model"] ?? "?")), "
                + "\(machine["logical_cpus"] ?? "?") logical CPUs; \(experiment.parallel) run(s) side by side on "
                + "\(experiment.threadsPerRun) engine thread(s) each.",
        ]
        let report = try ExperimentReport(configuration: experiment, runner: runner)
        let planned = runner.plan().runs.count
        let missing = planned - report.runs.count
        try report.write(to: experiment.resultsDirectory, title: "Experiment \(file.deletingPathExtension().lastPathComponent)",
                         notes: notes + (missing > 0 ? ["**\(missing) of \(planned) planned runs have not finished**; they are left out."] : []))
        print(String(decoding: try Data(contentsOf: experiment.resultsDirectory.appendingPathComponent("results.md")), as: UTF8.self))
        if !failed.isEmpty {
            throw ExperimentError.runsFailed(failed.map { "\($0.arm)/seed-\($0.seed)" })
        }
    }
}
