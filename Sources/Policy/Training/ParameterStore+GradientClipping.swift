extension ParameterStore {
    /// Scales the whole buffer (gradients) so its global L2 norm is at most `maxNorm`, as PyTorch's
    /// `clip_grad_norm_` does (factor `maxNorm / (norm + 1e-6)` when above); returns the norm before clipping.
    @discardableResult
    public func clipGlobalNorm(maxNorm: Float) -> Float {
        let norm = Float(squaredNorm().squareRoot())
        let factor = maxNorm / (norm + 1e-6)
        if factor < 1 { scale(by: factor) }
        return norm
    }
}
