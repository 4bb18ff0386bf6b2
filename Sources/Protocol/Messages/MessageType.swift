/// The message type field of a frame header (u16). Values are stable: never renumber, only add.
public enum MessageType: UInt16, Sendable, CaseIterable, CustomStringConvertible {
    // Membership (worker ↔ coordinator, REQ/REP)
    case workerRegister = 1
    case workerRegistered = 2
    case heartbeat = 3
    case heartbeatAck = 4
    case workerDeregister = 5
    // Prompt leases
    case leaseRequest = 10
    case leaseGrant = 11
    // 12 was `leases_consumed` (retired: replaced by `lease_report`).
    case leaseReport = 13
    case learnerMetrics = 14
    // Rollouts (worker → learner, PUSH/PULL)
    case rolloutGroup = 20
    // Verification (worker → verifier, REQ/REP)
    case verifyRequest = 30
    case verifyResponse = 31
    // Weights
    case weightAnnounce = 40
    case weightChunkRequest = 41
    case weightChunk = 42
    case newWeightVersion = 43
    case weightInfoRequest = 44
    // Control
    case ack = 60
    case error = 61
    case healthRequest = 62
    case healthReply = 63

    public var description: String {
        switch self {
        case .workerRegister: "worker_register"
        case .workerRegistered: "worker_registered"
        case .heartbeat: "heartbeat"
        case .heartbeatAck: "heartbeat_ack"
        case .workerDeregister: "worker_deregister"
        case .leaseRequest: "lease_request"
        case .leaseGrant: "lease_grant"
        case .leaseReport: "lease_report"
        case .learnerMetrics: "learner_metrics"
        case .rolloutGroup: "rollout_group"
        case .verifyRequest: "verify_request"
        case .verifyResponse: "verify_response"
        case .weightAnnounce: "weight_announce"
        case .weightChunkRequest: "weight_chunk_request"
        case .weightChunk: "weight_chunk"
        case .newWeightVersion: "new_weight_version"
        case .weightInfoRequest: "weight_info_request"
        case .ack: "ack"
        case .error: "error"
        case .healthRequest: "health_request"
        case .healthReply: "health_reply"
        }
    }
}
