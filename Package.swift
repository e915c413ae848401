// swift-tools-version:6.0
// Shoal: networked multi-task reinforcement learning.
import PackageDescription

let package = Package(
    name: "Shoal",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Envs", targets: ["Envs"]),
        .library(name: "EnvsTesting", targets: ["EnvsTesting"]),
        .library(name: "Communication", targets: ["Communication"]),
        .library(name: "CommunicationTesting", targets: ["CommunicationTesting"]),
        .library(name: "NeuralNets", targets: ["NeuralNets"]),
        .executable(name: "shoal", targets: ["ShoalCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Data: task-family files and assets, each a resource-only target.
        .target(name: "EnvironmentsData", path: "Environments", resources: [.copy("families")]),
        .target(
            name: "AssetsData", path: "Assets",
            resources: [.copy("maps"), .copy("bodies"), .copy("experiments")]),

        // Environments.
        .target(name: "Envs", dependencies: ["EnvironmentsData", "AssetsData"]),
        .target(name: "EnvsTesting", dependencies: ["Envs"]),

        // Communication: graphs, mixing weights, strategies, transports, the message ledger.
        .target(name: "Communication"),
        .target(name: "CommunicationTesting", dependencies: ["Communication"]),

        // Neural nets: MLPs, policy heads, optimisers, safetensors; BLAS through OpenBLAS.
        .systemLibrary(
            name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .target(name: "NeuralNets", dependencies: ["CBLAS"]),

        // Training: the Trainer protocol, rollouts, returns, the Cohort of networked learners.
        .target(name: "Training", dependencies: ["Envs", "NeuralNets", "Communication"]),
        .target(name: "ActorCritic", dependencies: ["Training", "Envs", "NeuralNets"]),

        // The command line.
        .executableTarget(
            name: "ShoalCLI",
            dependencies: [
                "Envs", "EnvsTesting", "Communication", "NeuralNets", "Training", "ActorCritic", "AssetsData",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .testTarget(name: "EnvsTests", dependencies: ["Envs", "EnvsTesting"]),
        .testTarget(name: "CommunicationTests", dependencies: ["Communication", "CommunicationTesting"]),
        .testTarget(
            name: "NeuralNetsTests", dependencies: ["NeuralNets"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "ShoalCLITests", dependencies: ["ShoalCLI"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "ActorCritic", "Envs", "EnvsTesting", "Communication"]),
    ],
    swiftLanguageModes: [.v5]
)
