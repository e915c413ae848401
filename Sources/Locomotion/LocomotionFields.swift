import Envs

/// Parameter fields shared by the locomotion families (canonical names, ranges, meaning).
enum LocomotionFields {
    static let common: [ParameterField] = [
        ParameterField("mass_scale", .real(0.01...100), "multiplies every body's mass and inertia (paper 000, A.3)"),
        ParameterField("wind_x", .real(-100...100), "wind velocity along x (m/s)"),
        ParameterField("wind_y", .real(-100...100), "wind velocity along y (m/s)"),
        ParameterField("air_density", .real(0...1000), "density of the medium for drag (kg/m³; air 1.2, 0: no drag)"),
        ParameterField("air_viscosity", .real(0...10), "viscosity of the medium for drag (Pa·s; air 2e-4)"),
        ParameterField("forward_reward_weight", .real(-1e3...1e3), "weight of the forward velocity reward"),
        ParameterField("ctrl_cost_weight", .real(0...1e3), "weight of the control cost Σa²"),
        ParameterField("healthy_reward", .real(-1e3...1e3), "reward per step while healthy"),
        ParameterField("reset_noise_scale", .real(0...1), "half-width of the start-state noise"),
        ParameterField("timestep", .real(1e-4...0.05), "ODE substep (s)"),
        ParameterField("frame_skip", .integer(1...100), "ODE substeps per environment step"),
        ParameterField("max_episode_steps", .integer(0...100_000_000), "steps before truncation (0: none)"),
    ]
}

/// Rejects state values too large for ODE to step safely (its debug build aborts on non-finite
/// numbers); the step's own guard then catches anything that grows past 1e4.
/// Runs before `validateState` (whose own bound is the Float range), so a wrong count is left
/// to it.
func validatePhysicalRange(_ values: [Double], names: [String]) throws(EnvironmentError) {
    guard values.count == names.count else { return }
    if let i = values.firstIndex(where: { abs($0) > 1e6 }) {
        throw .invalidState("state value \(names[i]) = \(values[i]) is outside the range the physics can hold (|value| ≤ 1e6)")
    }
}
