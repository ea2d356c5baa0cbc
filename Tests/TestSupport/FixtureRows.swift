import Foundation
import TensorCore

extension Fixtures {
    /// The rows of a `.jsonl` golden file, each line decoded as a `Row`; a line that does not decode is an error
    /// naming the file and the line.
    public static func rows<Row: Decodable>(_ type: Row.Type, in url: URL) throws -> [Row] {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        return try lines.enumerated().map { index, line in
            do { return try JSONDecoder().decode(Row.self, from: Data(line.utf8)) } catch {
                throw FixtureDecodingError(file: url, line: index + 1, underlying: error)
            }
        }
    }

    /// A whole `.json` golden file decoded as a `Value`.
    public static func decode<Value: Decodable>(_ type: Value.Type, from url: URL) throws -> Value {
        do { return try JSONDecoder().decode(Value.self, from: Data(contentsOf: url)) } catch {
            throw FixtureDecodingError(file: url, line: nil, underlying: error)
        }
    }
}

/// A golden file whose content is not what its row type expects.
public struct FixtureDecodingError: Error, CustomStringConvertible {
    public let file: URL
    public let line: Int?
    public let underlying: any Error
    public var description: String { "\(file.path)\(line.map { ":\($0)" } ?? ""): \(underlying)" }
}

/// A tensor as the fixture scripts write it: `{"dtype", "shape", "values"}` or `{"dtype", "shape", "recipe"}`.
public struct TensorFixture: Decodable, Sendable {
    /// The dtypes the scripts write (every float type loads as float32, every integer type as int64).
    public enum DType: String, Decodable, Sendable {
        case float32 = "torch.float32", int64 = "torch.int64", bool = "torch.bool"
    }

    /// Values `((i * mul) % mod - sub) / div`, which Python and Swift both compute exactly in float32.
    public struct Recipe: Decodable, Sendable {
        public let mul: Int, mod: Int, sub: Int, div: Int
    }

    public let dtype: DType
    public let shape: [Int]
    public let values: [FixtureNumber]?
    public let recipe: Recipe?

    /// The tensor the row describes.
    public var tensor: Tensor {
        if let r = recipe { return Fixtures.recipeTensor(shape, mul: r.mul, mod: r.mod, sub: r.sub, div: r.div) }
        let numbers = (values ?? []).map(\.value)
        switch dtype {
        case .int64: return Tensor(ints: numbers.map { Int64($0) }, shape: shape)
        case .float32: return Tensor(floats: numbers.map { Float($0) }, shape: shape)
        case .bool: return Tensor(bools: numbers.map { $0 != 0 }, shape: shape)
        }
    }
}

/// A JSON number, a non-finite one as the scripts spell it (`"nan"`, `"inf"`, `"-inf"`), or a bool (1 or 0).
public struct FixtureNumber: Decodable, Sendable {
    public let value: Double

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            value = number
        } else if let flag = try? container.decode(Bool.self) {
            value = flag ? 1 : 0
        } else if let special = Double(try container.decode(String.self)), !special.isFinite {
            value = special
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a number, a bool, \"nan\" or \"inf\"")
        }
    }
}
