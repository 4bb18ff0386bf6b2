/// Named ASCII bytes and classes for the byte-level scanners (`AnswerExtractor`, `AnswerNormalizer`,
/// `MathParser`), which work on UTF-8 bytes to stay allocation-light.
extension UInt8 {
    static let backslash = UInt8(ascii: "\\")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openParen = UInt8(ascii: "(")
    static let closeParen = UInt8(ascii: ")")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let dollar = UInt8(ascii: "$")
    static let space = UInt8(ascii: " ")
    static let newline = UInt8(ascii: "\n")
    static let tab = UInt8(ascii: "\t")
    static let carriageReturn = UInt8(ascii: "\r")
    static let plus = UInt8(ascii: "+")
    static let minus = UInt8(ascii: "-")
    static let star = UInt8(ascii: "*")
    static let slash = UInt8(ascii: "/")
    static let caret = UInt8(ascii: "^")
    static let underscore = UInt8(ascii: "_")
    static let dot = UInt8(ascii: ".")
    static let comma = UInt8(ascii: ",")
    static let semicolon = UInt8(ascii: ";")
    static let colon = UInt8(ascii: ":")
    static let equals = UInt8(ascii: "=")
    static let less = UInt8(ascii: "<")
    static let greater = UInt8(ascii: ">")
    static let bang = UInt8(ascii: "!")
    static let percentSign = UInt8(ascii: "%")
    static let bar = UInt8(ascii: "|")
    static let ampersand = UInt8(ascii: "&")
    static let quote = UInt8(ascii: "'")
    static let tilde = UInt8(ascii: "~")
    static let hash = UInt8(ascii: "#")
    static let lowerE = UInt8(ascii: "e")
    static let upperE = UInt8(ascii: "E")

    @inline(__always) var isDigit: Bool { self >= 0x30 && self <= 0x39 }
    @inline(__always) var isLetter: Bool { (self | 0x20) >= 0x61 && (self | 0x20) <= 0x7A }
    @inline(__always) var isUpper: Bool { self >= 0x41 && self <= 0x5A }
    @inline(__always) var isWhitespace: Bool { self == .space || self == .newline || self == .tab || self == .carriageReturn }
    /// ASCII lower case (other bytes unchanged).
    @inline(__always) var lowercased: UInt8 { isUpper ? self | 0x20 : self }
}
