import Foundation

/// The errors a `JSONObject` reports, so each file format keeps its own error type.
protocol JSONFieldError: Error {
    static func missingField(_ field: String) -> Self
    static func wrongType(field: String, expected: String) -> Self
}

extension ModelConfigError: JSONFieldError {}
extension TokenizerError: JSONFieldError {}

/// Typed access to one JSON object's members, naming `prefix.field` in errors. `null` counts as absent.
struct JSONObject<Failure: JSONFieldError> {
    /// The members in file order.
    let members: [(key: String, value: JSONValue)]
    /// Dotted path of this object in the file ("" for the root).
    let prefix: String

    init(_ members: [(key: String, value: JSONValue)], prefix: String = "") {
        self.members = members
        self.prefix = prefix
    }

    /// Parses `data` as a JSON object; `notObject` makes the error (from a reason) for anything else.
    static func parse(_ data: some ContiguousBytes, notObject: (String) -> Failure) throws -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch {
            throw notObject(error.description)
        }
        guard case .object(let members) = value else { throw notObject("not an object") }
        return JSONObject(members)
    }

    /// `prefix.field`.
    func path(_ field: String) -> String { prefix.isEmpty ? field : "\(prefix).\(field)" }

    /// The member (the last one if repeated), unless absent or null.
    func value(_ field: String) -> JSONValue? {
        guard let value = members.last(where: { $0.key == field })?.value else { return nil }
        if case .null = value { return nil }
        return value
    }

    func string(_ field: String) throws -> String? {
        guard let value = value(field) else { return nil }
        guard case .string(let text) = value else { throw Failure.wrongType(field: path(field), expected: "a string") }
        return text
    }

    func double(_ field: String) throws -> Double? {
        switch value(field) {
        case nil: return nil
        case .integer(let number): return Double(number)
        case .number(let number): return number
        default: throw Failure.wrongType(field: path(field), expected: "a number")
        }
    }

    func int(_ field: String) throws -> Int? {
        guard let value = value(field) else { return nil }
        return try Self.natural(value, field: path(field))
    }

    func bool(_ field: String) throws -> Bool? {
        guard let value = value(field) else { return nil }
        guard case .bool(let flag) = value else { throw Failure.wrongType(field: path(field), expected: "true or false") }
        return flag
    }

    func requiredString(_ field: String) throws -> String {
        guard let value = try string(field) else { throw Failure.missingField(path(field)) }
        return value
    }

    func requiredInt(_ field: String) throws -> Int {
        guard let value = try int(field) else { throw Failure.missingField(path(field)) }
        return value
    }

    func requiredDouble(_ field: String) throws -> Double {
        guard let value = try double(field) else { throw Failure.missingField(path(field)) }
        return value
    }

    func object(_ field: String) throws -> JSONObject? {
        guard let value = value(field) else { return nil }
        guard case .object(let members) = value else {
            throw Failure.wrongType(field: path(field), expected: "an object")
        }
        return JSONObject(members, prefix: path(field))
    }

    func array(_ field: String) throws -> [JSONValue]? {
        guard let value = value(field) else { return nil }
        guard case .array(let elements) = value else { throw Failure.wrongType(field: path(field), expected: "a list") }
        return elements
    }

    /// A list of strings.
    func strings(_ field: String) throws -> [String]? {
        try array(field)?.map { element in
            guard case .string(let text) = element else {
                throw Failure.wrongType(field: path(field), expected: "a list of strings")
            }
            return text
        }
    }

    /// The objects of a list member, each with its `field[i]` path.
    func objects(_ field: String) throws -> [JSONObject] {
        try (array(field) ?? []).enumerated().map { index, element in
            guard case .object(let members) = element else {
                throw Failure.wrongType(field: "\(path(field))[\(index)]", expected: "an object")
            }
            return JSONObject(members, prefix: "\(path(field))[\(index)]")
        }
    }

    /// One non-negative integer or a list of them (`eos_token_id: [128001, 128009]`).
    func naturals(_ field: String) throws -> [Int]? {
        guard let value = value(field) else { return nil }
        if case .array(let list) = value { return try list.map { try Self.natural($0, field: path(field)) } }
        return [try Self.natural(value, field: path(field))]
    }

    /// A non-negative integer (a JSON integer, or a number with no fraction below 2^53).
    static func natural(_ value: JSONValue, field: String) throws -> Int {
        switch value {
        case .integer(let number) where number >= 0:
            return number
        case .number(let number) where number >= 0 && number.rounded() == number && number < 0x1p53:
            return Int(number)
        default:
            throw Failure.wrongType(field: field, expected: "a non-negative integer")
        }
    }
}
