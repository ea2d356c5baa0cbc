import Language
import TensorCore

/// `module.load_state_dict(state_dict, strict=True)`: each tensor copied over the module's entry of that name (under
/// no_grad, as torch copies), torch's errors for shapes that differ and, when strict, for missing and unexpected
/// names; returns what torch's `_IncompatibleKeys` holds.
enum StateDictLoading {
    static func load(into entries: [(name: String, tensor: Tensor)], of className: String, _ arguments: Arguments) throws -> Value {
        let a = try arguments.bind("load_state_dict", ["state_dict", "strict", "assign"], required: 1)
        let strict = try a[1]?.isTruthy() ?? true
        let given = try DictMethods.keyValuePairs(a[0]!).map { (try $0.0.asString("state_dict key"), try $0.1.asTensor("state_dict value")) }
        let current = Dictionary(entries.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
        var errors = [String]()
        let previous = GradMode.isEnabled
        GradMode.isEnabled = false
        defer { GradMode.isEnabled = previous }
        for (name, tensor) in given {
            guard let target = current[name] else { continue }
            guard target.shape == tensor.shape else {
                errors.append("size mismatch for \(name): copying a param with shape torch.Size(\(pythonList(tensor.shape))) from checkpoint, the shape in current model is torch.Size(\(pythonList(target.shape))).")
                continue
            }
            try target.copyIn(tensor)
        }
        let givenNames = Set(given.map(\.0))
        let missing = entries.map(\.name).filter { !givenNames.contains($0) }
        let unexpected = given.map(\.0).filter { current[$0] == nil }
        if strict {
            if !unexpected.isEmpty { errors.insert("Unexpected key(s) in state_dict: \(quoted(unexpected)). ", at: 0) }
            if !missing.isEmpty { errors.insert("Missing key(s) in state_dict: \(quoted(missing)). ", at: 0) }
        }
        guard errors.isEmpty else {
            throw PyError(.runtimeError, "Error(s) in loading state_dict for \(className):\n\t" + errors.joined(separator: "\n\t"))
        }
        return .object(IncompatibleKeys(missing: missing, unexpected: unexpected))
    }

    private static func quoted(_ names: [String]) -> String { names.map { "\"\($0)\"" }.joined(separator: ", ") }
}

/// torch's `_IncompatibleKeys(missing_keys=[...], unexpected_keys=[...])`, printed `<All keys matched successfully>`
/// when both are empty.
final class IncompatibleKeys: PyObject {
    let missing: [String], unexpected: [String]

    init(missing: [String], unexpected: [String]) { (self.missing, self.unexpected) = (missing, unexpected) }

    var typeName: String { "_IncompatibleKeys" }
    var repr: String {
        guard !missing.isEmpty || !unexpected.isEmpty else { return "<All keys matched successfully>" }
        return "_IncompatibleKeys(missing_keys=\(Value.list(PyList(missing.map(Value.str))).repr), unexpected_keys=\(Value.list(PyList(unexpected.map(Value.str))).repr))"
    }
    var attributeNames: [String] { ["missing_keys", "unexpected_keys"] }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "missing_keys": .list(PyList(missing.map(Value.str)))
        case "unexpected_keys": .list(PyList(unexpected.map(Value.str)))
        default: nil
        }
    }
}
