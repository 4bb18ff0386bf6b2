import Protocol
import Synchronization

/// Grades through the verifier service (`grpo-lambda verifier`): one `verify_request` per group over REQ/REP.
///
/// Many groups may be in flight at once (each request runs on its own nng context). A verifier that does not
/// answer within `timeout` is an error for the caller to retry; nng's REQ socket reconnects by itself.
public final class RemoteGrader: AnswerGrader {
    public let url: String
    public let timeout: Duration
    private let channel: MessageChannel
    private let nextRequestID = Atomic<UInt64>(1)

    public init(url: String, codec: FrameCodec = FrameCodec(), tls: TLSConfiguration? = nil,
                timeout: Duration = .seconds(60)) throws {
        self.url = url
        self.timeout = timeout
        channel = try MessageChannel.dialing(.request, url: url, codec: codec, tls: tls)
    }

    public func close() { channel.close() }

    public func grade(completions: [String], gold: String) async throws -> [VerifyGrade] {
        let id = nextRequestID.add(1, ordering: .relaxed).oldValue
        let response = try await channel.request(VerifyRequest(requestID: id, goldAnswer: gold, completions: completions),
                                                 expecting: VerifyResponse.self, timeout: timeout)
        guard response.requestID == id, response.grades.count == completions.count else {
            throw RolloutWorkerError.badVerifierResponse(
                "request \(id) with \(completions.count) completions answered as request \(response.requestID) with \(response.grades.count) grades")
        }
        return response.grades
    }
}
