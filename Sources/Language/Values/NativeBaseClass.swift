/// A native class a program's class can derive from (`class Net(nn.Module)`): its methods, bound to the program's
/// instances as a class's `def`s are, and the `__init__` that `super().__init__()` runs. Each interpreter makes one
/// class object of it (`Interpreter.nativeClass`), the base in the program's classes' order.
public struct NativeBaseClass: Sendable {
    /// A method's body, given the instance (`self`), the other arguments and the interpreter that runs the program.
    public typealias Body = @Sendable (InstanceObject, Arguments, Interpreter) throws -> Value

    public let name: String
    /// The class's name with its module, as `repr(cls)` shows it: `torch.nn.modules.module.Module`.
    public let qualifiedName: String
    /// The native classes it derives from (`nn.Sequential` from `nn.Module`).
    let bases: [NativeBaseClass]
    let methods: [(name: String, body: Body)]

    public init(_ name: String, qualified: String, bases: [NativeBaseClass] = [], methods: [(name: String, body: Body)]) {
        self.name = name
        self.qualifiedName = qualified
        self.bases = bases
        self.methods = methods
    }

    /// Whether it is the native class `qualifiedName` or derives from it.
    func derives(from qualifiedName: String) -> Bool {
        self.qualifiedName == qualifiedName || bases.contains { $0.derives(from: qualifiedName) }
    }

    /// The methods as a class namespace holds them: builtins bound to the instance.
    var namespace: [String: Value] {
        var namespace = [String: Value]()
        for (methodName, body) in methods {
            let className = name
            let function = BuiltinFunction(methodName, calling: { args, interpreter in
                guard case .object(let instance as InstanceObject)? = args.positional.first else {
                    throw PyError.type("descriptor '\(methodName)' of '\(className)' object needs an argument")
                }
                return try body(instance, Arguments(Array(args.positional.dropFirst()), keywords: args.keywords), interpreter)
            })
            function.isMethod = true
            namespace[methodName] = .object(function)
        }
        return namespace
    }
}

extension Interpreter {
    /// The class object of `base` in this interpreter, made the first time a program names it.
    func nativeClass(_ base: NativeBaseClass) -> ClassObject {
        if let made = nativeClasses[base.qualifiedName] { return made }
        let made = ClassObject(base.name, bases: base.bases.map(nativeClass), exceptionKind: nil, namespace: base.namespace, self,
                               qualifiedName: base.qualifiedName)
        nativeClasses[base.qualifiedName] = made
        return made
    }
}
