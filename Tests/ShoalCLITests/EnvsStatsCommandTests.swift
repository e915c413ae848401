import Envs
import Foundation
import Testing

@Suite("shoal envs stats")
struct EnvsStatsCommandTests {
    /// Cart-pole under the zero action: every episode pushes the pole over the same way, so the
    /// lengths are short and all alike; the summary is the mean of the listed lengths, each
    /// return equals its length (reward 1 per step), and the trace ends on the step that ends
    /// the noise-free episode.
    @Test func zeroPolicySummaryAgreesWithItsEpisodes() throws {
        let result = try ShoalBinary.run(["envs", "stats", "cart-pole-v1", "--policy", "zero", "--episodes", "5", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONValue.parse(result.stdout)
        let lengths = (json["lengths"]?.arrayValue ?? []).compactMap { $0.doubleValue }
        let returns = (json["returns"]?.arrayValue ?? []).compactMap { $0.doubleValue }
        #expect(lengths.count == 5 && returns == lengths)
        #expect(lengths.allSatisfy { $0 > 5 && $0 < 100 })
        let mean = lengths.reduce(0, +) / 5
        #expect(abs(json["length"]!["mean"]!.doubleValue! - mean) < 1e-9)
        #expect(json["length"]!["median"]!.doubleValue! == lengths.sorted()[2])
        let trace = try #require(json["trace"]?.arrayValue)
        #expect(trace.count > 5 && trace.count < 100)
        #expect(trace.allSatisfy { $0.arrayValue?.count == 4 })

        let random = try ShoalBinary.run(["envs", "stats", "cart-pole-v1", "--policy", "random", "--episodes", "5", "--json"])
        let r = try JSONValue.parse(random.stdout)
        #expect(r["trace"] == nil)
        #expect(r["lengths"]!.arrayValue! != json["lengths"]!.arrayValue!)
    }

    @Test func badInputGetsOneSentence() throws {
        let cases: [([String], String)] = [
            (["envs", "stats", "cart-pole-v1", "--policy", "greedy"], "--policy must be zero or random, got 'greedy'"),
            (["envs", "stats", "cart-pole-v1", "--episodes", "0"], "--episodes must be at least 1, got 0"),
            (["envs", "stats", "mpe/simple-spread-v1"], "shoal envs stats measures single-agent tasks"),
        ]
        for (args, expected) in cases {
            let result = try ShoalBinary.run(args)
            #expect(result.status != 0, "\(args) exited 0")
            #expect(result.stderr.contains(expected), "\(args): \(result.stderr)")
        }
    }
}
