// swift-tools-version:6.0
// Shoal: networked multi-task reinforcement learning.
import PackageDescription

let package = Package(
    name: "Shoal",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Envs", targets: ["Envs"]),
        .library(name: "Randomness", targets: ["Randomness"]),
        .library(name: "EnvsTesting", targets: ["EnvsTesting"]),
        .library(name: "Tabular", targets: ["Tabular"]),
        .library(name: "Locomotion", targets: ["Locomotion"]),
        .library(name: "Communication", targets: ["Communication"]),
        .library(name: "CommunicationTesting", targets: ["CommunicationTesting"]),
        .library(name: "NeuralNets", targets: ["NeuralNets"]),
        .library(name: "Training", targets: ["Training"]),
        .library(name: "ActorCritic", targets: ["ActorCritic"]),
        .library(name: "PolicyGradient", targets: ["PolicyGradient"]),
        .library(name: "EvolutionStrategies", targets: ["EvolutionStrategies"]),
        .library(name: "ValueBased", targets: ["ValueBased"]),
        .library(name: "MultiAgentActorCritic", targets: ["MultiAgentActorCritic"]),
        .library(name: "TrainingCatalogue", targets: ["TrainingCatalogue"]),
        .executable(name: "shoal", targets: ["ShoalCLI"]),
        // The environments through a C interface (header: Sources/ShoalEnvsC/include/shoal_envs.h), for python/.
        .library(name: "ShoalEnvsC", type: .dynamic, targets: ["ShoalEnvsC"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Data: task-family files and assets, each a resource-only target.
        .target(name: "EnvironmentsData", path: "Environments", resources: [.copy("families")]),
        .target(
            name: "AssetsData", path: "Assets",
            resources: [.copy("maps"), .copy("bodies"), .copy("families"), .copy("experiments")]),
        .systemLibrary(name: "CODE", path: "Sources/CODE", pkgConfig: "ode", providers: [.apt(["libode-dev"])]),

        // Seeded generators (SplitMix64, xoshiro256++, xoshiro256**) and the normal draw, shared by
        // Envs, NeuralNets and Communication.
        .target(name: "Randomness"),

        // The C library's joint `sincos` (a header, no code).
        .systemLibrary(name: "CLibm", path: "Sources/CLibm"),

        // Environments.
        .target(name: "Envs", dependencies: ["Randomness", "CLibm", "EnvironmentsData", "AssetsData"]),
        .target(name: "EnvsTesting", dependencies: ["Envs"]),
        // Locomotion on the Open Dynamics Engine, kept apart so that `Envs` needs no libode.
        .target(name: "Locomotion", dependencies: ["Envs", "CODE", "AssetsData"]),

        // The C interface over the environments: @_cdecl exports, the header ships in include/.
        .target(name: "ShoalEnvsC", dependencies: ["Envs", "Locomotion"], exclude: ["include"]),

        // Exact planning on finite environments.
        .target(name: "Tabular", dependencies: ["Envs"]),

        // Communication: graphs, mixing weights, strategies, transports, the message ledger.
        .target(name: "Communication", dependencies: ["Randomness"]),
        .target(name: "CommunicationTesting", dependencies: ["Communication"]),

        // Neural nets: MLPs, policy heads, optimisers, safetensors; BLAS through OpenBLAS.
        .systemLibrary(
            name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .target(name: "NeuralNets", dependencies: ["CBLAS", "Randomness"]),

        // Training: the Trainer protocol, rollouts, returns, the Cohort of networked learners.
        .target(name: "Training", dependencies: ["Envs", "NeuralNets", "Communication", "EnvironmentsData", "AssetsData"]),
        .target(name: "ActorCritic", dependencies: ["Training", "Envs", "NeuralNets"]),
        .target(name: "PolicyGradient", dependencies: ["Training", "Envs", "NeuralNets", "Tabular", "Communication", "ActorCritic"]),
        .target(name: "EvolutionStrategies", dependencies: ["Training", "Envs", "NeuralNets", "Communication"]),
        .target(name: "ValueBased", dependencies: ["Training", "Envs"]),
        // Joint-cohort algorithms on multi-agent tasks: paper 004's actor-critics and their baselines.
        .target(name: "MultiAgentActorCritic", dependencies: ["Training", "Envs", "NeuralNets"]),
        // The standard registry of every algorithm module's entries.
        .target(name: "TrainingCatalogue", dependencies: ["Training", "ActorCritic", "PolicyGradient", "EvolutionStrategies", "ValueBased", "MultiAgentActorCritic"]),

        // Learners across processes and hosts: OpenMPI's C API and the transport over it, kept
        // apart so that the libraries build without MPI; only the executable links it.
        .systemLibrary(
            name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
        .target(name: "MPITransport", dependencies: ["CMPI", "Communication", "Training"]),

        // The command line.
        .executableTarget(
            name: "ShoalCLI",
            dependencies: [
                "Envs", "EnvsTesting", "Tabular", "Locomotion", "Communication", "NeuralNets", "Training", "ActorCritic",
                "PolicyGradient", "TrainingCatalogue", "AssetsData", "MPITransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .testTarget(name: "EnvsTests", dependencies: ["Envs", "EnvsTesting"], exclude: ["Fixtures"]),  // read by path (#filePath)
        .testTarget(name: "TabularTests", dependencies: ["Tabular", "Envs", "Randomness"]),
        .testTarget(name: "LocomotionTests", dependencies: ["Locomotion", "Envs", "EnvsTesting"]),
        .testTarget(name: "CommunicationTests", dependencies: ["Communication", "CommunicationTesting"]),
        .testTarget(
            name: "NeuralNetsTests", dependencies: ["NeuralNets"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "ShoalEnvsCTests", dependencies: ["ShoalEnvsC", "Envs"]),
        .testTarget(name: "ShoalCLITests", dependencies: ["ShoalCLI"]),
        .testTarget(
            name: "EvolutionStrategiesTests",
            dependencies: ["EvolutionStrategies", "Training", "TrainingCatalogue", "Envs", "EnvsTesting", "Communication", "NeuralNets"]),
        .testTarget(name: "ValueBasedTests", dependencies: ["ValueBased", "Training", "TrainingCatalogue", "Envs"]),
        .testTarget(name: "PolicyGradientTests", dependencies: ["PolicyGradient", "Training", "TrainingCatalogue", "Envs", "Communication"]),
        .testTarget(
            name: "MultiAgentActorCriticTests",
            dependencies: ["MultiAgentActorCritic", "Training", "TrainingCatalogue", "Envs", "NeuralNets", "Communication"]),
        .testTarget(
            name: "TrainingTests",
            dependencies: ["Training", "ActorCritic", "PolicyGradient", "TrainingCatalogue", "Envs", "EnvsTesting", "Communication", "NeuralNets", "Tabular"],
            resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v5]
)
