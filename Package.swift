// swift-tools-version:6.0
// Shoal: networked multi-task reinforcement learning.
import PackageDescription

let package = Package(
    name: "Shoal",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Envs", targets: ["Envs"]),
        .library(name: "EnvsTesting", targets: ["EnvsTesting"]),
        .library(name: "Tabular", targets: ["Tabular"]),
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

        // Exact planning on finite environments.
        .target(name: "Tabular", dependencies: ["Envs"]),

        // Training.
        .target(name: "Training", dependencies: ["Envs"]),

        // The command line.
        .executableTarget(
            name: "ShoalCLI",
            dependencies: [
                "Envs", "EnvsTesting", "Tabular",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .testTarget(name: "EnvsTests", dependencies: ["Envs", "EnvsTesting"]),
        .testTarget(name: "TabularTests", dependencies: ["Tabular", "Envs"]),
        .testTarget(name: "ShoalCLITests", dependencies: ["ShoalCLI"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training"]),
    ],
    swiftLanguageModes: [.v5]
)
