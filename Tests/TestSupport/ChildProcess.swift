import Foundation
import Subprocess

/// What a finished process printed and how it ended.
public struct ProcessOutput: Sendable {
    public let out: String
    public let err: String
    /// The exit code, or 128 + the signal's number when a signal ended it (as a shell reports it).
    public let status: Int32
}

/// A process that printed more than the tests keep.
public struct OutputTooLarge: Error, CustomStringConvertible {
    public let limit: Int
    public var description: String { "the process printed more than \(limit) bytes" }
}

/// A process that did not finish in its time; it was killed.
public struct ProcessTimeout: Error, CustomStringConvertible {
    public let command: String
    public let limit: Duration
    public var description: String { "\(command) did not finish within \(limit); it was killed" }
}

/// Runs programs for tests through swift-subprocess: output is read while the program runs (a full pipe cannot
/// block it), and a program that outlives its time limit is killed and reported as `ProcessTimeout`.
public enum ChildProcess {
    /// At most this much output is kept from each stream.
    static let outputLimit = 64 << 20

    /// Runs `executable` to its end with `input` on its standard input and this process's environment changed by
    /// `environment` (a nil value removes the variable); once its output contains `interruptAfterPrinting`, sends
    /// it SIGINT, as Ctrl-C would.
    public static func run(_ executable: URL, _ arguments: [String], input: String = "",
                           environment: [String: String?] = [:], interruptAfterPrinting marker: String? = nil,
                           timeout: Duration = .seconds(120)) async throws -> ProcessOutput {
        try await withTimeout(timeout, ([executable.path] + arguments).joined(separator: " ")) {
            let result = try await Subprocess.run(
                .path(.init(executable.path)), arguments: Arguments(arguments), environment: inheriting(environment),
                input: .string(input), output: .sequence, error: .string(limit: outputLimit)
            ) { execution in
                var out = [UInt8](), awaited = marker
                for try await chunk in execution.standardOutput {
                    chunk.withUnsafeBytes { out.append(contentsOf: $0) }
                    guard out.count <= outputLimit else { throw OutputTooLarge(limit: outputLimit) }
                    if let text = awaited, String(decoding: out, as: UTF8.self).contains(text) {
                        try execution.send(signal: .interrupt)
                        awaited = nil
                    }
                }
                return String(decoding: out, as: UTF8.self)
            }
            return ProcessOutput(out: result.closureResult, err: result.standardError, status: status(result.terminationStatus))
        }
    }

    /// This process's environment with `changes` applied (a nil value removes the variable).
    static func inheriting(_ changes: [String: String?]) -> Environment {
        .inherit.updating(Dictionary(uniqueKeysWithValues: changes.compactMap { key, value in
            Environment.Key(rawValue: key).map { ($0, value) }
        }))
    }

    /// The status as a shell shows it.
    static func status(_ termination: TerminationStatus) -> Int32 {
        switch termination {
        case .exited(let code): return code
        case .signaled(let signal): return 128 + signal
        }
    }

    /// `body`'s result, or `ProcessTimeout` once `limit` has passed (cancelling `body`, which kills its process).
    public static func withTimeout<Value: Sendable>(_ limit: Duration, _ command: String,
                                                    _ body: @escaping @Sendable () async throws -> Value) async throws -> Value {
        try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw ProcessTimeout(command: command, limit: limit)
            }
            return value
        }
    }
}

/// The `sbpl` executable the tests drive: `SBPL_BINARY` if set, else the one built beside the running test bundle
/// (`swift build --build-tests` builds both into the same folder, whatever the configuration or triple).
public enum SbplBinary {
    public static func url() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["SBPL_BINARY"], !path.isEmpty { return try existing(URL(fileURLWithPath: path)) }
        let bundle = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        return try existing(bundle.deletingLastPathComponent().appendingPathComponent("sbpl"))
    }

    private static func existing(_ url: URL) throws -> URL {
        guard FileManager.default.isExecutableFile(atPath: url.path) else { throw SbplBinaryMissing(path: url.path) }
        return url
    }
}

/// The `sbpl` executable is not where the tests look for it.
public struct SbplBinaryMissing: Error, CustomStringConvertible {
    public let path: String
    public var description: String { "no sbpl executable at \(path): build it with `swift build --build-tests`, or set SBPL_BINARY" }
}
