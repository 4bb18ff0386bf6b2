/// An element type named in a safetensors header (`"dtype": "BF16"`).
///
/// Every dtype of the format is known, so that a header can be validated (each tensor's byte size is
/// `shape.product × byteSize`) even for tensors the engine never reads. Only `.f32`, `.bf16` and `.f16` convert
/// to `Float`; reading another dtype throws `SafetensorsError.unsupportedDType`.
public enum SafetensorsDType: String, Sendable, Hashable, CaseIterable {
    case bool = "BOOL"
    case u8 = "U8"
    case i8 = "I8"
    case f8e5m2 = "F8_E5M2"
    case f8e4m3 = "F8_E4M3"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .bool, .u8, .i8, .f8e5m2, .f8e4m3: 1
        case .i16, .u16, .f16, .bf16: 2
        case .i32, .u32, .f32: 4
        case .f64, .i64, .u64: 8
        }
    }

    /// Whether `SafetensorsFile.read` converts this dtype to `Float` (F32, BF16, F16).
    public var isReadableAsFloat: Bool { self == .f32 || self == .bf16 || self == .f16 }
}
