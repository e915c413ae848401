import Envs
import Foundation
import Testing

@Suite("shoal envs on multi-agent tasks, run as a program")
struct MultiAgentCommandTests {
    static let mpeFixtures = ShoalBinary.fixtures.deletingLastPathComponent().appendingPathComponent("mpe")

    @Test("rollout replays an MPE2 trajectory: --state sets agents and landmarks, --actions-file one action per agent",
          arguments: ["spread-discrete-n4.json", "spread-continuous-n3.json"])
    func rolloutReplaysMPE2(file: String) throws {
        let json = try JSONValue.parse(String(contentsOf: Self.mpeFixtures.appendingPathComponent(file), encoding: .utf8))
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let actionsURL = folder.appendingPathComponent("actions.json")
        try json["actions"]!.description.write(to: actionsURL, atomically: true, encoding: .utf8)
        var args = ["envs", "rollout", "mpe/simple-spread-v1", "--actions-file", actionsURL.path,
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
            let obs = got["obs"]!.arrayValue!, want = expected["obs"]!.arrayValue!
            try #require(obs.count == want.count, "step \(t): one observation per agent")
            for (a, b) in zip(obs, want) {
                for (x, y) in zip(a.arrayValue!, b.arrayValue!) { try #require(abs(x.doubleValue! - y.doubleValue!) <= 1e-5, "step \(t)") }
            }
            for (x, y) in zip(got["reward"]!.arrayValue!, expected["reward"]!.arrayValue!) {
                try #require(abs(x.doubleValue! - y.doubleValue!) <= 1e-5, "step \(t) reward")
            }
            try #require(got["truncated"] == expected["truncated"] && got["terminated"] == expected["terminated"], "step \(t)")
        }
    }

    @Test func badInputGetsOneClearSentence() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func file(_ name: String, _ text: String) throws -> String {
            let url = folder.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        let tooFew = try file("few.json", "[[0, 1, 2], [0, 1]]")
        let outOfRange = try file("range.json", "[[0, 7, 2]]")
        let wrongWidth = try file("width.json", "[[[0, 1, 0, 0, 0], [0, 1], [0, 0, 0, 0, 1]]]")
        let apart = "0,0,0,0,0.5,0,0,0,-0.5,0.5,0,0,0.5,0.5,-0.5,-0.5,0,0.8"
        let cases: [([String], String)] = [
            (["envs", "rollout", "mpe/simple-spread-v1", "--actions-file", tooFew], "step 1 is [0,1], but this task takes an array of 3 actions, one per agent"),
            (["envs", "rollout", "mpe/simple-spread-v1", "--actions-file", outOfRange], "step 0, agent 1: action 7 is not valid, this agent takes an integer from 0 to 4"),
            (["envs", "rollout", "mpe/simple-spread-v1", "--param", "continuous=true", "--actions-file", wrongWidth],
             "step 0, agent 1: the action must be an array of 5 finite numbers"),
            (["envs", "rollout", "mpe/simple-spread-v1", "--state", "0,0,0"], "expected 18 state values for 3 agents and 3 landmarks"),
            (["envs", "rollout", "mpe/simple-spread-v1", "--state=" + apart.replacingOccurrences(of: "0.5,0,0,0,-0.5", with: "0,0,0,0,-0.5")],
             "agents 0 and 1 are both at (0, 0): the collision force is undefined at distance 0"),
            (["envs", "rollout", "mpe/simple-spread-v1", "--param", "reward_scales=[1,0,2]"],
             "reward_scales[1] is 0: every reward scale must be a positive finite number"),
            (["envs", "rollout", "mpe/simple-spread-v1", "--param", "reward_scales=[1,2]"], "reward_scales has 2 values for 3 agents"),
            (["envs", "rollout", "mpe/simple-spread-v1", "--param", "agnets=2"], "unknown parameter 'agnets'; did you mean 'agents'?"),
            (["envs", "describe", "mpe/simple-sprad-v1"], "did you mean mpe/simple-spread-v1?"),
        ]
        for (args, expected) in cases {
            let result = try ShoalBinary.run(args)
            #expect(result.status != 0, "\(args) exited 0")
            #expect(result.stderr.contains(expected), "\(args): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"), "\(args) trapped")
        }
        // Agents apart: accepted, and the state comes back in the rollout's first line.
        let ok = try ShoalBinary.run(["envs", "rollout", "mpe/simple-spread-v1", "--state=" + apart, "--policy", "zero", "--steps", "1"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let line = try JSONValue.parse(ok.stdout.split(separator: "\n")[0].description)
        #expect(line["state"]!.arrayValue![4] == .real(0.5) && line["reward"]!.arrayValue!.count == 3)
    }

    @Test func listDescribeCheckBenchAndRender() throws {
        let list = try ShoalBinary.run(["envs", "list", "--tag", "multi-agent", "--json"])
        let ids = try JSONValue.parse(list.stdout)["tasks"]!.arrayValue!.map { $0["id"]!.stringValue! }
        #expect(ids.contains("mpe/simple-spread-v1") && ids.contains("random-mdp/local-actions-v1"))

        let describe = try ShoalBinary.run(["envs", "describe", "mpe/simple-spread-v1", "--json"])
        let d = try JSONValue.parse(describe.stdout)
        #expect(d["agents"] == .array(["agent_0", "agent_1", "agent_2"].map(JSONValue.string)))
        #expect(d["observation_spaces"]!.arrayValue!.allSatisfy { $0 == .string("Box(18)") })
        #expect(d["action_spaces"]!.arrayValue!.allSatisfy { $0 == .string("Discrete(5)") } && d["state_space"] == .string("Box(18)"))
        #expect(d["state"]!.arrayValue!.prefix(4) == ["x_0", "y_0", "vx_0", "vy_0"].map(JSONValue.string)[...])
        let text = try ShoalBinary.run(["envs", "describe", "random-mdp/local-actions-v1"])
        #expect(text.stdout.contains("agent_3: observation Discrete(100), action Discrete(3)"))

        let check = try ShoalBinary.run(["envs", "check", "mpe/simple-spread-v1", "random-mdp/local-actions-v1"])
        #expect(check.status == 0 && check.stdout.contains("ok    mpe/simple-spread-v1") && check.stdout.contains("ok    random-mdp/local-actions-v1"))

        let bench = try ShoalBinary.run(["envs", "bench", "mpe/simple-spread-v1", "--num-envs", "64", "--steps", "50", "--threads", "2", "--json"])
        let b = try JSONValue.parse(bench.stdout)
        #expect(b["agents"] == .integer(3) && b["num_envs"] == .integer(64))
        let steps = try #require(b["steps_per_second"]?.doubleValue), agentSteps = try #require(b["agent_steps_per_second"]?.doubleValue)
        #expect(steps > 0 && abs(agentSteps - 3 * steps) <= 2)

        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("spread.svg").path
        let render = try ShoalBinary.run(["envs", "render", "mpe/simple-spread-v1", "--param", "agents=4", "--seed", "3", "--out", out])
        #expect(render.status == 0, "\(render.stderr)")
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        #expect(svg.components(separatedBy: "<title>agent_").count - 1 == 4)
        #expect(svg.components(separatedBy: "<title>landmark ").count - 1 == 4)
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 4 && render.stdout.contains("25 steps"))
    }
}
