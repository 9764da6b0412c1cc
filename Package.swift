// swift-tools-version:6.1
import PackageDescription

/// Settings every Swift target shares: Swift 6 mode plus the upcoming features STYLE.md asks for.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// The x86 kernels are built with AVX2/FMA/F16C and full optimisation in every configuration.
let kernelFlags: [CSetting] = [
    .unsafeFlags(["-O3", "-mavx2", "-mfma", "-mf16c", "-fno-math-errno"])
]

let package = Package(
    name: "raif",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "raif", targets: ["raif"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // C modules: never part of a public API.
        .systemLibrary(
            name: "CJSONC", path: "Sources/CJSONC", pkgConfig: "json-c", providers: [.apt(["libjson-c-dev"])]),
        .target(name: "CCLD2", path: "Sources/CCLD2", linkerSettings: [.linkedLibrary("cld2")]),
        .target(name: "CKernels", path: "Sources/CKernels", cSettings: kernelFlags),
        // The verifiers' hot text loops; no contraction, so results stay bit-identical to langdetect.
        .target(
            name: "CTextKernels", path: "Sources/CTextKernels",
            cSettings: [.unsafeFlags(["-O3", "-mavx2", "-ffp-contract=off", "-fno-math-errno"])]),

        // The three independent halves; they never import each other.
        .target(
            name: "WireProtocol", dependencies: ["CJSONC"], path: "Protocol", exclude: ["PROTOCOL.md"],
            swiftSettings: swiftSettings),
        .target(
            name: "Verifiers", dependencies: ["CCLD2", "CTextKernels"], path: "Verifiers",
            // The text scans and langdetect's probability updates vectorise to AVX2 (as the engine does).
            swiftSettings: swiftSettings + [.unsafeFlags(["-target-cpu", "haswell"], .when(platforms: [.linux]))]),
        .target(name: "GGUF", swiftSettings: swiftSettings),
        .target(
            name: "Engine", dependencies: ["GGUF", "CKernels"],
            // Attention and norms use SIMD8<Float>/Float16 in Swift: let them compile to AVX2/FMA/F16C,
            // optimised in every configuration (unoptimised SIMD code makes the model tests ~15x slower).
            swiftSettings: swiftSettings + [
                .unsafeFlags(["-target-cpu", "haswell"], .when(platforms: [.linux])), .unsafeFlags(["-O"]),
            ]),

        // Where they meet.
        .target(
            name: "Server",
            dependencies: [
                "WireProtocol", "Verifiers", "Engine",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "raif",
            dependencies: [
                "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Tests: one target per module.
        .testTarget(
            name: "WireProtocolTests", dependencies: ["WireProtocol"], swiftSettings: swiftSettings),
        .testTarget(
            name: "VerifiersTests", dependencies: ["Verifiers"], resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings),
        .testTarget(name: "GGUFTests", dependencies: ["GGUF"], swiftSettings: swiftSettings),
        .testTarget(
            name: "EngineTests", dependencies: ["Engine", "GGUF"], resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "WireProtocol", "Verifiers",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
