import ArgumentParser
import Envs

/// `shoal envs render ID … --out FILE.svg`: a picture of the task (map, pose, path), drawn by
/// the family's ``TaskRenderer``.
struct EnvsRenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "render", abstract: "Draw a task (map, pose, path) as SVG.")

    @OptionGroup var options: RegistryOptions
    @Argument(help: "A task id.") var id: String
    @Option(help: "A named variant of the task.") var variant: String?
    @Option(name: .customLong("param"), help: "Set a parameter, NAME=VALUE (repeatable).") var params: [String] = []
    @Option(help: "random, zero, or a policy file (family-specific) whose path is drawn.") var policy: String?
    @Flag(help: "Draw the optimal path (tabular tasks).") var optimal = false
    @Option(help: "Also write the camera image to this file (.png or .ppm; navigation tasks).") var camera: String?
    @Option(help: "Start state, comma-separated, in the task's documented order (particle tasks; write --state=-0.1,… for a leading minus).") var state: String?
    @Option(parsing: .unconditional, help: "Steps of the drawn path.") var steps: Int = 200
    @Option(parsing: .unconditional, help: "Seed of the episode drawn.") var seed: UInt64 = 0
    @Option(help: "The SVG file to write.") var out: String

    func validate() throws {
        guard steps >= 0 else { throw ValidationError("--steps must be at least 0, got \(steps)") }
    }

    func run() throws {
        // A drawing keeps every step's pose (a locomotion body's geometry is about 2 kB) and its SVG text.
        try MemoryBudget.standard.check(MemoryBudget.bytes(steps, perItem: 4096), for: "--steps \(steps) of a drawing")
        let registry = try options.registry().value
        let task = try registry.task(id)
        var assignment = JSONValue.object([])
        if let variant { assignment = try task.variant(variant) }
        assignment = assignment.merging(try parseOverrides(params))
        let parameters = try task.resolve(assignment, context: "task \(task.id)")
        guard let renderer = taskRenderers.first(where: { $0.canRender(task.id) }) else {
            let drawable = registry.ids.filter { id in taskRenderers.contains { $0.canRender(id) } }.map(\.description)
            throw CLIError("task \(task.id) has no picture; tasks that can be drawn: \(drawable.isEmpty ? "none yet" : drawable.joined(separator: ", "))")
        }
        try renderer.render(RenderRequest(registry: registry, task: task, parameters: parameters, variant: variant, policy: policy,
                                          optimal: optimal, camera: camera, state: state, steps: steps, seed: seed, out: out))
    }
}
