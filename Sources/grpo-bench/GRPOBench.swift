import ArgumentParser
import Foundation
import Policy
import Protocol

/// `grpo-bench SUITE [options]`: runs one benchmark suite and prints ONE JSON object on stdout (progress goes to
/// stderr), so scripts can compare runs. Timed figures are {"median", "min", "max"} over `--repeats` runs.
/// Benchmarks never run inside `swift test`; see docs/PERFORMANCE.md for the figures and how they were taken.
struct GRPOBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpo-bench",
        abstract: "Benchmarks for grpo-lambda; prints one JSON object per run.",
        subcommands: [TransportSuite.self, EngineSuite.self, VerifierSuite.self, TokenizerSuite.self, LearnerSuite.self,
                      WeightsSuite.self, FleetSuite.self, WeightFetcher.self])
}

/// The entry point: the OpenBLAS core is chosen before anything else runs (it may restart the process; see
/// `BLASCore`), then the command line is parsed and run.
@main
enum GRPOBenchMain {
    static func main() async {
        BLASCore.selectAtStartup()
        await GRPOBench.main()
    }
}

/// Options every suite takes.
struct CommonBenchOptions: ParsableArguments {
    @Option(help: "Timed runs per figure; the JSON reports their median, min and max.")
    var repeats = 3
}

/// Writes the suite's result as one JSON object on stdout.
func emitJSON(_ object: [String: Any]) throws {
    var object = object
    var machine = MachineDescription.json()
    for (key, value) in CRC32C.machineReport { machine[key] = value }
    object["machine"] = machine
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
    FileHandle.standardOutput.write(data)
    FileHandle.standardOutput.write(Data("\n".utf8))
}

/// Progress for a person watching; never on stdout.
func progress(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
