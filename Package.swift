// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "optionsctl",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "optionsctl", targets: ["optionsctl"]),
        .library(name: "OptionsSchema", targets: ["OptionsSchema"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
        .library(name: "Reader", targets: ["Reader"]),
        // A ConfigProvider over the Reader's store; empty unless the ConfigurationProvider trait is enabled.
        .library(name: "ReaderConfiguration", targets: ["ReaderConfiguration"]),
    ],
    traits: [
        .trait(
            name: "ConfigurationProvider",
            description: "Builds ReaderConfiguration: the Reader's store as an apple/swift-configuration provider."
        )
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        .target(name: "CPlatform"),
        .target(name: "OptionsSchema"),
        .target(name: "Pipeline", dependencies: ["OptionsSchema", "CLibYAML", "CLibGit2"]),
        // What services link: the schema core and nothing of libyaml or libgit2.
        // Feature-flag rollout buckets hash with SHA-1 (swift-crypto's Insecure.SHA1), as the reference clients do.
        .target(
            name: "Reader",
            dependencies: ["OptionsSchema", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "ReaderConfiguration",
            dependencies: [
                "Reader",
                .product(
                    name: "Configuration", package: "swift-configuration",
                    condition: .when(traits: ["ConfigurationProvider"])),
            ]
        ),
        .executableTarget(
            name: "optionsctl",
            dependencies: [
                "Pipeline",
                "Reader",
                "CPlatform",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // ci/bench's timing of store creation and reads; not a product.
        .executableTarget(name: "reader-bench", dependencies: ["Reader", "OptionsSchema"]),
        .testTarget(name: "OptionsSchemaTests", dependencies: ["OptionsSchema"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "OptionsSchema"]),
        .testTarget(name: "ReaderTests", dependencies: ["Reader", "OptionsSchema"]),
        .testTarget(
            name: "ReaderConfigurationTests",
            dependencies: [
                "ReaderConfiguration", "Reader",
                .product(
                    name: "Configuration", package: "swift-configuration",
                    condition: .when(traits: ["ConfigurationProvider"])),
            ]
        ),
        .testTarget(
            name: "OptionsctlTests",
            dependencies: ["optionsctl", "Reader"],
            exclude: ["Fixtures", "Golden"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
