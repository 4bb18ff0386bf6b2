extension Duration {
    /// The duration in seconds, as a Double (for logs, metrics and rates).
    public var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) * 1e-18
    }

    /// The duration in whole milliseconds, rounded down (for wire fields and timeouts).
    public var milliseconds: Int64 {
        let (whole, fraction) = components
        return whole * 1000 + fraction / 1_000_000_000_000_000
    }
}
