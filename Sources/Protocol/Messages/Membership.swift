// Worker membership: register, heartbeat, deregister (worker REQ → coordinator REP).

/// A worker announces itself to the coordinator. `workerID` is chosen by the worker and stable across its
/// reconnects (e.g. host-pid-random), so a re-registration is recognised.
public struct WorkerRegister: WireMessage {
    public static let messageType = MessageType.workerRegister
    public var workerID: String
    public var host: String
    public var pid: UInt32
    /// How many groups the worker generates at once.
    public var slots: UInt32

    public init(workerID: String, host: String, pid: UInt32, slots: UInt32) {
        self.workerID = workerID
        self.host = host
        self.pid = pid
        self.slots = slots
    }

    public func encode(to w: inout WireWriter) {
        w.write(workerID)
        w.write(host)
        w.write(pid)
        w.write(slots)
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        workerID = try r.readString("worker_id")
        host = try r.readString("host")
        pid = try r.read(UInt32.self, "pid")
        slots = try r.read(UInt32.self, "slots")
    }
}

/// The coordinator's answer to `WorkerRegister`: the timing contract and the newest weights.
public struct WorkerRegistered: WireMessage {
    public static let messageType = MessageType.workerRegistered
    public var workerID: String
    public var heartbeatIntervalMilliseconds: UInt32
    /// A worker silent for longer is declared dead and its leases are re-issued.
    public var failureTimeoutMilliseconds: UInt32
    public var latestWeightVersion: UInt64

    public init(workerID: String, heartbeatIntervalMilliseconds: UInt32, failureTimeoutMilliseconds: UInt32,
                latestWeightVersion: UInt64) {
        self.workerID = workerID
        self.heartbeatIntervalMilliseconds = heartbeatIntervalMilliseconds
        self.failureTimeoutMilliseconds = failureTimeoutMilliseconds
        self.latestWeightVersion = latestWeightVersion
    }

    public func encode(to w: inout WireWriter) {
        w.write(workerID)
        w.write(heartbeatIntervalMilliseconds)
        w.write(failureTimeoutMilliseconds)
        w.write(latestWeightVersion)
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        workerID = try r.readString("worker_id")
        heartbeatIntervalMilliseconds = try r.read(UInt32.self, "heartbeat_interval_ms")
        failureTimeoutMilliseconds = try r.read(UInt32.self, "failure_timeout_ms")
        latestWeightVersion = try r.read(UInt64.self, "latest_weight_version")
    }
}

/// A worker's periodic sign of life, with what the coordinator's log shows per worker.
public struct Heartbeat: WireMessage {
    public static let messageType = MessageType.heartbeat
    public var workerID: String
    /// The weight version the worker samples from now (verified by checksum).
    public var heldWeightVersion: UInt64
    /// Leases the worker is still working on; the coordinator extends them.
    public var activeLeaseIDs: [UInt64]
    public var groupsCompleted: UInt64
    public var tokensGenerated: UInt64

    public init(workerID: String, heldWeightVersion: UInt64, activeLeaseIDs: [UInt64], groupsCompleted: UInt64,
                tokensGenerated: UInt64) {
        self.workerID = workerID
        self.heldWeightVersion = heldWeightVersion
        self.activeLeaseIDs = activeLeaseIDs
        self.groupsCompleted = groupsCompleted
        self.tokensGenerated = tokensGenerated
    }

    public func encode(to w: inout WireWriter) {
        w.write(workerID)
        w.write(heldWeightVersion)
        w.write(activeLeaseIDs)
        w.write(groupsCompleted)
        w.write(tokensGenerated)
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        workerID = try r.readString("worker_id")
        heldWeightVersion = try r.read(UInt64.self, "held_weight_version")
        activeLeaseIDs = try r.readArray(of: UInt64.self, "active_lease_ids")
        groupsCompleted = try r.read(UInt64.self, "groups_completed")
        tokensGenerated = try r.read(UInt64.self, "tokens_generated")
    }
}

/// The coordinator's answer to a heartbeat.
public struct HeartbeatAck: WireMessage {
    public static let messageType = MessageType.heartbeatAck
    public var latestWeightVersion: UInt64
    /// The coordinator no longer knows this worker (it restarted, or declared the worker dead): register again.
    public var mustReregister: Bool

    public init(latestWeightVersion: UInt64, mustReregister: Bool) {
        self.latestWeightVersion = latestWeightVersion
        self.mustReregister = mustReregister
    }

    public func encode(to w: inout WireWriter) {
        w.write(latestWeightVersion)
        w.write(mustReregister)
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        latestWeightVersion = try r.read(UInt64.self, "latest_weight_version")
        mustReregister = try r.readBool("must_reregister")
    }
}

/// A worker leaving cleanly; its unfinished leases are re-issued at once instead of after the failure timeout.
public struct WorkerDeregister: WireMessage {
    public static let messageType = MessageType.workerDeregister
    public var workerID: String
    public var reason: String

    public init(workerID: String, reason: String) {
        self.workerID = workerID
        self.reason = reason
    }

    public func encode(to w: inout WireWriter) {
        w.write(workerID)
        w.write(reason)
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        workerID = try r.readString("worker_id")
        reason = try r.readString("reason")
    }
}
