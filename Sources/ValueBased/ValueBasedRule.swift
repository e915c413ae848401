/// Which value-based algorithm a ``ValueBasedRun`` runs, with its settings.
public enum ValueBasedRule: Sendable, Equatable {
    case dql(DQLConfig)
    case ebcdql(EBCDQLConfig)
    case davia(DAVIAConfig)

    public var discount: Double {
        switch self {
        case .dql(let c): return c.discount
        case .ebcdql(let c): return c.discount
        case .davia(let c): return c.discount
        }
    }

    public var exploration: Double {
        switch self {
        case .dql(let c): return c.exploration
        case .ebcdql(let c): return c.exploration
        case .davia(let c): return c.exploration
        }
    }

    public var initialValue: Double {
        switch self {
        case .dql(let c): return c.initialValue
        case .ebcdql(let c): return c.initialValue
        case .davia(let c): return c.initialValue
        }
    }

    /// DAVIA keeps V over states (and needs the model to act); the others keep Q over pairs.
    public var keepsStateValues: Bool {
        if case .davia = self { return true }
        return false
    }
}
