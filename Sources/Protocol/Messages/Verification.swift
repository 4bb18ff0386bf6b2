// Verification (worker REQ → verifier REP): one request grades one group of completions against one gold answer.

/// Grade `completions` against `goldAnswer`.
public struct VerifyRequest: WireMessage {
    public static let messageType = MessageType.verifyRequest
    /// Echoed in the response so a client can match them.
    public var requestID: UInt64
    public var goldAnswer: String
    public var completions: [String]

    public init(requestID: UInt64, goldAnswer: String, completions: [String]) {
        self.requestID = requestID
        self.goldAnswer = goldAnswer
        self.completions = completions
    }

    public func encode(to w: inout WireWriter) {
        w.write(requestID)
        w.write(goldAnswer)
        w.write(completions)
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        requestID = try r.read(UInt64.self, "request_id")
        goldAnswer = try r.readString("gold_answer")
        completions = try r.readStrings("completions")
    }
}

/// One completion's grade.
public struct VerifyGrade: WireCodable, Equatable {
    /// The shaped reward (1 correct, 0 wrong, minus an optional format penalty).
    public var reward: Float
    public var correct: Bool
    /// Reason code: `correct`, `wrong`, `no_answer_found`, `unparseable_prediction`, `unparseable_gold`,
    /// `limit_exceeded`, ...
    public var reason: String
    /// The answer extracted from the completion (empty if none).
    public var extractedAnswer: String

    public init(reward: Float, correct: Bool, reason: String, extractedAnswer: String) {
        self.reward = reward
        self.correct = correct
        self.reason = reason
        self.extractedAnswer = extractedAnswer
    }

    static let minimumEncodedSize = 4 + 1 + 4 + 4

    public func encode(to w: inout WireWriter) {
        w.write(reward)
        w.write(correct)
        w.write(reason)
        w.write(extractedAnswer)
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        reward = try r.readFloat("reward")
        correct = try r.readBool("correct")
        reason = try r.readString("reason")
        extractedAnswer = try r.readString("extracted_answer")
    }
}

/// The grades, in the order of the request's completions.
public struct VerifyResponse: WireMessage {
    public static let messageType = MessageType.verifyResponse
    public var requestID: UInt64
    public var grades: [VerifyGrade]
    /// Time the verifier spent on the request.
    public var elapsedMicroseconds: UInt64

    public init(requestID: UInt64, grades: [VerifyGrade], elapsedMicroseconds: UInt64) {
        self.requestID = requestID
        self.grades = grades
        self.elapsedMicroseconds = elapsedMicroseconds
    }

    public func encode(to w: inout WireWriter) {
        w.write(requestID)
        w.write(grades)
        w.write(elapsedMicroseconds)
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        requestID = try r.read(UInt64.self, "request_id")
        grades = try r.readArray(of: VerifyGrade.self, "grades", minimumElementSize: VerifyGrade.minimumEncodedSize)
        elapsedMicroseconds = try r.read(UInt64.self, "elapsed_us")
    }
}
