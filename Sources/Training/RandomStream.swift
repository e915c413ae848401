/// The named random streams of a training run: every generator a run creates is seeded with
/// `deriveSeed(seed, stream)` or `RandomGenerator(seed:index:)` with one of these, so that no
/// two draws share a stream by accident and the numbers do not depend on the thread count.
public enum RandomStream {
    /// A learner's action sampling (per learner seed). Environment copies use indices from 0.
    public static let actions: UInt64 = 1 << 50
    /// Test episodes' action sampling (per evaluation seed).
    public static let evaluation: UInt64 = 1 << 51
    /// A learner's minibatch shuffling (PPO) and other update-time draws.
    public static let updates: UInt64 = 1 << 52
    /// Link drops and noise (under the run seed).
    public static let links: UInt64 = 0x11AC
    /// Strategies' own draws (ES perturbations, ESPC sending; under the run seed).
    public static let strategy: UInt64 = 0x57A7
    /// Seeds of test episodes on the training tasks (XORed into the run seed).
    public static let evaluationTasks: UInt64 = 0xE7A1
    /// Seeds of test episodes on held-out tasks (XORed into the run seed).
    public static let evaluationHeldOut: UInt64 = 0x4E1D
}
