import Foundation
import Testing

@Suite struct BenchTrainCommandTests {
    @Test("bench train prints every phase with its share, and the network rate beside sgemm's")
    func profilesARound() throws {
        let r = try ShoalBinary.run(["bench", "train", "--task", "cart-pole-v1", "--algorithm", "a2c", "--rounds", "3",
                                     "--set", "a2c.hidden=[8]", "--sgemm-trials", "1", "--quiet", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["rounds"] as? Int == 3 && json["algorithm"] as? String == "a2c")
        let phases = try #require(json["phases"] as? [String: [String: Double]])
        #expect(Set(phases.keys) == ["environment", "forward", "backward", "optimiser", "communication", "other"])
        let shares = phases.values.compactMap { $0["share"] }
        #expect(shares.count == 6 && abs(shares.reduce(0, +) - 1) < 1e-9 && shares.allSatisfy { $0 >= 0 })
        let shapes = try #require(json["shapes"] as? [[String: Any]])
        #expect(!shapes.isEmpty && shapes.allSatisfy { ($0["sgemm_gflops"] as? Double ?? 0) > 0 })
    }

    @Test("bad input to bench train is one sentence and a non-zero exit")
    func badInput() throws {
        for (arguments, text) in [(["--task", "cart-pole-v1", "--algorithm", "nope"], "unknown algorithm 'nope'"),
                                  (["--task", "cart-pole-v1", "--resume", "x"], "takes no --resume"),
                                  (["--task", "mpe/simple-spread-v1", "--algorithm", "pg"], "has no phase timers")] {
            let r = try ShoalBinary.run(["bench", "train", "--quiet"] + arguments)
            #expect(r.status != 0)
            let lines = r.stderr.split(separator: "\n").filter { !$0.hasPrefix("shoal bench train:") }
            #expect(lines.count == 1 && r.stderr.contains(text), "\(arguments): \(r.stderr)")
        }
    }
}
