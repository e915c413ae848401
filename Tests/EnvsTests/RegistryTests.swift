import Envs
import Foundation
import Testing

@Suite("Task ids, parameters and family files")
struct RegistryTests {
    @Test func taskIDParsing() {
        #expect(TaskID("cart-pole/swing-up-v1") == TaskID(name: "cart-pole/swing-up", version: 1))
        #expect(TaskID("cart-pole/swing-up-v1")?.family == "cart-pole")
        #expect(TaskID("pendulum-v12")?.version == 12)
        for bad in ["pendulum", "pendulum-v", "Pendulum-v1", "pend ulum-v1", "/x-v1", "a//b-v1", "pendulum-v1x", "-a-v1"] {
            #expect(TaskID(bad) == nil, "\(bad) should not parse")
        }
    }

    @Test func unknownTaskSuggestsTheClosest() throws {
        let error = #expect(throws: RegistryError.self) { try TaskRegistry.standard.task("cart-pol-v1") }
        #expect(error?.message == "unknown task 'cart-pol-v1'; did you mean cart-pole-v1? Run 'shoal envs list' to see every task.")
        let malformed = #expect(throws: RegistryError.self) { try TaskRegistry.standard.task("zzzz") }
        #expect(malformed?.message.contains("task ids look like cart-pole-v1") == true)
    }

    @Test func strictParameterDecoding() throws {
        let base = Pendulum.Parameters()
        let ok = try decodeParameters(Pendulum.Parameters.self, from: try JSONValue.parse(#"{"mass": 1.5, "max_episode_steps": 7}"#), base: base, context: "here")
        #expect(ok.mass == 1.5 && ok.maxEpisodeSteps == 7 && ok.length == 1)

        func message(_ json: String) -> String? {
            let e = #expect(throws: ParameterError.self) {
                _ = try decodeParameters(Pendulum.Parameters.self, from: try JSONValue.parse(json), base: base, context: "file f.json")
            }
            return e?.message
        }
        #expect(message(#"{"mas": 1}"#)?.hasPrefix("file f.json: unknown parameter 'mas'; did you mean 'mass'?") == true)
        #expect(message(#"{"mass": "heavy"}"#) == "file f.json: parameter mass: a string is the wrong type: mass must be a number in [0.001, 1000]")
        #expect(message(#"{"mass": -1}"#) == "file f.json: parameter mass: -1 is outside the valid range: mass must be a number in [0.001, 1000]")
        #expect(message(#"{"max_episode_steps": 2.5}"#)?.contains("is not an integer") == true)
        #expect(message(#"[1, 2]"#)?.contains("must be a JSON object") == true)
    }

    @Test func shorthandsSetEveryLink() throws {
        let p = try decodeParameters(Acrobot.Parameters.self, from: try JSONValue.parse(#"{"link_moi": 0.6}"#), context: "x")
        #expect(p.linkMoi1 == 0.6 && p.linkMoi2 == 0.6 && p.linkMass1 == 1)
    }

    @Test func syntaxErrorsNameLineAndColumn() {
        let e = #expect(throws: JSONSyntaxError.self) { try JSONValue.parse("{\n  \"a\": 1,\n  \"b\": tru\n}") }
        #expect(e?.line == 3 && e?.column == 8)
        let huge = #expect(throws: JSONSyntaxError.self) { try JSONValue.parse("[1e999]") }
        #expect(huge?.reason.contains("out of range") == true)
    }

    @Test func familyFileErrorsNameFileAndField() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-family-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let registry = try TaskRegistry().adding(TaskRegistry.classicControlTasks)
        func load(_ text: String) -> String? {
            let url = folder.appendingPathComponent("mine.json")
            try? text.write(to: url, atomically: true, encoding: .utf8)
            let e = #expect(throws: RegistryError.self) { _ = try registry.loadingFamilyFile(url) }
            return e?.message
        }
        #expect(load(#"{"family": "pendulum", "task_set": {}}"#) == "family file mine.json: unknown key 'task_set'; did you mean 'task_sets'? Valid keys: family, summary, tasks, task_sets.")
        #expect(load(#"{"family": "pendulum", "task_sets": {"s": {"task": "pendulum-v1", "grid": {"mass": [0.5, -2]}}}}"#)
                == "family file mine.json, task set s, task 1: parameter mass: -2 is outside the valid range: mass must be a number in [0.001, 1000]")
        #expect(load(#"{"family": "pendulum", "task_sets": {"s": {"task": "pendulum-v1", "grid": {"length": [true]}}}}"#)?
                .contains("parameter length: a boolean is the wrong type") == true)
        #expect(load("{\"family\": \"pendulum\",\n \"tasks\": {]}") == "family file mine.json is not valid JSON: line 2, column 12: expected a quoted key")
        #expect(load(#"{"family": "pendulm"}"#)?.hasPrefix("family file mine.json: unknown family 'pendulm'; did you mean 'pendulum'?") == true)
    }

    @Test func familyFileAddsTasksAndVariants() throws {
        let json = try JSONValue.parse(#"""
        {"family": "pendulum",
         "tasks": {"pendulum/heavy-v1": {"from": "pendulum-v1", "summary": "A heavy pendulum.", "parameters": {"mass": 2.0},
                                         "variants": {"short": {"length": 0.5}}}}}
        """#)
        let registry = try TaskRegistry().adding(TaskRegistry.classicControlTasks).loadingFamily(json, context: "test")
        let heavy = try registry.task("pendulum/heavy-v1")
        #expect(heavy.defaultParameters["mass"] == .real(2))
        #expect(try heavy.variant("short") == .object([("length", .real(0.5))]))
        let e = #expect(throws: RegistryError.self) { _ = try heavy.variant("shrt") }
        #expect(e?.message == "task pendulum/heavy-v1 has no variant 'shrt'; did you mean 'short'? Valid variants: short.")
    }

    @Test func paperTaskSets() throws {
        let registry = try TaskRegistry.standard
        let pendulums = try registry.taskSet("pendulum-25")
        #expect(pendulums.tasks.count == 25)
        // Grid order: the first key is outermost.
        #expect(pendulums.tasks[0]["mass"] == .real(0.8) && pendulums.tasks[0]["length"] == .real(0.8))
        #expect(pendulums.tasks[1]["mass"] == .real(0.8) && pendulums.tasks[1]["length"] == .real(0.9))
        #expect(pendulums.tasks[24]["mass"] == .real(1.2) && pendulums.tasks[24]["length"] == .real(1.2))

        let swing = try registry.taskSet("swing-up-25")
        #expect(swing.tasks.count == 25 && swing.tasks.allSatisfy { $0["cart_mass"] == .real(0.5) })

        let extreme = try registry.taskSet("acrobot-extreme-25")
        #expect(extreme.tasks.count == 25)
        for task in extreme.tasks {
            for key in ["link_mass_1", "link_length_1", "link_moi_1"] {
                let v = task[key]!.doubleValue!
                #expect((0.5..<0.75).contains(v) || (1.25..<1.5).contains(v), "\(key) = \(v)")
                #expect(task[key] == task[key.replacingOccurrences(of: "_1", with: "_2")])
            }
        }
        #expect(extreme.heldOut.map(\.name) == ["easy", "hard"])
        #expect(extreme.heldOut[1].parameters["link_length_1"] == .real(1.3963))
        var env = try registry.make(taskSet: "acrobot-extreme-25", copiesPerTask: 2)
        #expect(env.count == 50)
        _ = env.reset(seed: 1)
        let e = #expect(throws: RegistryError.self) { _ = try registry.taskSet("acrobot-extrem-25") }
        #expect(e?.message.hasPrefix("unknown task set 'acrobot-extrem-25'; did you mean acrobot-extreme-25?") == true)
    }

    @Test func distributions() throws {
        var g = RandomGenerator(seed: 3)
        let beta = ParameterDistribution.beta(alpha: 0.4, beta: 0.4, low: -15, high: 15)
        let draws = (0..<20_000).map { _ in beta.sample(&g) }
        #expect(draws.allSatisfy { (-15...15).contains($0) })
        let mean = draws.reduce(0, +) / Double(draws.count)
        #expect(abs(mean) < 0.5)  // symmetric Beta: mean 0, sd of the mean ≈ 0.08
        // Beta(0.4, 0.4) puts most mass near the ends: P(|x| > 10) ≈ 0.52.
        let extremes = Double(draws.filter { abs($0) > 10 }.count) / Double(draws.count)
        #expect(extremes > 0.45 && extremes < 0.6)
        let union = ParameterDistribution.union([0.5...0.75, 1.25...1.5])
        let u = (0..<10_000).map { _ in union.sample(&g) }
        #expect(u.allSatisfy { (0.5..<0.75).contains($0) || (1.25..<1.5).contains($0) })
        let low = Double(u.filter { $0 < 1 }.count) / Double(u.count)
        #expect(abs(low - 0.5) < 0.03)
        let e = #expect(throws: ParameterError.self) { _ = try ParameterDistribution.decode(try JSONValue.parse(#"{"uniform": [2, 1]}"#), context: "x") }
        #expect(e?.message == "x: uniform needs low < high, got [2.0, 1.0]")
    }
}
