// The concrete batch types of the classic-control tasks (see `SpecializedVector` for why each
// environment has one).

/// A batch of ``Pendulum`` copies.
public struct PendulumVector: SpecializedVector {
    public var base: SerialVector<Pendulum>
    public init(base: SerialVector<Pendulum>) { self.base = base }
}

/// A batch of ``CartPole`` copies (balance, discrete pushes).
public struct CartPoleVector: SpecializedVector {
    public var base: SerialVector<CartPole>
    public init(base: SerialVector<CartPole>) { self.base = base }
}

/// A batch of ``ContinuousCartPole`` copies.
public struct ContinuousCartPoleVector: SpecializedVector {
    public var base: SerialVector<ContinuousCartPole>
    public init(base: SerialVector<ContinuousCartPole>) { self.base = base }
}

/// A batch of ``CartPoleSwingUp`` copies.
public struct CartPoleSwingUpVector: SpecializedVector {
    public var base: SerialVector<CartPoleSwingUp>
    public init(base: SerialVector<CartPoleSwingUp>) { self.base = base }
}

/// A batch of ``Acrobot`` copies.
public struct AcrobotVector: SpecializedVector {
    public var base: SerialVector<Acrobot>
    public init(base: SerialVector<Acrobot>) { self.base = base }
}
