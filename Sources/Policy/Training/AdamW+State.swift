import Foundation

extension AdamW {
    /// Writes the moments (flat, Float32, as `first_moment` and `second_moment` `[count]`) and the step count
    /// (`__metadata__["step"]`) to a safetensors file, atomically.
    public func writeState(to url: URL) throws {
        try withExtendedLifetime((firstMoment, secondMoment)) {
            try SafetensorsWriter.write(
                tensors: [
                    .init(name: "first_moment", shape: [layout.count],
                          borrowing: UnsafeBufferPointer(start: firstMoment.base, count: layout.count)),
                    .init(name: "second_moment", shape: [layout.count],
                          borrowing: UnsafeBufferPointer(start: secondMoment.base, count: layout.count)),
                ],
                dtype: .f32, metadata: ["step": "\(step)", "parameters": "\(layout.count)"], to: url)
        }
    }

    /// Restores what `writeState(to:)` wrote; the moments must have this layout's element count.
    public func readState(from url: URL) throws {
        let archive = try SafetensorsArchive(url: url)
        guard let stepText = archive.metadata["step"], let step = Int(stepText), step >= 0 else {
            throw EngineError.invalidOption(name: "step", value: archive.metadata["step"] ?? "missing",
                                            reason: "optimizer state needs a non-negative step count")
        }
        for (name, store) in [("first_moment", firstMoment), ("second_moment", secondMoment)] {
            let (_, shape) = try archive.info(name)
            guard shape == [layout.count] else {
                throw EngineError.tensorShapeMismatch(name: name, expected: [layout.count], found: shape)
            }
            try store.withUnsafeMutableBufferPointer { try archive.read(name, shape: [layout.count], into: $0) }
        }
        restoreStep(step)
    }
}
