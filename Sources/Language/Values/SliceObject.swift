/// `slice(start, stop, step)`: what `x[a:b]` hands a class's `__getitem__`, and a key itself (`x[slice(1, 3)]`).
final class SliceObject: PyObject {
    let start: Value, stop: Value, step: Value

    init(start: Value, stop: Value, step: Value) {
        (self.start, self.stop, self.step) = (start, stop, step)
    }

    /// `slice(stop)`, `slice(start, stop[, step])`.
    static func made(from arguments: Arguments) throws -> Value {
        try arguments.expectKeywordsNone("slice")
        let a = arguments.positional
        switch a.count {
        case 1: return .object(SliceObject(start: .none, stop: a[0], step: .none))
        case 2, 3: return .object(SliceObject(start: a[0], stop: a[1], step: a.count == 3 ? a[2] : .none))
        default: throw PyError.type(a.isEmpty ? "slice expected at least 1 argument, got 0" : "slice expected at most 3 arguments, got \(a.count)")
        }
    }

    /// The subscript item it stands for.
    var keyItem: KeyItem { .slice(Optional(start).given, Optional(stop).given, Optional(step).given) }

    var typeName: String { "slice" }
    /// Unhashable before Python 3.12, as in the course's Python.
    var isHashable: Bool { false }
    var repr: String { "slice(\(start.repr), \(stop.repr), \(step.repr))" }
    var attributeNames: [String] { ["start", "step", "stop"] }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "start": start
        case "stop": stop
        case "step": step
        default: nil
        }
    }
}
