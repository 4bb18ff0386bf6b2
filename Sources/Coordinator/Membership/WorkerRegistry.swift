import Protocol

/// The workers the coordinator knows: who they are, when they were last heard from, the weight version each one
/// samples from, and what each has done. A worker silent for longer than the failure timeout is declared dead
/// (and its leases released by the caller). Not thread-safe: one owner.
public struct WorkerRegistry {
    public struct Worker: Sendable, Equatable {
        public let id: String
        public var host: String
        public var pid: UInt32
        public var slots: UInt32
        public var joined: ContinuousClock.Instant
        public var lastSeen: ContinuousClock.Instant
        /// The verified weight version it samples from (nil until it holds one).
        public var heldVersion: UInt64?
        public var groupsCompleted: UInt64 = 0
        public var tokensGenerated: UInt64 = 0
        /// Weight bytes served to it in all, and up to the last version it reported holding.
        public var weightBytesServed: UInt64 = 0
        public var weightBytesAtLastVersion: UInt64 = 0
    }

    public let failureTimeout: Duration
    public private(set) var workers: [String: Worker] = [:]

    public init(failureTimeout: Duration) {
        self.failureTimeout = failureTimeout
    }

    /// How a registration relates to what the coordinator knew.
    public enum Registration: Sendable, Equatable {
        /// A worker id this coordinator has not seen (a new worker, or any worker after a coordinator restart).
        case new
        /// The same process registering again (the coordinator asked it to).
        case same
        /// A new process under a known id: its predecessor died, and the leases it held are lost with it.
        case restarted
    }

    /// Registers (or re-registers, keeping its counters) a worker.
    @discardableResult
    public mutating func register(_ request: WorkerRegister, now: ContinuousClock.Instant) -> Registration {
        if var known = workers[request.workerID] {
            let restarted = known.pid != request.pid || known.host != request.host
            known.host = request.host
            known.pid = request.pid
            known.slots = request.slots
            known.lastSeen = now
            if restarted { known.heldVersion = nil }
            workers[request.workerID] = known
            return restarted ? .restarted : .same
        }
        workers[request.workerID] = Worker(id: request.workerID, host: request.host, pid: request.pid,
                                           slots: request.slots, joined: now, lastSeen: now)
        return .new
    }

    /// Records a heartbeat; returns the previous held version, or nil if the worker is unknown (it must register).
    public mutating func heartbeat(_ beat: Heartbeat, now: ContinuousClock.Instant) -> (known: Bool, previousVersion: UInt64?) {
        guard var worker = workers[beat.workerID] else { return (false, nil) }
        let previous = worker.heldVersion
        worker.lastSeen = now
        worker.heldVersion = beat.heldWeightVersion == .max ? nil : beat.heldWeightVersion
        worker.groupsCompleted = beat.groupsCompleted
        worker.tokensGenerated = beat.tokensGenerated
        workers[beat.workerID] = worker
        return (true, previous)
    }

    /// Notes any other request from a known worker as a sign of life. False if unknown.
    public mutating func touch(_ id: String, now: ContinuousClock.Instant) -> Bool {
        guard workers[id] != nil else { return false }
        workers[id]!.lastSeen = now
        return true
    }

    public mutating func served(bytes: Int, to id: String) {
        workers[id]?.weightBytesServed += UInt64(bytes)
    }

    /// The weight bytes served to a worker since it last reported a new version (what reaching this one cost).
    public mutating func bytesForNewVersion(of id: String) -> UInt64 {
        guard let worker = workers[id] else { return 0 }
        workers[id]!.weightBytesAtLastVersion = worker.weightBytesServed
        return worker.weightBytesServed - worker.weightBytesAtLastVersion
    }

    /// Removes a worker (it deregistered); returns it.
    public mutating func remove(_ id: String) -> Worker? { workers.removeValue(forKey: id) }

    /// Removes and returns the workers silent for longer than the failure timeout.
    public mutating func removeSilent(now: ContinuousClock.Instant) -> [Worker] {
        let silent = workers.values.filter { now - $0.lastSeen > failureTimeout }
        for worker in silent { workers[worker.id] = nil }
        return silent.sorted { $0.id < $1.id }
    }
}
