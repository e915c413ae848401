import AssetsData
import Envs

extension TaskRegistry {
    /// The locomotion tasks on ODE: hopper and ant, each plain, with random mass and with wind.
    /// They live in the `Locomotion` module so that `Envs` needs no libode.
    public static var locomotionTasks: [any RegisteredTask] {
        [
            Task<SerialVector<Hopper>>(
                "hopper-v1", summary: "Hop forward on one planar leg without falling (ODE surrogate of Hopper-v5).",
                source: "Gymnasium Hopper-v5 (environments spec §5.1), on ODE", tags: ["locomotion", "continuous", "ode"]),
            Task<SerialVector<Hopper>>(
                "hopper/random-mass-v1", summary: "The hopper with every body's mass scaled by mass_scale.",
                source: "paper 000, appendix A.3 (random mass)", tags: ["locomotion", "continuous", "ode"]),
            Task<SerialVector<Hopper>>(
                "hopper/wind-v1", summary: "The hopper in air (density 1.2, viscosity 2e-4) with a steady wind.",
                source: "paper 000, appendix A.3 (wind)", tags: ["locomotion", "continuous", "ode"],
                parameters: .inAir),
            Task<SerialVector<Ant>>(
                "ant-v1", summary: "Walk forward on four legs (ODE surrogate of Ant-v5, 105-dim observation with contact forces).",
                source: "Gymnasium Ant-v5 (environments spec §5.2), on ODE", tags: ["locomotion", "continuous", "ode"],
                presets: [("without-contact-forces", .withoutContactForces)]),
            Task<SerialVector<Ant>>(
                "ant/random-mass-v1", summary: "The ant with every body's mass scaled by mass_scale.",
                source: "paper 000, appendix A.3 (random mass), applied to the ant", tags: ["locomotion", "continuous", "ode"]),
            Task<SerialVector<Ant>>(
                "ant/wind-v1", summary: "The ant in air (density 1.2, viscosity 2e-4) with a steady wind.",
                source: "paper 000, appendix A.3 (wind), applied to the ant", tags: ["locomotion", "continuous", "ode"],
                parameters: .inAir),
        ]
    }

    /// This registry with ``locomotionTasks`` and their task sets added.
    ///
    /// The locomotion family files (`Assets/families/hopper.json`, `ant.json`: 25-task sets drawn
    /// with a seed) ship with the robots' body files rather than in `Environments/families/`,
    /// because the standard registry loads every file there and knows only the `Envs` tasks.
    public func addingLocomotion() throws(RegistryError) -> TaskRegistry {
        let registry = try adding(TaskRegistry.locomotionTasks)
        guard let folder = AssetsData.directory("families") else {
            throw RegistryError("the bundled locomotion family files are missing (resource bundle not found next to the program)")
        }
        return try registry.loadingFamilyFiles(in: folder)
    }
}

extension Hopper.Parameters {
    /// Air of paper 000's wind family: density 1.2 kg/m³, viscosity 2e-4 Pa·s, no wind yet.
    public static var inAir: Self {
        var p = Self()
        p.airDensity = 1.2
        p.airViscosity = 2e-4
        return p
    }
}

extension Ant.Parameters {
    /// Air of paper 000's wind family: density 1.2 kg/m³, viscosity 2e-4 Pa·s, no wind yet.
    public static var inAir: Self {
        var p = Self()
        p.airDensity = 1.2
        p.airViscosity = 2e-4
        return p
    }
}
