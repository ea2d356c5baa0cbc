// swift-tools-version:6.0
import PackageDescription

let collections: Target.Dependency = .product(name: "OrderedCollections", package: "swift-collections")
let heap: Target.Dependency = .product(name: "HeapModule", package: "swift-collections")
let log: Target.Dependency = .product(name: "Logging", package: "swift-log")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")
let subprocess: Target.Dependency = .product(name: "Subprocess", package: "swift-subprocess")
let bigInt: Target.Dependency = .product(name: "BigInt", package: "BigInt")

/// sbpl: the Hugging Face "Behind the pipeline" chapter in a native Swift shell.
/// Modules, bottom to top: C bindings, PythonText (how Python writes floats and JSON) -> TensorCore ->
/// Safetensors, Hub, Diagnostics (the one swift-log handler) -> Tokenizers -> Models -> Pipelines -> Language ->
/// LineEditor, Shell, Kernel (the Jupyter kernel on ZeroMQ) -> the `sbpl` CLI.
let package = Package(
    name: "sbpl",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sbpl", targets: ["sbpl"]),
        // for the libFuzzer harnesses of Fuzz/, a package of their own that builds these modules instrumented
        .library(name: "SbplModules", targets: ["Diagnostics", "Hub", "Safetensors", "Tokenizers", "Models", "Language", "Bindings", "Kernel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
    ],
    targets: [
        // libraries opened with dlopen on first use rather than linked, so that start-up does not load them
        .target(name: "CLazyLibrary", path: "Sources/CLazyLibrary"),
        .target(name: "CCurl", dependencies: ["CLazyLibrary"], path: "Sources/CCurl"),
        .target(name: "COpenBLAS", dependencies: ["CLazyLibrary"], path: "Sources/COpenBLAS"),
        .target(name: "CZeroMQ", dependencies: ["CLazyLibrary"], path: "Sources/CZeroMQ"),
        .target(name: "CEditShim", dependencies: ["CLazyLibrary"], path: "Sources/CEditShim"),
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "PythonText"),
        .target(name: "Diagnostics", dependencies: [log]),
        .target(name: "TensorCore", dependencies: ["COpenBLAS", "CKernels", "PythonText"]),
        .target(name: "Safetensors", dependencies: ["TensorCore"]),
        .target(name: "Hub", dependencies: ["CCurl", crypto, "PythonText", "Diagnostics"]),
        .target(name: "Tokenizers", dependencies: ["TensorCore", "Hub", "PythonText", log, collections, heap]),
        .target(name: "TorchCheckpoint", dependencies: ["TensorCore", "PythonText"]),
        .target(name: "Models", dependencies: ["TensorCore", "Safetensors", "TorchCheckpoint", "Hub", "PythonText", heap]),
        .target(name: "Pipelines", dependencies: ["Models", "Tokenizers", "TensorCore"]),
        // the interpreter's hot paths read and write class fields constantly: release builds skip the dynamic
        // exclusivity checks there (the static ones stay), which took an eighth of a loop's time
        .target(name: "Language", dependencies: ["TensorCore", "PythonText", "Diagnostics", log, collections, bigInt, crypto],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]),
        .target(name: "Bindings", dependencies: ["Language", "Pipelines", "Models", "Tokenizers", "TensorCore", "Hub",
                                                 "Safetensors", "PythonText", "Diagnostics", log]),
        .target(name: "LineEditor", dependencies: ["CEditShim"]),
        .target(name: "Shell", dependencies: ["Language", "LineEditor", "CEditShim", "Hub", "TensorCore", "PythonText", log]),
        .target(name: "Kernel", dependencies: ["CZeroMQ", "Language", "Bindings", "Shell", "Hub", "PythonText", "TensorCore", "Diagnostics",
                                               crypto, log]),
        .executableTarget(name: "sbpl", dependencies: ["Language", "Bindings", "Shell", "Kernel", "Pipelines", "Hub", "Diagnostics",
                                                       "TensorCore",
                                                       log, argumentParser]),
        .target(name: "TestSupport", dependencies: ["TensorCore", "Safetensors", subprocess], path: "Tests/TestSupport"),
        .testTarget(name: "LanguageTests", dependencies: ["Language", "Bindings", "Diagnostics", log, "TestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "ShellTests", dependencies: ["Shell", "Language", "Bindings", "Diagnostics", log, "CEditShim",
                                                  "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Pipelines", "Tokenizers", "Hub", "PythonText", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "PythonText", "Safetensors", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "SafetensorsTests", dependencies: ["Safetensors", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "HubTests", dependencies: ["Hub", "TestSupport", crypto], exclude: ["Fixtures"]),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "Hub", "Diagnostics", log, "TestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics", log]),
        .testTarget(name: "KernelTests", dependencies: ["Kernel", "TestSupport"], exclude: ["Fixtures"]),
    ]
)
