// Prompt leases: every prompt group is leased to one worker, and counted once when the learner consumes it.

/// A worker asks for up to `maxGroups` prompt groups to generate.
public struct LeaseRequest: WireMessage {
    public static let messageType = MessageType.leaseRequest
    public var workerID: String
    public var maxGroups: UInt32

    public init(workerID: String, maxGroups: UInt32) {
        self.workerID = workerID
        self.maxGroups = maxGroups
    }

    public func encode(to w: inout WireWriter) {
        w.write(workerID)
        w.write(maxGroups)
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        workerID = try r.readString("worker_id")
        maxGroups = try r.read(UInt32.self, "max_groups")
    }
}

/// One leased prompt: generate `groupSize` completions for it, score them, ship the group whole.
public struct PromptLease: WireCodable, Equatable {
    public var leaseID: UInt64
    /// Position of the prompt in the run's dataset order (the coordinator's cursor).
    public var promptIndex: UInt64
    public var prompt: String
    /// The reference answer the verifier grades against.
    public var goldAnswer: String
    public var groupSize: UInt32
    /// The lease expires this long after it was granted unless heartbeats extend it.
    public var expiresInMilliseconds: UInt32

    public init(leaseID: UInt64, promptIndex: UInt64, prompt: String, goldAnswer: String, groupSize: UInt32,
                expiresInMilliseconds: UInt32) {
        self.leaseID = leaseID
        self.promptIndex = promptIndex
        self.prompt = prompt
        self.goldAnswer = goldAnswer
        self.groupSize = groupSize
        self.expiresInMilliseconds = expiresInMilliseconds
    }

    /// The smallest encoding (empty strings), for count checks.
    static let minimumEncodedSize = 8 + 8 + 4 + 4 + 4 + 4

    public func encode(to w: inout WireWriter) {
        w.write(leaseID)
        w.write(promptIndex)
        w.write(prompt)
        w.write(goldAnswer)
        w.write(groupSize)
        w.write(expiresInMilliseconds)
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        leaseID = try r.read(UInt64.self, "lease_id")
        promptIndex = try r.read(UInt64.self, "prompt_index")
        prompt = try r.readString("prompt")
        goldAnswer = try r.readString("gold_answer")
        groupSize = try r.read(UInt32.self, "group_size")
        expiresInMilliseconds = try r.read(UInt32.self, "expires_in_ms")
    }
}

/// The coordinator's answer to `LeaseRequest` (possibly empty: no work right now, ask again later).
public struct LeaseGrant: WireMessage {
    public static let messageType = MessageType.leaseGrant
    public var leases: [PromptLease]
    /// Sampling must use this weight version or newer.
    public var minimumWeightVersion: UInt64

    public init(leases: [PromptLease], minimumWeightVersion: UInt64) {
        self.leases = leases
        self.minimumWeightVersion = minimumWeightVersion
    }

    public func encode(to w: inout WireWriter) {
        w.write(leases)
        w.write(minimumWeightVersion)
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        leases = try r.readArray(of: PromptLease.self, "leases", minimumElementSize: PromptLease.minimumEncodedSize)
        minimumWeightVersion = try r.read(UInt64.self, "minimum_weight_version")
    }
}

/// The learner's account of leases (learner REQ → coordinator REP, answered by `ack`).
///
/// `received` leases' groups reached the learner: the coordinator stops their expiry clock (they are the
/// learner's now; a learner restart hands them back through `resync`). `used` leases' groups went into a step
/// (or were dropped as uniform) that is not yet in a durable checkpoint: they no longer count as work in flight.
/// `consumed` leases were trained on (or used and dropped as uniform) and a checkpoint holding that update is
/// durable: count their prompts once, never re-issue them. `returned` leases' groups were refused or too stale:
/// re-issue their prompts. `duplicates` arrived for prompts already used under another lease: close them and
/// count nothing. The coordinator applies a report idempotently (a lease already closed stays as it is), so the
/// learner may send one again after a restart. `resync` is set on the first report of a learner process: every
/// lease the coordinator believes is at the learner and that is not in `consumed` was lost with the previous
/// process and must be re-issued.
public struct LeaseReport: WireMessage, Equatable {
    public static let messageType = MessageType.leaseReport
    /// Learner steps completed and the weight version published after the last of them.
    public var learnerStep: UInt64
    public var weightVersion: UInt64
    public var resync: Bool
    public var received: [UInt64]
    public var used: [UInt64]
    public var consumed: [UInt64]
    public var returned: [UInt64]
    public var duplicates: [UInt64]

    public init(learnerStep: UInt64, weightVersion: UInt64, resync: Bool = false, received: [UInt64] = [],
                used: [UInt64] = [], consumed: [UInt64] = [], returned: [UInt64] = [], duplicates: [UInt64] = []) {
        self.learnerStep = learnerStep
        self.weightVersion = weightVersion
        self.resync = resync
        self.received = received
        self.used = used
        self.consumed = consumed
        self.returned = returned
        self.duplicates = duplicates
    }

    public var isEmpty: Bool {
        !resync && received.isEmpty && used.isEmpty && consumed.isEmpty && returned.isEmpty && duplicates.isEmpty
    }

    public func encode(to w: inout WireWriter) {
        w.write(learnerStep)
        w.write(weightVersion)
        w.write(resync)
        w.write(received)
        w.write(used)
        w.write(consumed)
        w.write(returned)
        w.write(duplicates)
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        learnerStep = try r.read(UInt64.self, "learner_step")
        weightVersion = try r.read(UInt64.self, "weight_version")
        resync = try r.readBool("resync")
        received = try r.readArray(of: UInt64.self, "received")
        used = try r.readArray(of: UInt64.self, "used")
        consumed = try r.readArray(of: UInt64.self, "consumed")
        returned = try r.readArray(of: UInt64.self, "returned")
        duplicates = try r.readArray(of: UInt64.self, "duplicates")
    }
}

/// The learner's metrics of one step, relayed to the coordinator so that its log — the one a person watches —
/// shows training next to the fleet (learner REQ → coordinator REP, answered by `ack`). Newest-only: a learner
/// that cannot reach the coordinator skips intermediate steps (its own metrics.jsonl has them all).
public struct LearnerMetrics: WireMessage, Equatable {
    public static let messageType = MessageType.learnerMetrics
    public var learnerStep: UInt64
    public var weightVersion: UInt64
    /// The step's metrics.jsonl line: one JSON object.
    public var json: String

    public init(learnerStep: UInt64, weightVersion: UInt64, json: String) {
        self.learnerStep = learnerStep
        self.weightVersion = weightVersion
        self.json = json
    }

    public func encode(to w: inout WireWriter) {
        w.write(learnerStep)
        w.write(weightVersion)
        w.write(json)
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        learnerStep = try r.read(UInt64.self, "learner_step")
        weightVersion = try r.read(UInt64.self, "weight_version")
        json = try r.readString("json")
    }
}
