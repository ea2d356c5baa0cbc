import Language
import TensorCore

/// transformers' `default_data_collator(features, return_tensors="pt")` and `DefaultDataCollator`: examples whose
/// fields already have one length stacked into a dict of tensors, `label` (or `label_ids`) first as `labels` (int64
/// for ints, float32 for floats), None and text fields left out. Chapter 7's question answering batches with it.
final class DefaultCollator: CallableObject {
    static let name = "DefaultDataCollator"

    /// `default_data_collator`, the function.
    static var function: Value {
        .object(BuiltinFunction("default_data_collator") { arguments in
            let a = try arguments.bind("default_data_collator", ["features", "return_tensors"], required: 1)
            try DataCollators.checkTensors(a[1], "default_data_collator")
            return try collate(a[0]!)
        })
    }

    /// The class `DefaultDataCollator(return_tensors="pt")`.
    static var type: Value {
        .object(TypeObject(name, qualified: "transformers.data.data_collator.\(name)") { arguments in
            try DataCollators.checkTensors(try arguments.bind(name, ["return_tensors"])[0], name)
            return .object(DefaultCollator())
        })
    }

    var typeName: String { Self.name }
    var qualifiedTypeName: String? { "transformers.data.data_collator.\(Self.name)" }
    var repr: String { "\(Self.name)(return_tensors='pt')" }

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        let a = try arguments.bind(Self.name, ["features", "return_tensors"], required: 1)
        try DataCollators.checkTensors(a[1], Self.name)
        return try Self.collate(a[0]!)
    }

    /// The batch of `features`, a list of dicts.
    private static func collate(_ features: Value) throws -> Value {
        let examples = try CollatorExample.all(features, collator: "default_data_collator")
        guard let first = examples.first else { throw PyError.index("list index out of range") }
        let batch = PyDict()
        for key in ["label", "label_ids"] {
            guard let label = first[key].given else { continue }
            // transformers: int64 for an int label (a 0-d tensor's item) or label_ids of ints, float32 otherwise
            let sample = key == "label_ids" ? (try Iteration.materialize(label).first ?? .int(0)) : label
            let dtype: DType = switch sample {
            case .int, .bool: .int64
            case .tensor(let t) where t.rank == 0 && t.dtype.isInteger: .int64
            default: .float32
            }
            try batch.set(.str("labels"), .tensor(try TorchModule.tensor(from: .list(PyList(examples.map { $0[key] ?? .none })), dtype: dtype)))
            break
        }
        for key in first.keys where key != "label" && key != "label_ids" {
            guard let value = first[key].given else { continue }
            if case .str = value { continue }
            try batch.set(.str(key), .tensor(try TorchModule.tensor(from: .list(PyList(examples.map { $0[key] ?? .none })), dtype: nil)))
        }
        return .dict(batch)
    }
}
