// swift-tools-version:6.0
// grpo-lambda: a distributed rollout/learner service for GRPO-λ and the GRPO family.
// Dependencies point down only: grpo-lambda -> services -> {Protocol, Policy, Tasks}; see docs/ARCHITECTURE.md.
import PackageDescription

let package = Package(
    name: "grpo-lambda",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "grpo-lambda", targets: ["grpo-lambda"]),
        .executable(name: "grpo-bench", targets: ["grpo-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C libraries behind system-library targets: a module map and a header each, nothing else.
        .systemLibrary(name: "CNNG", providers: [.apt(["libnng-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CBLAS", providers: [.apt(["libopenblas-dev"])]),

        // Foundation layers.
        .systemLibrary(name: "CCRC32C"),
        .systemLibrary(name: "CKernels"),
        .target(name: "Seeding"),
        .target(name: "Primitives"),
        .target(name: "Policy", dependencies: ["CBLAS", "CKernels", "Seeding", "Primitives"], exclude: ["README.md"]),
        .target(name: "Tasks", dependencies: ["Seeding"]),
        .target(name: "Verifier", dependencies: [
            "Protocol", "Telemetry", "Seeding", "Primitives", .product(name: "BigInt", package: "BigInt"), .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ], exclude: ["README.md"]),
        .target(name: "Telemetry", dependencies: [.product(name: "Logging", package: "swift-log")]),
        // Prometheus metrics over HTTP, for the executables to turn on; services record through swift-metrics.
        .target(name: "Observability", dependencies: [
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .target(name: "Protocol", dependencies: [
            "CNNG", "CZstd", "CCRC32C", "Primitives",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Services (one library each; the executables stay thin).
        .target(name: "Coordinator", dependencies: [
            "Protocol", "Telemetry", "Tasks", "Primitives",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "RolloutWorker", dependencies: [
            "Protocol", "Policy", "Tasks", "Telemetry", "Verifier", "Primitives",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "Learner", dependencies: [
            "Protocol", "Policy", "Telemetry", "Seeding", "Primitives",
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // In-process runs above the services (the colocated trainer; experiments build on it).
        /// Reads run directories: the HTML report and the terminal watch view (Foundation only).
        .target(name: "Reports"),
        .target(name: "Runs", dependencies: [
            "Learner", "RolloutWorker", "Coordinator", "Policy", "Protocol", "Tasks", "Telemetry", "Verifier", "Seeding",
            "Primitives", "Reports", .product(name: "Logging", package: "swift-log"), .product(name: "Yams", package: "Yams"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        /// Studies over arms × seeds of colocated runs: a resumable runner and results with confidence intervals.
        .target(name: "Experiments", dependencies: [
            "Runs", "Reports", "Primitives", .product(name: "Logging", package: "swift-log"), .product(name: "Yams", package: "Yams"),
        ]),

        // Executables.
        .executableTarget(name: "grpo-lambda", dependencies: [
            "Protocol", "Telemetry", "Coordinator", "RolloutWorker", "Learner", "Runs", "Policy", "Verifier", "Tasks",
            "Primitives", "Seeding", "Observability", "Reports", "Experiments",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "grpo-bench", dependencies: [
            "Protocol", "Telemetry", "Policy", "Verifier", "Learner", "RolloutWorker", "Seeding", "Primitives",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .target(name: "TestSupport", dependencies: ["Protocol", "Primitives", .product(name: "Logging", package: "swift-log")],
                path: "Tests/TestSupport"),
        .testTarget(name: "PolicyTests", dependencies: ["Policy", "Seeding", "Primitives", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "VerifierTests", dependencies: [
            "Verifier", "Protocol", "Seeding", "TestSupport", .product(name: "Logging", package: "swift-log"),
        ], exclude: ["Fixtures"]),
        .testTarget(name: "TasksTests", dependencies: ["Tasks", "Seeding"]),
        .testTarget(name: "RolloutWorkerTests", dependencies: [
            "RolloutWorker", "Policy", "Protocol", "Tasks", "Verifier", "Primitives", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "FleetTests", dependencies: [
            "Coordinator", "Learner", "Protocol", "Primitives", "Tasks", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "CoordinatorTests", dependencies: ["Coordinator", "Protocol"]),
        .testTarget(name: "DeployTests", dependencies: ["TestSupport"]),
        .testTarget(name: "RunsTests", dependencies: [
            "Runs", "Learner", "Policy", "Protocol", "Tasks", "Primitives", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["Fixtures"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Reports", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TelemetryTests", dependencies: ["Telemetry", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "LearnerTests", dependencies: ["Learner", "Policy", "Protocol", "Seeding", "Primitives", "TestSupport"]),
        .testTarget(name: "ProtocolTests", dependencies: [
            "Protocol", "Seeding", "TestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
    ]
)

