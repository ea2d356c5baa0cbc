// swift-tools-version:6.1
import Foundation
import PackageDescription

/// In-process benchmarks of sbpl's kernels with ordo-one's Benchmark (its `MallocInterposer` trait counts mallocs):
/// the packed fp32 and int8 GEMMs, attention, softmax, layer norm, a DistilBERT layer and the tokenizer's batch
/// encode, sized like a DistilBERT forward pass, each measured for wall clock, throughput and mallocs. A package of
/// its own, so that the main build and `make test` never build Benchmark and its interposer:
///
///     swift package --allow-writing-to-package-directory benchmark
///
/// `make bench-kernels` runs them; `make bench-kernels-baseline` and `make bench-kernels-check` record a baseline and
/// check a run against it with the tolerances written in `Benchmarks/Kernels/Kernels.swift`.

/// SwiftPM names a package found by path after its folder, which is whatever the clone was called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let sbpl: Target.Dependency = .product(name: "SbplModules", package: root.lastPathComponent.lowercased())

let package = Package(
    name: "sbpl-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Kernels",
            dependencies: [sbpl, .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/Kernels",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
