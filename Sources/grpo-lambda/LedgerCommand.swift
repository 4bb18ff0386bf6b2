import ArgumentParser
import Coordinator
import Foundation

/// `grpo-lambda ledger FILE`: what a run's lease ledger proves.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Audit a lease ledger: every prompt trained once, dropped with a reason, or still outstanding.",
        discussion: "Prints the audit as JSON; exits 1 if a prompt was trained twice or a prompt is unaccounted for.")

    @Argument(help: "The ledger file (RUN_DIR/ledger.jsonl) or a run directory.")
    var path: String

    func run() throws {
        var url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            url.appendPathComponent("ledger.jsonl")
        }
        let audit = try LedgerAudit(file: url)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var object = try JSONSerialization.jsonObject(with: encoder.encode(audit)) as! [String: Any]
        object["exactly_once"] = audit.exactlyOnce
        try printJSON(object)
        if !audit.exactlyOnce { throw ExitCode(1) }
    }
}
