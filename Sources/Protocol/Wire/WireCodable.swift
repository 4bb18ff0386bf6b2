/// A value with a wire encoding (a message or a part of one).
public protocol WireEncodable: Sendable {
    /// Appends this value's bytes; the same code sizes the payload (measuring writer) and fills it.
    func encode(to writer: inout WireWriter)
}

/// A value decodable from the wire.
public protocol WireDecodable: Sendable {
    /// Reads exactly this value's bytes or throws a `ProtocolError` naming the field.
    init(from reader: inout WireReader) throws(ProtocolError)
}

public typealias WireCodable = WireEncodable & WireDecodable

/// A top-level message: one frame carries exactly one.
public protocol WireMessage: WireCodable, Equatable {
    static var messageType: MessageType { get }
}
