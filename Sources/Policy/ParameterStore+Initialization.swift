import Seeding

extension ParameterStore {
    /// Fills the store the way `transformers` initialises a new Llama/Qwen2 model: every matrix from
    /// N(0, `standardDeviation`²), every norm weight 1, every bias 0. Reproducible from `generator`.
    public func initializeRandomly(standardDeviation: Float = 0.02, generator: inout SeededGenerator) {
        for tensor in layout.tensors {
            let isNorm = tensor.name.hasSuffix("norm.weight")
            let isBias = tensor.name.hasSuffix(".bias")
            withTensor(tensor) { view in
                for i in view.indices {
                    view[i] = isNorm ? 1 : isBias ? 0 : Float(generator.nextGaussian()) * standardDeviation
                }
            }
        }
    }
}
