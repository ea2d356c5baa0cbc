// swift-tools-version:6.0
import Foundation
import PackageDescription

/// libFuzzer harnesses for sbpl, one executable per kind of input sbpl reads: Python source, safetensors files,
/// tokenizer.json / vocab.txt, config.json and notebooks. A package of its own, so that building it with
/// `-sanitize=fuzzer` instruments sbpl's modules here without touching the main build:
///
///     swift build -c debug -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library
///
/// scripts/fuzz/libfuzzer.sh builds and runs them (`make fuzz`, and briefly `make test`).

/// SwiftPM names a package found by path after its folder, which is whatever the clone was called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let sbpl: Target.Dependency = .product(name: "SbplModules", package: root.lastPathComponent.lowercased())

let package = Package(
    name: "sbpl-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        .systemLibrary(name: "CLibFuzzer"),
        .target(name: "FuzzInput", dependencies: ["CLibFuzzer", sbpl]),
        .executableTarget(name: "FuzzLanguage", dependencies: ["FuzzInput", sbpl]),
        .executableTarget(name: "FuzzSafetensors", dependencies: ["FuzzInput", sbpl]),
        .executableTarget(name: "FuzzTokenizers", dependencies: ["FuzzInput", sbpl]),
        .executableTarget(name: "FuzzConfig", dependencies: ["FuzzInput", sbpl]),
        .executableTarget(name: "FuzzNotebook", dependencies: ["FuzzInput", sbpl]),
    ]
)
