import ArgumentParser
import Foundation
import Reports

/// `grpo-lambda watch RUN_DIR`: a live terminal view of a run, redrawn every few seconds from its files.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch a run live in the terminal: progress, metric sparklines, held-out accuracy, workers, samples.",
        discussion: """
            Reads RUN_DIR/metrics.jsonl and log.jsonl as they grow (the files of `train`, `run`, or a fleet's \
            learner and coordinator pointed at the same directory), so it can run anywhere the directory is \
            visible. Stops when the run writes its summary, or on Ctrl-C.
            """)

    @Argument(help: "The run directory.")
    var runDirectory: String

    @Option(help: "Seconds between redraws.")
    var interval: Double = 2

    @Flag(help: "Print one frame (no screen control) and exit.")
    var once = false

    @Flag(help: "Keep watching after the run has finished.")
    var keep = false

    @Option(help: "Columns (default: the terminal's width, or 100).")
    var width: Int?

    func validate() throws {
        guard interval >= 0.2, interval.isFinite else { throw ValidationError("--interval must be at least 0.2 s") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: runDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("\(runDirectory) is not a directory")
        }
    }

    func run() async throws {
        let terminal = isatty(STDOUT_FILENO) == 1
        var follower = RunFollower(directory: URL(fileURLWithPath: runDirectory))
        while true {
            follower.refresh()
            let frame = WatchFrame(width: width ?? Self.terminalColumns() ?? 100, color: terminal && !once)
                .render(follower.record)
            if once {
                print(frame)
                return
            }
            // On a terminal: clear and redraw in place; otherwise frames follow each other.
            FileHandle.standardOutput.write(Data(((terminal ? "\u{1B}[H\u{1B}[2J" : "") + frame + "\n\n").utf8))
            if follower.record.finished && !keep { return }
            try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
        }
    }

    private static func terminalColumns() -> Int? {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init)
    }
}
