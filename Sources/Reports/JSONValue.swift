import Foundation

/// A JSON value that keeps what kind it was (a Bool stays a Bool, not a number): for config.json and
/// summary.json, whose values the report prints as they are written.
public enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let d = try? container.decode(Double.self) {
            self = .number(d)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Parses a whole document (nil if it is not JSON).
    public static func parse(_ data: Data) -> JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: data) }

    public subscript(key: String) -> JSONValue? {
        if case let .object(o) = self { return o[key] }
        return nil
    }

    public var double: Double? {
        switch self {
        case let .number(d): d
        // Non-finite numbers are written as strings ("nan", "inf").
        case let .string(s): Double(s)
        default: nil
        }
    }

    public var string: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    /// The value as config.json shows it: numbers without a spurious ".0", strings without quotes.
    public var display: String {
        switch self {
        case .null: "null"
        case let .bool(b): b ? "true" : "false"
        case let .number(d): Format.plainNumber(d)
        case let .string(s): s
        case let .array(a): "[" + a.map(\.display).joined(separator: ", ") + "]"
        case let .object(o): "{" + o.keys.sorted().map { "\($0): \(o[$0]!.display)" }.joined(separator: ", ") + "}"
        }
    }
}
