import Foundation
import Synchronization
import TensorCore
import XCTest

/// Reads golden files made by the reference implementation (scripts/fixtures) and turns them into values.
///
/// The test kit around it: `Fixtures.rows` decodes a golden file into typed rows for `@Test(arguments:)`;
/// `MissingFixture` fails a test whose fixture is absent (never a skip); `PrintedText` compares printed
/// output with BLAS-derived numbers within a tolerance; `ChildProcess`, `SbplBinary`, `TerminalSession` and
/// `FakeHub` drive processes through swift-subprocess, with time limits.
public enum Fixtures {
    /// The JSON objects of a `.jsonl` file, one per line.
    public static func jsonLines(_ url: URL) throws -> [[String: Any]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").enumerated().map { index, line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw FixtureDecodingError(file: url, line: index + 1, underlying: NotAnObject())
            }
            return object
        }
    }

    /// A file next to the calling test source, e.g. `Fixtures.url("Fixtures/print.jsonl")`.
    public static func url(_ relative: String, file: StaticString = #filePath) -> URL {
        URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent(relative)
    }

    /// The repository root (for committed fixtures shared by several test targets).
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The unpacked all-MiniLM-L6-v2 checkpoint that `make fixtures` fetches (override: `SBPL_MINILM_DIR`); when it
    /// is absent the test fails, saying how to get it (`MissingFixture`).
    public static func miniLM() throws -> URL {
        let env = ProcessInfo.processInfo.environment
        let path = env["SBPL_MINILM_DIR"] ?? (NSHomeDirectory() + "/.cache/sbpl/all-MiniLM-L6-v2")
        let weights = URL(fileURLWithPath: path).appendingPathComponent("model.safetensors")
        return try MissingFixture.require(weights, "MiniLM weights").deletingLastPathComponent()
    }

    /// A fresh empty temporary directory, removed when the test process exits (tests copy checkpoints of 90 MB
    /// into them: left behind, they fill the disk run after run).
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sbpl-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        TemporaryDirectories.remember(url)
        return url
    }

    /// Values `((i * mul) % mod - sub) / div`, exact in float32: tensors the Python scripts make the same way.
    public static func recipeTensor(_ shape: [Int], mul: Int, mod: Int, sub: Int, div: Int) -> Tensor {
        let count = shape.reduce(1, *)
        return Tensor(floats: (0..<count).map { Float(Double((($0 * mul) % mod) - sub) / Double(div)) }, shape: shape)
    }

    /// `{"shape": [...], "values": [...]}` as a float32 tensor.
    public static func floatTensor(_ object: Any) -> Tensor {
        let o = object as! [String: Any]
        return Tensor(floats: (o["values"] as! [Any]).map { Float(number($0)) }, shape: o["shape"] as! [Int])
    }

    /// A JSON number, or Python's NaN / Infinity spelled by `json.dumps`.
    static func number(_ any: Any) -> Double {
        if let n = any as? NSNumber { return n.doubleValue }
        return Double("\(any)") ?? .nan
    }
}

/// A `.jsonl` line that is not a JSON object.
struct NotAnObject: Error, CustomStringConvertible {
    var description: String { "the line is not a JSON object" }
}

/// How `actual` differs from `expected` (shape, dtype, or values beyond `tolerance`), or nil when it does not.
public func tensorDifference(_ actual: Tensor, _ expected: Tensor, tolerance: Double = 1e-5) -> String? {
    guard actual.shape == expected.shape else { return "shape \(actual.shape), expected \(expected.shape)" }
    guard actual.dtype == expected.dtype else { return "dtype \(actual.dtype), expected \(expected.dtype)" }
    let worst = zip(actual.doubles(), expected.doubles()).map { Swift.abs($0 - $1) }.max() ?? 0
    return worst <= tolerance ? nil : "max abs difference \(worst) over \(tolerance)"
}

/// Asserts two tensors have the same shape and dtype and values within `tolerance`.
public func assertClose(_ actual: Tensor, _ expected: Tensor, tolerance: Double = 1e-5, _ message: String = "",
                        file: StaticString = #filePath, line: UInt = #line) {
    if let difference = tensorDifference(actual, expected, tolerance: tolerance) {
        XCTFail("\(difference) \(message)", file: file, line: line)
    }
}

/// Asserts two printed outputs are the same text except for decimal numbers, which may differ by `tolerance`
/// (float32 accumulation order differs between BLAS libraries and CPUs; everything else must match to the letter).
/// The numbers are Python floats, whose shortest repr may have a digit more or less for a value a few ulps away.
public func assertPrintedClose(_ actual: String?, _ expected: String?, tolerance: Double = 1e-6, _ message: String = "",
                               file: StaticString = #filePath, line: UInt = #line) {
    guard let actual, let expected else { return XCTAssertEqual(actual, expected, message, file: file, line: line) }
    if let difference = PrintedText.difference(actual, expected, tolerance: NumberTolerance(absolute: tolerance, relative: 0, sameLayout: false)) {
        XCTFail("\(message): \(difference)", file: file, line: line)
    }
}

/// The temporary directories this test process made, removed by an `atexit` handler.
enum TemporaryDirectories {
    private static let made = Mutex<[URL]>([])
    private static let removeAtExit: Void = { atexit { TemporaryDirectories.removeAll() } }()

    static func remember(_ url: URL) {
        _ = removeAtExit
        made.withLock { $0.append(url) }
    }

    private static func removeAll() {
        for url in made.withLock({ $0 }) { try? FileManager.default.removeItem(at: url) }
    }
}
