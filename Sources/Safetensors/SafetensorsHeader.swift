import Foundation

/// The JSON header of a safetensors file, decoded with `Codable` against its fixed schema: each tensor's name maps to
/// `{"dtype", "shape", "data_offsets"}`, and the optional `__metadata__` maps strings to strings.
///
/// ```json
/// {"__metadata__": {"format": "pt"}, "w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}
/// ```
struct SafetensorsHeader: Decodable {
    /// One tensor's entry, its fields checked one by one so that a problem is named.
    struct TensorInfo: Decodable {
        let dtype: SafetensorsDType
        let shape: [Int]
        let dataOffsets: (begin: Int, end: Int)

        private enum CodingKeys: String, CodingKey {
            case dtype, shape, dataOffsets = "data_offsets"
        }

        init(from decoder: any Decoder) throws {
            guard let fields = try? decoder.container(keyedBy: CodingKeys.self) else {
                throw HeaderProblem("entry is not a JSON object (InvalidHeaderDeserialization)")
            }
            guard let name = try? fields.decode(String.self, forKey: .dtype) else {
                throw HeaderProblem("missing dtype (InvalidHeaderDeserialization)")
            }
            guard let dtype = SafetensorsDType(rawValue: name) else {
                throw HeaderProblem("unsupported dtype \(name); sbpl reads \(SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let shape = try? fields.decode([Int].self, forKey: .shape), shape.allSatisfy({ $0 >= 0 }) else {
                throw HeaderProblem("shape must be a list of non-negative integers (InvalidHeaderDeserialization)")
            }
            guard let offsets = try? fields.decode([Int].self, forKey: .dataOffsets), offsets.count == 2,
                  offsets.allSatisfy({ $0 >= 0 }) else {
                throw HeaderProblem("data_offsets must be two non-negative integers (InvalidHeaderDeserialization)")
            }
            self.dtype = dtype
            self.shape = shape
            dataOffsets = (offsets[0], offsets[1])
        }
    }

    /// A header key: a tensor's name, or `__metadata__`.
    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }

        static let metadata = Key(stringValue: "__metadata__")
    }

    /// What is wrong with the header, and the tensor whose entry it is in, if any.
    struct HeaderProblem: Error {
        var tensor: String?
        let reason: String

        init(_ reason: String, tensor: String? = nil) {
            self.tensor = tensor
            self.reason = reason
        }
    }

    let metadata: [String: String]
    let tensors: [String: TensorInfo]

    init(from decoder: any Decoder) throws {
        guard let object = try? decoder.container(keyedBy: Key.self) else {
            throw HeaderProblem("header is not a JSON object (InvalidHeaderDeserialization)")
        }
        var metadata = [String: String](), tensors = [String: TensorInfo]()
        for key in object.allKeys {
            if key.stringValue == Key.metadata.stringValue {
                guard let map = try? object.decode([String: String].self, forKey: key) else {
                    throw HeaderProblem("__metadata__ must map strings to strings (InvalidHeaderDeserialization)")
                }
                metadata = map
            } else {
                do { tensors[key.stringValue] = try object.decode(TensorInfo.self, forKey: key) } catch var problem as HeaderProblem {
                    problem.tensor = key.stringValue
                    throw problem
                }
            }
        }
        self.metadata = metadata
        self.tensors = tensors
    }

    /// Decodes `bytes`, refusing what is not UTF-8, not an object, or not JSON, with the reference reader's names.
    static func decode(_ bytes: Data) throws(HeaderProblem) -> SafetensorsHeader {
        guard String(data: bytes, encoding: .utf8) != nil else { throw HeaderProblem("header is not valid UTF-8 (InvalidHeader)") }
        guard bytes.first == UInt8(ascii: "{") else { throw HeaderProblem("header does not start with '{' (InvalidHeaderStart)") }
        do { return try JSONDecoder().decode(SafetensorsHeader.self, from: bytes) } catch let problem as HeaderProblem {
            throw problem
        } catch {
            throw HeaderProblem("header is not a JSON object (InvalidHeaderDeserialization)")
        }
    }
}
