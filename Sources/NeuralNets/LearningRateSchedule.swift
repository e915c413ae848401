/// The learning rate as a function of the number of updates already applied.
public enum LearningRateSchedule: Hashable, Sendable, Codable {
    /// The same rate at every step.
    case constant(Float)
    /// From `initial` at step 0 straight down to `final` at step `steps`, then `final`
    /// (SB3's `linear_schedule` and CleanRL's `anneal_lr` with `final` = 0).
    case linearDecay(initial: Float, final: Float, steps: Int)

    /// The rate for the update that follows `step` applied updates.
    public func value(atStep step: Int) -> Float {
        switch self {
        case .constant(let rate):
            return rate
        case .linearDecay(let initial, let final, let steps):
            guard steps > 0 else { return final }
            let progress = Float(min(max(step, 0), steps)) / Float(steps)
            return initial + (final - initial) * progress
        }
    }
}
