/// One tensor's entry in a safetensors header: its dtype, shape and byte range in the data section.
public struct SafetensorsTensorInfo: Sendable, Hashable {
    /// The tensor's name, e.g. `model.layers.0.self_attn.q_proj.weight`.
    public let name: String
    /// The element type stored in the file.
    public let dtype: SafetensorsDType
    /// The shape, outermost first (row-major); `[]` for a scalar.
    public let shape: [Int]
    /// Byte range relative to the start of the data section (the header's `data_offsets`).
    public let dataOffsets: Range<Int>

    /// Number of elements: the product of `shape` (1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }
}
