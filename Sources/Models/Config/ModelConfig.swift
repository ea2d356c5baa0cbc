import Foundation
import Hub
import PythonText

/// A checkpoint's `config.json`: the fields every model has, typed, and the raw JSON for the rest
/// (`model.config.hidden_size`, ...).
public struct ModelConfig: @unchecked Sendable {
    /// The JSON object as read, for attribute access to any field.
    public let json: [String: Any]
    /// Where it was read from, for error messages.
    public let path: String
    /// The checkpoint's name as given to `from_pretrained` (transformers' `_name_or_path`).
    public let nameOrPath: String
    /// `model_type`, e.g. `distilbert`.
    public let modelType: String
    /// `architectures`, e.g. `["DistilBertForSequenceClassification"]`.
    public let architectures: [String]
    /// `id2label`, with integer keys; transformers' default `{0: 'LABEL_0', 1: 'LABEL_1'}` when absent.
    public let id2label: [Int: String]
    /// `label2id`.
    public let label2id: [String: Int]

    /// Reads `config.json` from a checkpoint.
    public static func load(_ checkpoint: Checkpoint) throws -> ModelConfig {
        let url = try checkpoint.requiredFile("config.json")
        return try ModelConfig(json: JSONFile.object(at: url), path: url.path, nameOrPath: checkpoint.name)
    }

    public init(json: [String: Any], path: String, nameOrPath: String = "") throws {
        self.json = json
        self.path = path
        self.nameOrPath = nameOrPath
        guard let type = json["model_type"] as? String else {
            throw ModelError("\(path): field 'model_type' is missing or not a string")
        }
        modelType = type
        architectures = json["architectures"] as? [String] ?? []
        if let raw = json["id2label"] {
            guard let map = raw as? [String: Any] else { throw ModelError("\(path): field 'id2label' must be an object") }
            var labels = [Int: String]()
            for (key, value) in map {
                guard let id = Int(key), let label = value as? String else {
                    throw ModelError("\(path): field 'id2label' must map integer keys to label strings, got \(key): \(value)")
                }
                labels[id] = label
            }
            id2label = labels
        } else {
            guard case .int(let count)? = JSONNumber(json["num_labels"] ?? 2), count >= 0 else {
                throw ModelError("\(path): field 'num_labels' must be a non-negative integer, got \(PythonJSON.dumps(json["num_labels"]!))")
            }
            id2label = Dictionary(uniqueKeysWithValues: (0..<count).map { ($0, "LABEL_\($0)") })
        }
        if let raw = json["label2id"] as? [String: Any] {
            label2id = raw.compactMapValues { if case .int(let id)? = JSONNumber($0) { id } else { nil } }
        } else {
            label2id = Dictionary(uniqueKeysWithValues: id2label.map { ($1, $0) })
        }
    }

    /// The number of labels (`num_labels`).
    public var numLabels: Int { id2label.count }

    /// A positive integer field, with a default when absent and an error naming the field when invalid.
    func positiveInt(_ key: String, default value: Int) throws -> Int {
        guard let raw = json[key] else { return value }
        guard case .int(let number)? = JSONNumber(raw), number > 0 else {
            throw ModelError("\(path): field '\(key)' must be a positive integer, got \(PythonJSON.dumps(raw))")
        }
        return number
    }

    /// A positive number field.
    func positiveDouble(_ key: String, default value: Double) throws -> Double {
        guard let raw = json[key] else { return value }
        guard let number = JSONNumber(raw)?.double, number > 0 else {
            throw ModelError("\(path): field '\(key)' must be a positive number, got \(PythonJSON.dumps(raw))")
        }
        return number
    }

    /// A non-negative integer field that may be null (nil), with a default when absent.
    func optionalInt(_ key: String, default value: Int?) throws -> Int? {
        guard let raw = json[key] else { return value }
        if raw is NSNull { return nil }
        guard case .int(let number)? = JSONNumber(raw), number >= 0 else {
            throw ModelError("\(path): field '\(key)' must be a non-negative integer or null, got \(PythonJSON.dumps(raw))")
        }
        return number
    }

    /// A probability field (a dropout rate), between 0 and 1 as torch requires.
    func probability(_ key: String, default value: Double) throws -> Double {
        guard let raw = json[key] else { return value }
        guard let number = JSONNumber(raw)?.double, (0...1).contains(number) else {
            throw ModelError("\(path): field '\(key)' must be a probability between 0 and 1, got \(PythonJSON.dumps(raw))")
        }
        return number
    }

    /// A probability field that may be absent or null (nil).
    func optionalProbability(_ key: String) throws -> Double? {
        guard let raw = json[key], !(raw is NSNull) else { return nil }
        return try probability(key, default: 0)
    }

    /// The activation named by `key`, one sbpl implements.
    func activation(_ key: String, default value: String) throws -> Activation {
        let name = json[key] as? String ?? value
        guard let activation = Activation(rawValue: name) else {
            throw ModelError("\(path): field '\(key)' names activation '\(name)'; sbpl has \(Activation.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return activation
    }
}

/// The feed-forward activations sbpl implements.
public enum Activation: String, CaseIterable, Sendable {
    case gelu, relu
}
