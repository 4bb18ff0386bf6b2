import ArgumentParser
import Foundation
import Reports

/// `grpo-lambda report RUN_DIR...`: the run report as one self-contained HTML page (inline SVG, no scripts).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a run's report: curves, held-out accuracy, sample completions and the configuration, as one HTML file.",
        discussion: """
            One run directory: writes RUN_DIR/report.html (what `run` and `train` also write as they go). Several: \
            overlays their curves in one page, written to --output (default compare.html). Works on a run that is \
            still going: it reads what the files hold now.
            """)

    @Argument(help: "Run directories (the --run-dir of train, run or learner).")
    var runDirectories: [String]

    @Option(help: "Where to write the page (default: RUN_DIR/report.html for one run, compare.html for several).")
    var output: String?

    func run() throws {
        let directories = runDirectories.map { URL(fileURLWithPath: $0) }
        for directory in directories {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("\(directory.path) is not a run directory")
            }
        }
        let target = output.map { URL(fileURLWithPath: $0) }
            ?? (directories.count == 1 ? directories[0].appendingPathComponent("report.html") : URL(fileURLWithPath: "compare.html"))
        try HTMLReport.write(runDirectories: directories, to: target)
        print(target.path)
    }
}
