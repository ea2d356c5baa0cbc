// swift-tools-version:6.0
import PackageDescription

/// sbpl: the Hugging Face "Behind the pipeline" chapter in a native Swift shell.
/// Modules, bottom to top: C bindings, PythonText (how Python writes floats and JSON) -> TensorCore ->
/// Safetensors, Hub -> Tokenizers -> Models -> Pipelines -> Language -> LineEditor -> the `sbpl` CLI.
let package = Package(
    name: "sbpl",
    products: [
        .executable(name: "sbpl", targets: ["sbpl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CEditLine", path: "Sources/CEditLine", pkgConfig: "libedit",
                       providers: [.apt(["libedit-dev"])]),
        .target(name: "CEditShim", dependencies: ["CEditLine"], path: "Sources/CEditShim"),
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "PythonText"),
        .target(name: "TensorCore", dependencies: ["COpenBLAS", "CKernels", "PythonText"]),
        .target(name: "Safetensors", dependencies: ["TensorCore"]),
        .target(name: "CSHA256"),
        .target(name: "Hub", dependencies: ["CSHA256", "PythonText"]),
        .target(name: "Tokenizers", dependencies: ["TensorCore", "Hub", "PythonText"]),
        .target(name: "Models", dependencies: ["TensorCore", "Safetensors", "Hub", "PythonText"]),
        .target(name: "Pipelines", dependencies: ["Models", "Tokenizers"]),
        .target(name: "Language", dependencies: [.product(name: "BigInt", package: "BigInt"), "TensorCore", "PythonText"]),
        .target(name: "Bindings", dependencies: ["Language", "Pipelines", "Models", "Tokenizers", "TensorCore", "Hub", "Safetensors", "PythonText"]),
        .target(name: "LineEditor", dependencies: ["CEditShim"]),
        .target(name: "Shell", dependencies: ["Language", "LineEditor", "Hub", "TensorCore"]),
        .executableTarget(name: "sbpl", dependencies: ["Language", "Bindings", "Shell", "Pipelines"]),
        .target(name: "TestSupport", dependencies: ["TensorCore", "Safetensors", .product(name: "Subprocess", package: "swift-subprocess")],
                path: "Tests/TestSupport"),
        .testTarget(name: "LanguageTests", dependencies: ["Language", "Bindings", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ShellTests", dependencies: ["Shell", "Language", "Bindings", "CEditShim", "TestSupport"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Pipelines", "Tokenizers", "Hub", "PythonText", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "PythonText", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "SafetensorsTests", dependencies: ["Safetensors", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "HubTests", dependencies: ["Hub", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "Hub", "TestSupport"], exclude: ["Fixtures"]),
    ]
)
