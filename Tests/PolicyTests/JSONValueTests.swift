import Foundation
import Testing
@testable import Policy

@Suite struct JSONValueTests {
    private func parse(_ text: String) throws -> JSONValue { try JSONValue.parse(Data(text.utf8)) }

    @Test func agreesWithFoundationOnTheSharedReferenceFiles() throws {
        // Every value of a real tokenizer.json, compared with JSONSerialization's reading of it.
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/tokenizer-variants/gpt2-prefix-legacy/tokenizer.json")
        let data = try Data(contentsOf: url)
        let ours = try JSONValue.parse(data)
        let foundation = try JSONSerialization.jsonObject(with: data)
        #expect(same(ours, foundation))
    }

    private func same(_ value: JSONValue, _ other: Any) -> Bool {
        switch value {
        case .null: return other is NSNull
        case .bool(let flag): return (other as? Bool) == flag
        case .integer(let number): return (other as? NSNumber)?.intValue == number
        case .number(let number): return (other as? NSNumber)?.doubleValue == number
        case .string(let text): return (other as? String) == text
        case .array(let elements):
            guard let others = other as? [Any], others.count == elements.count else { return false }
            return zip(elements, others).allSatisfy { same($0, $1) }
        case .object(let members):
            guard let others = other as? [String: Any], others.count == members.count else { return false }
            return members.allSatisfy { member in others[member.key].map { same(member.value, $0) } ?? false }
        }
    }

    @Test func stringsEscapesAndNumbers() throws {
        guard case .string(let text) = try parse(#""a\"b\\c\/\n\t\u00e9\ud83e\udd16 \ud800x""#) else {
            Issue.record("not a string")
            return
        }
        #expect(text == "a\"b\\c/\n\té🤖 \u{FFFD}x")
        guard case .array(let numbers) = try parse("[0, -12, 3.5, 1e3, -2E-2, 18446744073709551616]") else {
            Issue.record("not an array")
            return
        }
        #expect(numbers.count == 6)
        if case .integer(-12) = numbers[1] {} else { Issue.record("-12 is \(numbers[1])") }
        if case .number(3.5) = numbers[2] {} else { Issue.record("3.5 is \(numbers[2])") }
        if case .number(1000) = numbers[3] {} else { Issue.record("1e3 is \(numbers[3])") }
        if case .number(let huge) = numbers[5] { #expect(huge == 0x1p64) } else { Issue.record("2^64") }
        #expect(try parse(#"{"a": 1, "a": 2}"#)["a"].map { if case .integer(2) = $0 { true } else { false } } == true)
    }

    @Test func malformedInputIsRefusedWithAnOffset() {
        let cases = ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "\"abc", "\"\\x\"", "[1] 2", "\"a\u{01}\"",
                     "{\"a\":}", "nul"]
        for text in cases {
            #expect(throws: JSONValue.ParseError.self, "\(text.debugDescription)") { _ = try parse(text) }
        }
        let error = #expect(throws: JSONValue.ParseError.self) { _ = try parse("[1, 2, x]") }
        #expect(error?.offset == 7)
    }

    @Test func deepNestingIsAnErrorNotAStackOverflow() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONValue.ParseError.self) { _ = try parse(deep) }
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: Never.self) { _ = try parse(fine) }
    }
}
