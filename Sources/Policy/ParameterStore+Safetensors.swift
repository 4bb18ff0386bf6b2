import Foundation

extension ParameterStore {
    /// Reads every tensor of the layout from `archive` (F32, BF16 or F16 on disk; converted to Float32).
    ///
    /// Tensors the layout lacks (e.g. a tied checkpoint's redundant `lm_head.weight`, or `rotary_emb.inv_freq`)
    /// are ignored. A missing tensor throws `SafetensorsError.missingTensor`; a shape that differs from the
    /// model's throws `EngineError.tensorShapeMismatch`.
    public func load(from archive: SafetensorsArchive) throws {
        for tensor in layout.tensors {
            let (_, shape) = try archive.info(tensor.name)
            guard shape == tensor.shape else {
                throw EngineError.tensorShapeMismatch(name: tensor.name, expected: tensor.shape, found: shape)
            }
            try withTensor(tensor) { view in
                try archive.read(tensor.name, shape: tensor.shape, into: view)
            }
        }
    }

    /// Writes every tensor under its Hugging Face name to `url` as F32 or BF16, atomically.
    ///
    /// With a tied head no `lm_head.weight` is written, as `transformers` does.
    public func write(to url: URL, dtype: SafetensorsDType = .f32, metadata: [String: String] = ["format": "pt"])
        throws {
        let tensors = layout.tensors.map { tensor in
            SafetensorsWriter.Tensor(name: tensor.name, shape: tensor.shape,
                                     borrowing: UnsafeBufferPointer(start: base + tensor.offset, count: tensor.count))
        }
        try withExtendedLifetime(self) {
            try SafetensorsWriter.write(tensors: tensors, dtype: dtype, metadata: metadata, to: url)
        }
    }
}
