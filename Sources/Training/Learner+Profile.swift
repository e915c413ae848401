extension Learner {
    public mutating func setProfiling(_ on: Bool) {}
    public mutating func drainProfile(into total: inout RoundProfile) {}
    public var profiledNetworks: [[Int]] { [] }
}

extension PolicyValueLearner {
    /// The model times its network passes and the optimiser step, the environment its steps.
    public mutating func setProfiling(_ on: Bool) {
        model.profile.setEnabled(on)
        experience.profile.setEnabled(on)
    }

    public mutating func drainProfile(into total: inout RoundProfile) {
        total.add(model.profile)
        total.add(experience.profile)
        model.profile.clear()
        experience.profile.clear()
    }

    public var profiledNetworks: [[Int]] { [model.actor.sizes] + (model.critic.map { [$0.sizes] } ?? []) }
}
