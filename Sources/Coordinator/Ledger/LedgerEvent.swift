/// One line of the lease ledger (`<run>/ledger.jsonl`): everything that happens to a prompt or a lease, in order.
///
/// The ledger is append-only and fsynced before the coordinator answers the request that caused an event, so a
/// coordinator restarted after `kill -9` replays it into exactly the state it had acknowledged. Replaying it is
/// also how `grpo-lambda ledger` proves that every prompt was trained once or dropped with a reason.
public struct LedgerEvent: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A lease for `prompt` was granted to `worker`.
        case issued
        /// The lease's group reached the learner.
        case received
        /// The group went into a step (not yet durable).
        case used
        /// The learner's checkpoint holding the group's update is durable: the prompt is trained, once.
        case consumed
        /// The learner refused the group or found it too stale: the prompt goes back in the queue.
        case returned
        /// The lease lapsed (`reason`: worker_dead, timeout, deregistered) before its group reached the learner.
        case expired
        /// The learner had already used the prompt under another lease: closed, counts nothing.
        case duplicate
        /// A restarted learner lost the group (received or used, never made durable): the prompt goes back.
        case lost
        /// The prompt is given up (`reason`), e.g. after too many failed leases.
        case dropped
        /// The coordinator stopped cleanly; outstanding leases stay as they are for the next start.
        case stopped
    }

    public var kind: Kind
    public var lease: UInt64?
    public var prompt: UInt64?
    public var worker: String?
    public var reason: String?
    /// Wall-clock seconds since 1970 (for people reading the ledger).
    public var time: Double?

    public init(_ kind: Kind, lease: UInt64? = nil, prompt: UInt64? = nil, worker: String? = nil, reason: String? = nil,
                time: Double? = nil) {
        self.kind = kind
        self.lease = lease
        self.prompt = prompt
        self.worker = worker
        self.reason = reason
        self.time = time
    }
}
