import TensorCore

/// `tensor.grad_fn`: the backward function torch records for the operation that made a tensor (sbpl records it and
/// prints it; `backward()` runs it).
final class GradFunctionObject: PyObject {
    let function: GradFunction

    init(_ function: GradFunction) { self.function = function }

    var typeName: String { function.name }
    var repr: String { "<\(function.name) object at \(objectAddress(self))>" }
    var attributeNames: [String] { ["name"] }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        guard name == "name" else { return nil }
        return builtin(name) { [function] args in
            try args.expectNone("name")
            return .str(function.qualifiedName)
        }
    }
}

/// `0x7f...`: where an object lives, as Python's default repr shows it.
public func objectAddress(_ object: AnyObject) -> String {
    "0x" + String(UInt(bitPattern: ObjectIdentifier(object)), radix: 16)
}
