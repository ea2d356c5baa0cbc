import Foundation
import Hub

/// A checkpoint's `config.json`: the fields every model has, typed, and the raw JSON for the rest
/// (`model.config.hidden_size`, ...).
public struct ModelConfig: @unchecked Sendable {
    /// The JSON object as read, for attribute access to any field.
    public let json: [String: Any]
    /// Where it was read from, for error messages.
    public let path: String
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
        return try ModelConfig(json: JSONFile.object(at: url), path: url.path)
    }

    public init(json: [String: Any], path: String) throws {
        self.json = json
        self.path = path
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
            let count = json["num_labels"] as? Int ?? 2
            id2label = Dictionary(uniqueKeysWithValues: (0..<count).map { ($0, "LABEL_\($0)") })
        }
        if let raw = json["label2id"] as? [String: Any] {
            label2id = raw.compactMapValues { ($0 as? NSNumber)?.intValue }
        } else {
            label2id = Dictionary(uniqueKeysWithValues: id2label.map { ($1, $0) })
        }
    }

    /// The number of labels (`num_labels`).
    public var numLabels: Int { id2label.count }

    /// A positive integer field, with a default when absent and an error naming the field when invalid.
    func positiveInt(_ key: String, default value: Int) throws -> Int {
        guard let raw = json[key] else { return value }
        guard let number = raw as? NSNumber, !(raw is Bool), number.doubleValue == Double(number.intValue), number.intValue > 0 else {
            throw ModelError("\(path): field '\(key)' must be a positive integer, got \(raw)")
        }
        return number.intValue
    }

    /// A positive number field.
    func positiveDouble(_ key: String, default value: Double) throws -> Double {
        guard let raw = json[key] else { return value }
        guard let number = raw as? NSNumber, !(raw is Bool), number.doubleValue > 0 else {
            throw ModelError("\(path): field '\(key)' must be a positive number, got \(raw)")
        }
        return number.doubleValue
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
