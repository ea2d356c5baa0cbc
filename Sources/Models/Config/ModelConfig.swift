import Foundation
import Hub
import PythonText
import TensorCore

/// A checkpoint's `config.json`: the fields every model has, typed, and the JSON for the rest
/// (`model.config.hidden_size`, ...), read with the defaults of its architecture's config class.
public struct ModelConfig: Sendable {
    /// The JSON object as read, names from the attribute map replaced by the fields they stand for.
    public let json: JSONObject
    /// Where it was read from, for error messages.
    public let path: String
    /// The checkpoint's name as given to `from_pretrained` (transformers' `_name_or_path`).
    public let nameOrPath: String
    /// `model_type`, e.g. `distilbert`.
    public let modelType: String
    /// The architecture of `model_type`; nil for one sbpl does not have (the config still loads and prints).
    public let architecture: Architecture?
    /// `architectures`, e.g. `["DistilBertForSequenceClassification"]`.
    public let architectures: [String]
    /// `id2label`, with integer keys; transformers' default `{0: 'LABEL_0', 1: 'LABEL_1'}` when absent.
    public let id2label: [Int: String]
    /// `label2id`, in the order config.json writes it (else `id2label`'s, inverted).
    public let label2id: [(key: String, value: Int)]

    /// Reads `config.json` from a checkpoint, with the fields of `overrides` set over it (`from_pretrained`'s config
    /// keywords, `output_hidden_states=True`).
    public static func load(_ checkpoint: Checkpoint, overriding overrides: JSONObject = JSONObject()) throws -> ModelConfig {
        let url = try checkpoint.requiredFile("config.json")
        var json = try JSONFile.jsonObject(at: url)
        // `num_labels=n` names n new labels (`LABEL_i`) unless the config has n already, as its setter does
        if let n = overrides["num_labels"]?.int, json["id2label"]?.object?.count != n {
            json["id2label"] = nil
            json["label2id"] = nil
        }
        for (key, value) in overrides { json[key] = value }
        return try ModelConfig(json: json, path: url.path, nameOrPath: checkpoint.name)
    }

    public init(json: JSONObject, path: String, nameOrPath: String = "") throws {
        self.path = path
        self.nameOrPath = nameOrPath
        guard let type = json["model_type"]?.string else {
            throw ModelError("\(path): field 'model_type' is missing or not a string")
        }
        modelType = type
        architecture = Architectures.forModelType(type)
        self.json = architecture.map { Self.mappingAttributes(json, $0.attributeMap) } ?? json
        architectures = json["architectures"]?.array?.compactMap(\.string) ?? []
        id2label = try Self.labels(json, path: path)
        if let raw = json["label2id"]?.object {
            label2id = raw.compactMap { key, value in value.int.map { (key, $0) } }
        } else {
            // `dict(zip(labels, ids))`: a label two ids share keeps its first place and its last id
            var pairs = [(key: String, value: Int)](), place = [String: Int]()
            for (id, label) in id2label.sorted(by: { $0.key < $1.key }) {
                if let i = place[label] { pairs[i].value = id } else { place[label] = pairs.count; pairs.append((label, id)) }
            }
            label2id = pairs
        }
    }

    /// `id2label` with integer keys, or `num_labels` labels named `LABEL_i`.
    private static func labels(_ json: JSONObject, path: String) throws -> [Int: String] {
        guard let raw = json["id2label"] else {
            let count = json["num_labels"] ?? .int(2)
            guard let n = count.int, n >= 0 else {
                throw ModelError("\(path): field 'num_labels' must be a non-negative integer, got \(PythonJSON.dumps(count))")
            }
            // a label name and its dictionary entry take about 64 bytes
            guard n <= Int.max / 64, (try? Tensor.checkAllocation(bytes: n * 64)) != nil else {
                throw ModelError("\(path): field 'num_labels' is \(n), more labels than this machine's memory can hold")
            }
            return Dictionary(uniqueKeysWithValues: (0..<n).map { ($0, "LABEL_\($0)") })
        }
        guard let map = raw.object else { throw ModelError("\(path): field 'id2label' must be an object") }
        var labels = [Int: String]()
        for (key, value) in map {
            guard let id = Int(key), let label = value.string else {
                throw ModelError("\(path): field 'id2label' must map integer keys to label strings, got \(key): \(PythonJSON.dumps(value))")
            }
            labels[id] = label
        }
        return labels
    }

    /// `json` with each attribute-map name (`hidden_size`) replaced by the field it stands for (`dim`), as
    /// transformers' `PretrainedConfig.__setattr__` stores it.
    private static func mappingAttributes(_ json: JSONObject, _ map: [String: String]) -> JSONObject {
        var fields = json
        for (name, field) in map.sorted(by: { $0.key < $1.key }) {
            guard let value = fields[name] else { continue }
            fields[name] = nil
            fields[field] = value
        }
        return fields
    }

    /// The number of labels (`num_labels`).
    public var numLabels: Int { id2label.count }

    /// `config.<key>` as transformers answers it: config.json's value, else the config class's default, else
    /// `PretrainedConfig`'s; an attribute-map name (DistilBERT's `hidden_size`) reads the field it stands for; nil
    /// for a field no config has.
    public func field(_ key: String) -> JSONValue? {
        let key = architecture?.attributeMap[key] ?? key
        return json[key] ?? architecture?.configDefaults[key] ?? ModelConfig.pretrainedDefaults[key]
    }

    /// Every field `field(_:)` answers.
    public var fieldNames: [String] {
        let classKeys = (architecture?.configDefaults.keys ?? []) + (architecture?.attributeMap.keys.sorted() ?? [])
        return Array(Set(json.keys).union(classKeys).union(ModelConfig.pretrainedDefaults.keys)).sorted()
    }

    /// transformers' config class for this `model_type`.
    public var className: String { architecture?.configClass ?? "PretrainedConfig" }

    /// The field `key` (from config.json or the config class's defaults); an error naming it when neither has it.
    private func required(_ key: String) throws -> JSONValue {
        guard let value = field(key) else { throw ModelError("\(path): field '\(key)' is missing") }
        return value
    }

    /// A positive integer field, with an error naming the field when invalid.
    func positiveInt(_ key: String) throws -> Int {
        let raw = try required(key)
        guard let number = raw.int, number > 0 else {
            throw ModelError("\(path): field '\(key)' must be a positive integer, got \(PythonJSON.dumps(raw))")
        }
        return number
    }

    /// A positive number field.
    func positiveDouble(_ key: String) throws -> Double {
        let raw = try required(key)
        guard let number = raw.number, number > 0 else {
            throw ModelError("\(path): field '\(key)' must be a positive number, got \(PythonJSON.dumps(raw))")
        }
        return number
    }

    /// A non-negative integer field that may be null (nil).
    func optionalInt(_ key: String) throws -> Int? {
        let raw = try required(key)
        if raw.isNull { return nil }
        guard let number = raw.int, number >= 0 else {
            throw ModelError("\(path): field '\(key)' must be a non-negative integer or null, got \(PythonJSON.dumps(raw))")
        }
        return number
    }

    /// A probability field (a dropout rate), between 0 and 1 as torch requires.
    func probability(_ key: String) throws -> Double {
        let raw = try required(key)
        guard let number = raw.number, (0...1).contains(number) else {
            throw ModelError("\(path): field '\(key)' must be a probability between 0 and 1, got \(PythonJSON.dumps(raw))")
        }
        return number
    }

    /// A probability field that may be absent or null (nil).
    func optionalProbability(_ key: String) throws -> Double? {
        guard let raw = field(key), !raw.isNull else { return nil }
        return try probability(key)
    }

    /// The activation named by `key`, one sbpl implements.
    func activation(_ key: String) throws -> Activation {
        let raw = try required(key)
        guard let name = raw.string else {
            throw ModelError("\(path): field '\(key)' must name an activation, got \(PythonJSON.dumps(raw))")
        }
        guard let activation = Activation(rawValue: name) else {
            throw ModelError("\(path): field '\(key)' names activation '\(name)'; sbpl has \(Activation.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return activation
    }
}
