import Foundation
import Primitives

/// What a ledger proves about a run: every prompt the coordinator handed out was trained exactly once, dropped
/// with a reason, or is still outstanding (leased or queued when the ledger ends) — and no prompt was trained
/// twice. `grpo-lambda ledger FILE` prints it; the fleet's fault tests assert it.
public struct LedgerAudit: Sendable, Equatable, Codable {
    /// Distinct prompts ever leased.
    public var prompts: Int
    /// Prompts trained (consumed), each exactly once.
    public var consumed: Int
    /// Which prompts were consumed.
    public var consumedPrompts: IndexRangeSet
    /// Prompts reported consumed through two different leases: must be empty.
    public var consumedTwice: [UInt64]
    /// Prompts given up, by reason.
    public var dropped: [String: Int]
    /// Prompts neither consumed nor dropped when the ledger ends (a run that stopped with work in flight).
    public var outstanding: Int
    /// Leases by what happened to them (`issued` counts every lease; the rest count closes and hand-offs).
    public var leases: [String: Int]
    /// Leases still open when the ledger ends.
    public var openLeases: Int

    /// True when no prompt was trained twice and every prompt is accounted for.
    public var exactlyOnce: Bool { consumedTwice.isEmpty && consumed + dropped.values.reduce(0, +) + outstanding == prompts }

    public init(events: [LedgerEvent]) {
        let ledger = LeaseLedger(replaying: events, journal: MemoryJournal(), leaseTimeout: .seconds(1),
                                 maxAttempts: .max, now: .now)
        prompts = Int(ledger.cursor)
        consumed = Int(ledger.consumedPrompts.count)
        consumedPrompts = ledger.consumedPrompts
        consumedTwice = ledger.consumedTwice
        dropped = Dictionary(grouping: ledger.droppedPrompts.values, by: { $0 }).mapValues(\.count)
        outstanding = prompts - consumed - ledger.droppedPrompts.count
        leases = Dictionary(grouping: events.filter { $0.lease != nil }, by: { $0.kind.rawValue }).mapValues(\.count)
        openLeases = ledger.open.count
    }

    /// Audits a ledger file.
    public init(file: URL) throws {
        self.init(events: try LedgerFile.read(file).events)
    }
}
