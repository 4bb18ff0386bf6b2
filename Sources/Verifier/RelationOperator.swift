/// The operator between two sides of a `MathExpression.relation`.
enum RelationOperator: Sendable, Equatable {
    case equal, notEqual, less, lessEqual, greater, greaterEqual, approximately, elementOf

    /// The operator with its sides swapped (`<` becomes `>`).
    var flipped: RelationOperator {
        switch self {
        case .less: return .greater
        case .lessEqual: return .greaterEqual
        case .greater: return .less
        case .greaterEqual: return .lessEqual
        default: return self
        }
    }
}
