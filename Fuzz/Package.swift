// swift-tools-version: 6.2
import PackageDescription

/// libFuzzer targets for optionsctl's parsers. Built only with the fuzzer sanitizer, which links libFuzzer:
///
///     swift build --package-path Fuzz -Xswiftc -sanitize=fuzzer,address
///
/// `ci/fuzz SECONDS` builds and runs them all. Each target's `main.swift` hands its test to `Fuzz.run`, which
/// runs libFuzzer's driver (`LLVMFuzzerRunDriver`).
let targets = ["yaml", "json", "values", "context", "diff"]

let package = Package(
    name: "optionsctl-fuzz",
    platforms: [.macOS(.v15)],
    products: targets.map { .executable(name: "fuzz-\($0)", targets: ["fuzz-\($0)"]) },
    dependencies: [.package(name: "optionsctl", path: "..")],
    targets: [
        .target(name: "CFuzzer"),
        .target(
            name: "FuzzSupport",
            dependencies: [
                "CFuzzer",
                .product(name: "Pipeline", package: "optionsctl"),
                .product(name: "OptionsSchema", package: "optionsctl"),
            ]),
    ]
        + targets.map { .executableTarget(name: "fuzz-\($0)", dependencies: ["FuzzSupport"]) },
    swiftLanguageModes: [.v6]
)
