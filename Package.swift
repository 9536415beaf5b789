// swift-tools-version: 6.2
import PackageDescription

/// The linker arguments of linkedSystemLibraries on Linux.
let linuxStaticLibraries: [String] =
    ["-Bstatic", "-lgit2", "-lmbedtls", "-lmbedx509", "-lmbedcrypto", "-lhttp_parser", "-lssh2", "-lpcre2-8"]
    // libssh2's libcrypto needs zlib, and on Debian 13 zstd: both after it (archives resolve left to right).
    + ["-lcrypto", "-lz", "-lzstd", "-lyaml", "-Bdynamic"]
    + [
        "mbedtls_x509_crt_parse_file", "mbedtls_x509_crt_parse_path", "mbedtls_entropy_init", "mbedtls_ctr_drbg_seed",
        "libssh2_init", "libssh2_exit",
    ].map { "--wrap=" + $0 }

/// How Pipeline links libgit2 and libyaml. On Linux, statically, from the `.a` archives that libgit2-dev and
/// libyaml-dev install: loading libgit2.so and the 15 shared libraries it pulls in (Kerberos, OpenSSL, mbedTLS,
/// libssh2, …) took about 5 ms of every command's start. Their network transports are never used: Sources/CPlatform
/// stubs the Kerberos (GSSAPI) calls and wraps what git_libgit2_init() prepares for TLS and SSH (CA bundle, random
/// seed, OpenSSL). Elsewhere (macOS with Homebrew), dynamically.
let linkedSystemLibraries: [LinkerSetting] = [
    .linkedLibrary("git2", .when(platforms: [.macOS])),
    .linkedLibrary("yaml", .when(platforms: [.macOS])),
    .unsafeFlags(["-L/opt/homebrew/lib"], .when(platforms: [.macOS])),
    .unsafeFlags(
        linuxStaticLibraries.flatMap { ["-Xlinker", $0] }, .when(platforms: [.linux])),
]

let package = Package(
    name: "optionsctl",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "optionsctl", targets: ["optionsctl"]),
        // The sentry-options CLI's command surface: runs the optionsctl beside it under that name.
        .executable(name: "sentry-options-cli", targets: ["sentry-options-cli"]),
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
        // Headers only: Pipeline links the libraries (see staticSystemLibraries).
        .systemLibrary(name: "CLibYAML", providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]),
        .systemLibrary(name: "CLibGit2", providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]),
        // zlib: statically on Linux with libgit2 (linuxStaticLibraries), from the system on macOS.
        .target(name: "CPlatform", linkerSettings: [.linkedLibrary("z", .when(platforms: [.macOS]))]),
        .target(name: "OptionsSchema"),
        .target(
            name: "Pipeline",
            dependencies: ["OptionsSchema", "CLibYAML", "CLibGit2", "CPlatform"],
            swiftSettings: [.unsafeFlags(["-Xcc", "-I/opt/homebrew/include"], .when(platforms: [.macOS]))],
            linkerSettings: linkedSystemLibraries
        ),
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
        .executableTarget(name: "sentry-options-cli"),
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
            dependencies: ["optionsctl", "sentry-options-cli", "Reader"],
            exclude: ["Fixtures", "Golden"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
