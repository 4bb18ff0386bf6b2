/// The character classes the byte-level pre-tokenizer patterns distinguish, for one Unicode scalar.
///
/// They mirror the regex classes of the patterns as Oniguruma (which Hugging Face `tokenizers` uses) defines
/// them: `\p{L}` is general category L*, `\p{N}` is N*, `\p{M}` is M*, and `\s` is the White_Space property
/// (tab…CR, space, U+0085, U+00A0, U+1680, U+2000…U+200A, U+2028/9, U+202F, U+205F, U+3000). CR and LF and the
/// ASCII space get classes of their own because the patterns name them.
enum ScalarClass: UInt8 {
    /// Anything else: punctuation, symbols, emoji, controls that are not whitespace, unassigned.
    case other = 0
    case letter = 1
    case number = 2
    case mark = 3
    /// White_Space other than CR, LF and U+0020.
    case whitespace = 4
    /// U+0020.
    case space = 5
    /// CR or LF.
    case newline = 6

    var isWhitespace: Bool { rawValue >= ScalarClass.whitespace.rawValue }

    /// The class of `scalar` (computed from the standard library's Unicode properties).
    init(computing scalar: Unicode.Scalar) {
        switch scalar.value {
        case 0x0A, 0x0D: self = .newline
        case 0x20: self = .space
        default:
            let properties = scalar.properties
            if properties.isWhitespace {
                self = .whitespace
                return
            }
            switch properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
                self = .letter
            case .decimalNumber, .letterNumber, .otherNumber:
                self = .number
            case .nonspacingMark, .spacingMark, .enclosingMark:
                self = .mark
            default:
                self = .other
            }
        }
    }

    /// Classes of the Basic Multilingual Plane, indexed by scalar value (surrogates are `.other`), built once.
    static let basicPlane: [ScalarClass] = (0..<0x1_0000).map { value in
        Unicode.Scalar(UInt32(value)).map(ScalarClass.init(computing:)) ?? .other
    }

    /// The class of a scalar value, by table for the BMP.
    @inline(__always)
    static func of(_ value: UInt32) -> ScalarClass {
        if value < 0x1_0000 { return basicPlane[Int(value)] }
        return Unicode.Scalar(value).map(ScalarClass.init(computing:)) ?? .other
    }
}
