import Envs
import Testing

/// The README's "use Envs from your own package" example, compiled and run as it is printed there.
@Test("the README example steps a batch")
func readmeExample() throws {
    // --- README example begins ---
    let registry = try TaskRegistry.standard
    var env = try registry.make("cart-pole-v1", count: 256, threads: 2)
    var batch = env.reset(seed: 42)
    var actions = [Float](repeating: 0, count: env.count)
    var returns: [Float] = []
    for _ in 0..<1000 {
        for i in 0..<env.count { actions[i] = batch.observations[i * 4 + 2] > 0 ? 1 : 0 }  // push toward the lean
        try env.step(actions, into: &batch)
        for i in 0..<env.count where batch.terminated[i] || batch.truncated[i] { returns.append(batch.episodes.returns[i]) }
    }
    print("episodes:", returns.count, "mean return:", returns.reduce(0, +) / Float(returns.count))
    // --- README example ends ---
    #expect(!returns.isEmpty)
    // The lean-following policy balances far longer than random pushes (about 22 steps).
    #expect(returns.reduce(0, +) / Float(returns.count) > 30)
}
