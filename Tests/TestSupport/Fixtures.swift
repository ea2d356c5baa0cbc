import Foundation
import TensorCore
import XCTest

/// Reads golden files made by the reference implementation (scripts/fixtures) and turns them into values.
public enum Fixtures {
    /// The JSON objects of a `.jsonl` file, one per line.
    public static func jsonLines(_ url: URL) throws -> [[String: Any]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
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

    /// The unpacked all-MiniLM-L6-v2 checkpoint that `make fixtures` fetches (override: `SBPL_MINILM_DIR`).
    public static func miniLM() throws -> URL {
        let env = ProcessInfo.processInfo.environment
        let path = env["SBPL_MINILM_DIR"] ?? (NSHomeDirectory() + "/.cache/sbpl/all-MiniLM-L6-v2")
        guard FileManager.default.fileExists(atPath: path + "/model.safetensors") else {
            throw XCTSkip("MiniLM weights not found at \(path): run `make fixtures` (or `make test`) first")
        }
        return URL(fileURLWithPath: path)
    }

    /// A fresh empty temporary directory, removed when the process ends.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sbpl-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A tensor from `{"dtype", "shape", "values"}` or `{"dtype", "shape", "recipe"}`.
    public static func tensor(_ object: [String: Any]) -> Tensor {
        let shape = object["shape"] as! [Int]
        let values: [Double]
        if let r = object["recipe"] as? [String: Int] {
            return recipeTensor(shape, mul: r["mul"]!, mod: r["mod"]!, sub: r["sub"]!, div: r["div"]!)
        } else {
            values = (object["values"] as! [Any]).map { number($0) }
        }
        if object["dtype"] as! String == "torch.int64" {
            return Tensor(ints: values.map { Int64($0) }, shape: shape)
        }
        return Tensor(floats: values.map { Float($0) }, shape: shape)
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

/// Asserts two tensors have the same shape and dtype and values within `tolerance`.
public func assertClose(_ actual: Tensor, _ expected: Tensor, tolerance: Double = 1e-5, _ message: String = "",
                        file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, expected.shape, "shape \(message)", file: file, line: line)
    XCTAssertEqual(actual.dtype, expected.dtype, "dtype \(message)", file: file, line: line)
    guard actual.shape == expected.shape else { return }
    let worst = zip(actual.doubles(), expected.doubles()).map { Swift.abs($0 - $1) }.max() ?? 0
    XCTAssertLessThanOrEqual(worst, tolerance, "max abs difference \(message)", file: file, line: line)
}

/// Asserts two printed outputs are the same text except for decimal numbers, which may differ by `tolerance`
/// (float32 accumulation order differs between BLAS libraries; everything else must match to the letter).
public func assertPrintedClose(_ actual: String?, _ expected: String?, tolerance: Double = 1e-6, _ message: String = "",
                               file: StaticString = #filePath, line: UInt = #line) {
    guard let actual, let expected else { return XCTAssertEqual(actual, expected, message, file: file, line: line) }
    let number = try! NSRegularExpression(pattern: #"-?\d+\.\d+(e[-+]\d+)?"#)
    func split(_ s: String) -> (text: String, numbers: [Double]) {
        let range = NSRange(s.startIndex..., in: s)
        let numbers = number.matches(in: s, range: range).map { Double(s[Range($0.range, in: s)!])! }
        return (number.stringByReplacingMatches(in: s, range: range, withTemplate: "#"), numbers)
    }
    let (a, e) = (split(actual), split(expected))
    XCTAssertEqual(a.text, e.text, message, file: file, line: line)
    guard a.numbers.count == e.numbers.count else { return }
    let worst = zip(a.numbers, e.numbers).map { Swift.abs($0 - $1) }.max() ?? 0
    XCTAssertLessThanOrEqual(worst, tolerance, "numbers differ: \(message)\n\(actual)\n\(expected)", file: file, line: line)
}
