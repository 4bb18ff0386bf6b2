import Foundation
import Primitives
import Protocol

/// The coordinator's account of every prompt and every lease: the dataset cursor, the queue of prompts to
/// re-issue, open leases with their deadlines, and which prompts are trained.
///
/// A prompt is *queued* (new, from the cursor, or back in the retry queue), *leased* (one open lease at a time
/// from the coordinator's side), *consumed* (exactly once: the learner's durable report) or *dropped* with a
/// reason. A lease is *issued* to a worker (it lapses at its deadline unless the worker's heartbeats extend it),
/// *received* and *used* by the learner, and closes as consumed, returned, expired, duplicate or lost; every
/// close that leaves its prompt untrained puts the prompt back in the queue, and a prompt that fails
/// `maxAttempts` times is dropped (`too_many_attempts`). Every change is written to the journal (durably)
/// before the call returns, so a coordinator restarted from the journal acknowledges nothing twice.
/// Not thread-safe: one owner.
public final class LeaseLedger {
    public enum LeaseState: String, Sendable, Equatable {
        case issued, received, used
    }

    /// An open lease.
    public struct Lease: Sendable, Equatable {
        public let id: UInt64
        public let prompt: UInt64
        public let worker: String
        public var state: LeaseState
        /// When an issued lease lapses (nil once the learner has its group).
        public var deadline: ContinuousClock.Instant?
    }

    /// What applying a learner report changed (for the log).
    public struct ReportEffect: Sendable, Equatable {
        public var consumed = 0
        public var returned = 0
        public var duplicates = 0
        public var lost = 0
        public var requeued = 0
    }

    public let leaseTimeout: Duration
    public let maxAttempts: Int
    /// Prompts are `0..<promptLimit` (nil: unbounded, the built-in curriculum).
    public let promptLimit: UInt64?
    private let journal: LedgerJournal
    public private(set) var open: [UInt64: Lease] = [:]
    private var openByPrompt: [UInt64: UInt64] = [:]
    public private(set) var consumedPrompts = IndexRangeSet()
    public private(set) var droppedPrompts: [UInt64: String] = [:]
    private var attempts: [UInt64: Int] = [:]
    private var retry: [UInt64] = []
    private var retryHead = 0
    /// The next prompt index never leased before.
    public private(set) var cursor: UInt64 = 0
    private var nextLeaseID: UInt64 = 1
    /// Prompts consumed through two different leases: must stay empty (the learner never trains a prompt twice).
    public private(set) var consumedTwice: [UInt64] = []

    public init(journal: LedgerJournal, leaseTimeout: Duration, maxAttempts: Int = 10, promptLimit: UInt64? = nil) {
        self.journal = journal
        self.leaseTimeout = leaseTimeout
        self.maxAttempts = max(1, maxAttempts)
        self.promptLimit = promptLimit
    }

    /// Rebuilds the state a journal recorded (a coordinator restart). Issued leases get a fresh deadline from
    /// `now`: their workers may still be working on them and will extend them when they re-register.
    public convenience init(replaying events: [LedgerEvent], journal: LedgerJournal, leaseTimeout: Duration,
                            maxAttempts: Int = 10, promptLimit: UInt64? = nil, now: ContinuousClock.Instant) {
        self.init(journal: journal, leaseTimeout: leaseTimeout, maxAttempts: maxAttempts, promptLimit: promptLimit)
        for event in events { replay(event, now: now) }
    }

    // MARK: Queries

    /// Leases whose groups are still to be generated or trained (issued or received, not yet used).
    public var inFlight: Int { open.values.filter { $0.state != .used }.count }
    public var issuedCount: Int { open.values.filter { $0.state == .issued }.count }
    public var retryBacklog: Int { retry.count - retryHead }
    /// Whether any prompt is left to lease.
    public var hasWork: Bool { retryBacklog > 0 || promptLimit.map { cursor < $0 } ?? true }

    public func leases(of worker: String) -> [Lease] { open.values.filter { $0.worker == worker }.sorted { $0.id < $1.id } }

    // MARK: Workers

    /// Leases up to `count` prompts to `worker` (re-issues first, then new prompts from the cursor).
    public func grant(to worker: String, count: Int, now: ContinuousClock.Instant) throws -> [Lease] {
        var granted: [Lease] = []
        var events: [LedgerEvent] = []
        while granted.count < count, let prompt = nextPrompt() {
            let lease = Lease(id: nextLeaseID, prompt: prompt, worker: worker, state: .issued, deadline: now + leaseTimeout)
            nextLeaseID += 1
            open[lease.id] = lease
            openByPrompt[prompt] = lease.id
            granted.append(lease)
            events.append(LedgerEvent(.issued, lease: lease.id, prompt: prompt, worker: worker, time: Self.wallClock()))
        }
        try journal.append(events)
        return granted
    }

    /// A heartbeat: the worker's listed leases that are still issued to it get a new deadline.
    public func extend(_ leaseIDs: [UInt64], of worker: String, now: ContinuousClock.Instant) {
        for id in leaseIDs where open[id]?.worker == worker && open[id]?.state == .issued {
            open[id]!.deadline = now + leaseTimeout
        }
    }

    /// Expires issued leases past their deadline; returns them.
    public func expireLapsed(now: ContinuousClock.Instant) throws -> [Lease] {
        let lapsed = open.values.filter { $0.state == .issued && ($0.deadline.map { $0 <= now } ?? false) }.sorted { $0.id < $1.id }
        var events: [LedgerEvent] = []
        for lease in lapsed { close(lease, as: .expired, reason: "timeout", events: &events) }
        try journal.append(events)
        return lapsed
    }

    /// A worker left (deregistered) or was declared dead: its issued leases expire now; returns them.
    public func releaseLeases(of worker: String, reason: String) throws -> [Lease] {
        let held = leases(of: worker).filter { $0.state == .issued }
        var events: [LedgerEvent] = []
        for lease in held { close(lease, as: .expired, reason: reason, events: &events) }
        try journal.append(events)
        return held
    }

    // MARK: The learner

    /// Applies a learner's lease report, idempotently (unknown or closed leases are left as they are).
    public func apply(_ report: LeaseReport) throws -> ReportEffect {
        var effect = ReportEffect()
        var events: [LedgerEvent] = []
        for id in report.received {
            guard var lease = open[id], lease.state == .issued else { continue }
            lease.state = .received
            lease.deadline = nil
            open[id] = lease
            events.append(LedgerEvent(.received, lease: id))
        }
        for id in report.used {
            guard var lease = open[id], lease.state != .used else { continue }
            lease.state = .used
            lease.deadline = nil
            open[id] = lease
            events.append(LedgerEvent(.used, lease: id))
        }
        for id in report.consumed { if consume(id, events: &events) { effect.consumed += 1 } }
        let requeuedBefore = retryBacklog
        for id in report.returned {
            guard let lease = open[id] else { continue }
            close(lease, as: .returned, events: &events)
            effect.returned += 1
        }
        for id in report.duplicates {
            guard let lease = open[id] else { continue }
            close(lease, as: .duplicate, events: &events)
            effect.duplicates += 1
        }
        if report.resync {
            // A new learner process: whatever the previous one held and did not make durable is gone.
            for lease in open.values.filter({ $0.state != .issued }).sorted(by: { $0.id < $1.id }) {
                close(lease, as: .lost, reason: "learner_restarted", events: &events)
                effect.lost += 1
            }
        }
        effect.requeued = max(0, retryBacklog - requeuedBefore)
        try journal.append(events)
        return effect
    }

    /// Records a clean stop.
    public func stop() throws {
        try journal.append([LedgerEvent(.stopped, time: Self.wallClock())])
    }

    // MARK: Transitions

    private func nextPrompt() -> UInt64? {
        while retryHead < retry.count {
            let prompt = retry[retryHead]
            retryHead += 1
            if retryHead > 1024 && retryHead * 2 > retry.count {
                retry.removeFirst(retryHead)
                retryHead = 0
            }
            if openByPrompt[prompt] == nil && !consumedPrompts.contains(prompt) && droppedPrompts[prompt] == nil {
                return prompt
            }
        }
        if let limit = promptLimit, cursor >= limit { return nil }
        defer { cursor += 1 }
        return cursor
    }

    /// Consumes lease `id`'s prompt; false if nothing changed (already consumed, or unknown).
    private func consume(_ id: UInt64, events: inout [LedgerEvent]) -> Bool {
        let lease = open[id]
        let prompt = lease?.prompt ?? closedPrompt[id]
        guard let prompt else { return false }
        if consumedBy[prompt] == id { return false }
        if let first = consumedBy[prompt] {
            consumedTwice.append(prompt)
            events.append(LedgerEvent(.consumed, lease: id, prompt: prompt, reason: "already_consumed_by_\(first)"))
            if lease != nil { removeOpen(id) }
            return false
        }
        consumedBy[prompt] = id
        consumedPrompts.insert(prompt)
        if lease != nil { removeOpen(id) }
        events.append(LedgerEvent(.consumed, lease: id, prompt: prompt))
        return true
    }

    /// Closes an open lease; when that leaves its prompt untrained, the prompt is queued again (or dropped).
    private func close(_ lease: Lease, as kind: LedgerEvent.Kind, reason: String? = nil, events: inout [LedgerEvent]) {
        removeOpen(lease.id)
        events.append(LedgerEvent(kind, lease: lease.id, prompt: lease.prompt, reason: reason))
        guard kind != .duplicate, !consumedPrompts.contains(lease.prompt), droppedPrompts[lease.prompt] == nil,
              openByPrompt[lease.prompt] == nil else { return }
        let failures = (attempts[lease.prompt] ?? 0) + 1
        attempts[lease.prompt] = failures
        if failures >= maxAttempts {
            droppedPrompts[lease.prompt] = "too_many_attempts"
            events.append(LedgerEvent(.dropped, prompt: lease.prompt, reason: "too_many_attempts"))
        } else {
            retry.append(lease.prompt)
        }
    }

    private func removeOpen(_ id: UInt64) {
        guard let lease = open.removeValue(forKey: id) else { return }
        closedPrompt[id] = lease.prompt
        if openByPrompt[lease.prompt] == id { openByPrompt[lease.prompt] = nil }
    }

    /// The prompt of every closed lease, so a late `consumed` for a lease that had lapsed still finds its prompt.
    private var closedPrompt: [UInt64: UInt64] = [:]
    /// Which lease consumed each prompt.
    private var consumedBy: [UInt64: UInt64] = [:]

    // MARK: Replay

    private func replay(_ event: LedgerEvent, now: ContinuousClock.Instant) {
        var ignored: [LedgerEvent] = []
        switch event.kind {
        case .issued:
            guard let id = event.lease, let prompt = event.prompt else { return }
            open[id] = Lease(id: id, prompt: prompt, worker: event.worker ?? "", state: .issued, deadline: now + leaseTimeout)
            openByPrompt[prompt] = id
            nextLeaseID = max(nextLeaseID, id + 1)
            if prompt >= cursor { cursor = prompt + 1 }
            if let i = retry[retryHead...].firstIndex(of: prompt) { retry.remove(at: i) }
        case .received, .used:
            guard let id = event.lease, var lease = open[id] else { return }
            lease.state = event.kind == .received ? .received : .used
            lease.deadline = nil
            open[id] = lease
        case .consumed:
            guard let id = event.lease else { return }
            _ = consume(id, events: &ignored)
        case .returned, .expired, .duplicate, .lost:
            guard let id = event.lease, let lease = open[id] else { return }
            close(lease, as: event.kind, reason: event.reason, events: &ignored)
        case .dropped:
            guard let prompt = event.prompt else { return }
            droppedPrompts[prompt] = event.reason ?? "dropped"
        case .stopped:
            break
        }
    }

    static func wallClock() -> Double { (Date().timeIntervalSince1970 * 1000).rounded() / 1000 }
}
