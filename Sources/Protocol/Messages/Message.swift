/// Any message of the protocol, as decoded from a frame.
public enum Message: Sendable, Equatable {
    case workerRegister(WorkerRegister)
    case workerRegistered(WorkerRegistered)
    case heartbeat(Heartbeat)
    case heartbeatAck(HeartbeatAck)
    case workerDeregister(WorkerDeregister)
    case leaseRequest(LeaseRequest)
    case leaseGrant(LeaseGrant)
    case leaseReport(LeaseReport)
    case learnerMetrics(LearnerMetrics)
    case rolloutGroup(RolloutGroup)
    case verifyRequest(VerifyRequest)
    case verifyResponse(VerifyResponse)
    case weightAnnounce(WeightAnnounce)
    case weightChunkRequest(WeightChunkRequest)
    case weightChunk(WeightChunk)
    case newWeightVersion(NewWeightVersion)
    case weightInfoRequest(WeightInfoRequest)
    case ack(Ack)
    case error(ErrorReply)
    case healthRequest(HealthRequest)
    case healthReply(HealthReply)

    /// Wraps a concrete message.
    public init(_ message: some WireMessage) {
        switch message {
        case let m as WorkerRegister: self = .workerRegister(m)
        case let m as WorkerRegistered: self = .workerRegistered(m)
        case let m as Heartbeat: self = .heartbeat(m)
        case let m as HeartbeatAck: self = .heartbeatAck(m)
        case let m as WorkerDeregister: self = .workerDeregister(m)
        case let m as LeaseRequest: self = .leaseRequest(m)
        case let m as LeaseGrant: self = .leaseGrant(m)
        case let m as LeaseReport: self = .leaseReport(m)
        case let m as LearnerMetrics: self = .learnerMetrics(m)
        case let m as RolloutGroup: self = .rolloutGroup(m)
        case let m as VerifyRequest: self = .verifyRequest(m)
        case let m as VerifyResponse: self = .verifyResponse(m)
        case let m as WeightAnnounce: self = .weightAnnounce(m)
        case let m as WeightChunkRequest: self = .weightChunkRequest(m)
        case let m as WeightChunk: self = .weightChunk(m)
        case let m as NewWeightVersion: self = .newWeightVersion(m)
        case let m as WeightInfoRequest: self = .weightInfoRequest(m)
        case let m as Ack: self = .ack(m)
        case let m as ErrorReply: self = .error(m)
        case let m as HealthRequest: self = .healthRequest(m)
        case let m as HealthReply: self = .healthReply(m)
        default: preconditionFailure("\(Swift.type(of: message)) is not a protocol message")
        }
    }

    /// The concrete message inside.
    public var payload: any WireMessage {
        switch self {
        case let .workerRegister(m): m
        case let .workerRegistered(m): m
        case let .heartbeat(m): m
        case let .heartbeatAck(m): m
        case let .workerDeregister(m): m
        case let .leaseRequest(m): m
        case let .leaseGrant(m): m
        case let .leaseReport(m): m
        case let .learnerMetrics(m): m
        case let .rolloutGroup(m): m
        case let .verifyRequest(m): m
        case let .verifyResponse(m): m
        case let .weightAnnounce(m): m
        case let .weightChunkRequest(m): m
        case let .weightChunk(m): m
        case let .newWeightVersion(m): m
        case let .weightInfoRequest(m): m
        case let .ack(m): m
        case let .error(m): m
        case let .healthRequest(m): m
        case let .healthReply(m): m
        }
    }

    public var type: MessageType { Swift.type(of: payload).messageType }

    /// Decodes the payload of a frame of type `type`; every byte must be consumed.
    static func decode(_ type: MessageType, from r: inout WireReader) throws(ProtocolError) -> Message {
        let message: Message = switch type {
        case .workerRegister: .workerRegister(try WorkerRegister(from: &r))
        case .workerRegistered: .workerRegistered(try WorkerRegistered(from: &r))
        case .heartbeat: .heartbeat(try Heartbeat(from: &r))
        case .heartbeatAck: .heartbeatAck(try HeartbeatAck(from: &r))
        case .workerDeregister: .workerDeregister(try WorkerDeregister(from: &r))
        case .leaseRequest: .leaseRequest(try LeaseRequest(from: &r))
        case .leaseGrant: .leaseGrant(try LeaseGrant(from: &r))
        case .leaseReport: .leaseReport(try LeaseReport(from: &r))
        case .learnerMetrics: .learnerMetrics(try LearnerMetrics(from: &r))
        case .rolloutGroup: .rolloutGroup(try RolloutGroup(from: &r))
        case .verifyRequest: .verifyRequest(try VerifyRequest(from: &r))
        case .verifyResponse: .verifyResponse(try VerifyResponse(from: &r))
        case .weightAnnounce: .weightAnnounce(try WeightAnnounce(from: &r))
        case .weightChunkRequest: .weightChunkRequest(try WeightChunkRequest(from: &r))
        case .weightChunk: .weightChunk(try WeightChunk(from: &r))
        case .newWeightVersion: .newWeightVersion(try NewWeightVersion(from: &r))
        case .weightInfoRequest: .weightInfoRequest(try WeightInfoRequest(from: &r))
        case .ack: .ack(try Ack(from: &r))
        case .error: .error(try ErrorReply(from: &r))
        case .healthRequest: .healthRequest(try HealthRequest(from: &r))
        case .healthReply: .healthReply(try HealthReply(from: &r))
        }
        try r.finish()
        return message
    }
}
