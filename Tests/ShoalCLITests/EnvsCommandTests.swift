import Envs
import Foundation
import Testing

@Suite("shoal envs, run as a program")
struct EnvsCommandTests {
    @Test("a reference trajectory replayed through rollout matches every step",
          arguments: ["pendulum-7-1.json", "cartpole-7-2.json", "acrobot-7-3.json"])
    func rolloutReplaysTheReference(file: String) throws {
        let json = try JSONValue.parse(String(contentsOf: ShoalBinary.fixtures.appendingPathComponent(file), encoding: .utf8))
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let actionsURL = folder.appendingPathComponent("actions.json")
        try json["actions"]!.description.write(to: actionsURL, atomically: true, encoding: .utf8)
        let task = ["pendulum": "pendulum-v1", "cartpole": "cart-pole-v1", "acrobot": "acrobot-v1"][json["env"]!.stringValue!]!
        var args = ["envs", "rollout", task, "--actions-file", actionsURL.path,
                    // `--state=…` so that a leading minus sign is not read as an option.
                    "--state=" + json["initial_state"]!.arrayValue!.map { formatJSONNumber($0.doubleValue!) }.joined(separator: ",")]
        for (k, v) in json["params"]!.objectPairs! { args += ["--param", "\(k)=\(v)"] }
        let result = try ShoalBinary.run(args)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        let steps = json["steps"]!.arrayValue!
        try #require(lines.count == steps.count)
        for (t, (line, expected)) in zip(lines, steps).enumerated() {
            let got = try JSONValue.parse(String(line))
            #expect(got["t"] == .integer(t))
            for (a, b) in zip(got["obs"]!.arrayValue!, expected["obs"]!.arrayValue!) {
                try #require(abs(a.doubleValue! - b.doubleValue!) <= 1e-5, "step \(t)")
            }
            try #require(abs(got["reward"]!.doubleValue! - expected["reward"]!.doubleValue!) <= 1e-6, "step \(t)")
            try #require(got["terminated"] == expected["terminated"] && got["truncated"] == expected["truncated"], "step \(t)")
        }
    }

    @Test func badInputGetsOneClearSentence() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let malformed = folder.appendingPathComponent("bad.json")
        try "[0, 1,\n 2 x]".write(to: malformed, atomically: true, encoding: .utf8)
        let outOfRange = folder.appendingPathComponent("range.json")
        try "[0, 1, 3]".write(to: outOfRange, atomically: true, encoding: .utf8)
        let wrongWidth = folder.appendingPathComponent("width.json")
        try "[[0.5, 1]]".write(to: wrongWidth, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["envs", "describe", "cart-pol-v1"], "unknown task 'cart-pol-v1'; did you mean cart-pole-v1?"),
            (["envs", "rollout", "pendulum-v1", "--param", "lenght=2"], "unknown parameter 'lenght'; did you mean 'length'?"),
            (["envs", "rollout", "pendulum-v1", "--param", "mass=0"], "mass must be a number in [0.001, 1000]"),
            (["envs", "rollout", "pendulum-v1", "--param", "mass=nan"], "'nan' is not a finite number"),
            (["envs", "rollout", "cart-pole-v1", "--actions-file", malformed.path], "is not valid JSON: line 2, column 4"),
            (["envs", "rollout", "cart-pole-v1", "--actions-file", outOfRange.path], "action 2 is 3, but this task takes an integer from 0 to 1"),
            (["envs", "rollout", "pendulum-v1", "--actions-file", wrongWidth.path], "action 0 must be an array of 1 finite numbers"),
            (["envs", "rollout", "pendulum-v1", "--state", "1,x"], "--state value 'x' is not a finite number"),
            (["envs", "rollout", "pendulum-v1", "--state", "1,2,3"], "expected 2 state values (theta, theta_dot), got 3"),
            (["envs", "bench", "pendulum-v1", "--num-envs", "0"], "--num-envs must be at least 1"),
            (["envs", "rollout", "acrobot-v1", "--variant", "x"], "task acrobot-v1 has no variant 'x'"),
        ]
        for (args, expected) in cases {
            let result = try ShoalBinary.run(args)
            #expect(result.status != 0, "\(args) exited 0")
            #expect(result.stderr.contains(expected), "\(args): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"), "\(args) trapped")
        }
    }

    @Test func listDescribeCheckAndBench() throws {
        let list = try ShoalBinary.run(["envs", "list", "--json"])
        #expect(list.status == 0)
        let listed = try JSONValue.parse(list.stdout)
        #expect(listed["tasks"]!.arrayValue!.contains { $0["id"] == .string("acrobot-v1") })
        #expect(listed["task_sets"]!.arrayValue!.contains { $0["name"] == .string("pendulum-25") })

        let describe = try ShoalBinary.run(["envs", "describe", "cart-pole/swing-up-v1", "--json"])
        let d = try JSONValue.parse(describe.stdout)
        #expect(d["observation_space"] == .string("Box(5)") && d["action_space"] == .string("Box(1)"))
        #expect(d["parameters"]!.arrayValue!.contains { $0["name"] == .string("pole_mass") && $0["default"] == .real(0.5) })

        let check = try ShoalBinary.run(["envs", "check", "pendulum-v1", "acrobot-v1"])
        #expect(check.status == 0 && check.stdout.contains("ok    acrobot-v1"))

        let bench = try ShoalBinary.run(["envs", "bench", "cart-pole-v1", "--num-envs", "64", "--steps", "50", "--threads", "2", "--json"])
        let b = try JSONValue.parse(bench.stdout)
        #expect(b["task"] == .string("cart-pole-v1") && b["num_envs"] == .integer(64) && b["threads"] == .integer(2))
        #expect((b["steps_per_second"]?.doubleValue ?? 0) > 0)
    }
}
