import Envs
import Foundation
import Testing
import Training
@testable import ShoalCLI

/// Every preset that ships must load, and every arm of it must make a valid run plan, so that a
/// broken file is caught here rather than when someone starts it.
@Suite("Bundled presets")
struct BundledPresetsTests {
    @Test("every bundled preset loads and every arm and seed makes a run plan")
    func everyPresetPlans() throws {
        let presets = try ExperimentPreset.all()
        #expect(presets.count >= 18)
        #expect(presets.contains { $0.name == "diffdac-acrobot-demo" })
        let registry = try cliRegistry()
        for preset in presets {
            for (arm, json) in preset.arms {
                var config = try RunConfig.decode(preset.base, context: "preset \(preset.name), base")
                config = try RunConfig.decode(json, context: "preset \(preset.name), arm \(arm)", base: config)
                if let budget = preset.budget(for: arm) { config = try budget.applied(to: config, registry: registry).0 }
                for seed in preset.seeds {
                    config.seed = seed
                    _ = try RunPlan(config: config, registry: registry, algorithms: .standard)
                }
            }
        }
    }

    @Test("the stability presets (Figs 2 and 8) test every epoch of 5 episodes per copy and draw the stability figure")
    func stabilityPresets() throws {
        let registry = try cliRegistry()
        for name in ["diffdac-stability", "diffdac-single-task"] {
            let preset = try ExperimentPreset.named(name)
            #expect(preset.figure == "stability")
            #expect(preset.arms.map(\.name) == ["Centralised SiAC, pendulum", "Diff-SiAC, pendulum", "Centralised SiAC, swing-up", "Diff-SiAC, swing-up"])
            #expect(Set(preset.panels.values) == ["pendulum", "swing-up"])
            #expect(preset.seeds.count >= 3)
            var episodes: [String: Int] = [:]
            for (arm, json) in preset.arms {
                var config = try RunConfig.decode(preset.base, context: "base")
                config = try RunConfig.decode(json, context: arm, base: config)
                let plan = try RunPlan(config: config, registry: registry, algorithms: .standard)
                let perRound = plan.config.algorithmSettings["episodes_per_update"]?.doubleValue ?? 0
                // One evaluation per epoch: eval_every_rounds × episodes per round = 5 episodes per copy.
                #expect(Double(plan.config.evalEveryRounds) * perRound == stabilityEpisodesPerEpoch, "\(name), \(arm)")
                #expect(plan.config.evalEpisodes == 10 && plan.config.logEvery == plan.config.evalEveryRounds)
                episodes[arm] = Int(perRound) * plan.config.rounds
                if name == "diffdac-single-task" {
                    // 25 copies of the standard task: one learner with 25 copies, or 25 agents with one each.
                    #expect(plan.tasks.count == 1 && plan.config.parameters.isEmpty)
                    #expect(plan.config.architecture == .centralised ? plan.config.copiesPerTask == 25 : plan.config.agents == 25)
                }
            }
            // The same episodes per copy in every arm.
            #expect(Set(episodes.values).count == 1, "\(episodes)")
        }
    }

    @Test("the demo compares Diff-A2C with centralised A2C at the same steps per copy")
    func demoArms() throws {
        let demo = try ExperimentPreset.named("diffdac-acrobot-demo")
        #expect(demo.arms.map(\.name) == ["Diff-A2C (ring)", "Centralised A2C"])
        #expect(demo.budget?.stepsPerCopy == 100_000)
        #expect(demo.zeroShot?.baseline == "Centralised A2C")
    }

    @Test("diffdac-cart-pole compares Diff-SiAC, Centralised SiAC and both Dist-MTPS variants on the same episodes")
    func cartPoleArms() throws {
        let preset = try ExperimentPreset.named("diffdac-cart-pole")
        #expect(preset.arms.map(\.name) == ["Diff-SiAC", "Centralised SiAC", "Dist-MTPS REINFORCE", "Dist-MTPS PoWER"])
        #expect(preset.seeds.count == 5)
        #expect(preset.report.count == 4)
        let registry = try cliRegistry()
        var episodes: [Int] = []
        for (arm, json) in preset.arms {
            var config = try RunConfig.decode(preset.base, context: "base")
            config = try RunConfig.decode(json, context: arm, base: config)
            let plan = try RunPlan(config: config, registry: registry, algorithms: .standard)
            // Episodes per task over the run: rounds × episodes per round (SiAC's per update, Dist-MTPS's own).
            let perRound = plan.config.algorithmSettings["episodes_per_update"]?.doubleValue ?? plan.config.algorithmSettings["episodes"]?.doubleValue ?? 0
            episodes.append(plan.config.rounds * Int(perRound))
        }
        #expect(episodes == [2000, 2000, 2000, 2000])
    }
}
