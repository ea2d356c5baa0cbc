/// The special methods (`__add__`, `__radd__`, `__iadd__`, `__lt__`, `__neg__`, ...) through which the operators
/// reach the program's instances, tried in CPython's order: a method that is missing or returns `NotImplemented`
/// passes the turn to the next; when none answers, the operator's own TypeError stands.
enum SpecialMethods {
    /// The stem of each arithmetic operator's methods: `+` is `__add__`, reflected `__radd__`, in place `__iadd__`.
    private static let binaryStems: [BinaryOperator: String] = [
        .add: "add", .subtract: "sub", .multiply: "mul", .divide: "truediv", .floorDivide: "floordiv", .modulo: "mod",
        .power: "pow", .matrixMultiply: "matmul", .bitAnd: "and", .bitOr: "or", .bitXor: "xor", .leftShift: "lshift",
        .rightShift: "rshift",
    ]

    /// Each comparison's method and the one the right operand is asked with its operands swapped (`a < b` is `b > a`).
    private static let comparisons: [ComparisonOperator: (forward: String, reflected: String)] = [
        .equal: ("__eq__", "__eq__"), .notEqual: ("__ne__", "__ne__"), .less: ("__lt__", "__gt__"),
        .lessOrEqual: ("__le__", "__ge__"), .greater: ("__gt__", "__lt__"), .greaterOrEqual: ("__ge__", "__le__"),
    ]

    private static let unaryNames: [UnaryOperator: String] = [.negate: "__neg__", .plus: "__pos__", .invert: "__invert__"]

    /// `l op r` (`l op= r` when `inPlace`) when an operand is an instance: `__iop__`, then `__op__`, then the right
    /// operand's `__rop__` (first, when its class derives from the left's and overrides it). Nil when no method
    /// answers.
    static func binary(_ op: BinaryOperator, _ l: Value, _ r: Value, inPlace: Bool) throws -> Value? {
        guard l.instance != nil || r.instance != nil, let stem = binaryStems[op] else { return nil }
        if inPlace, let result = try call(l, "__i\(stem)__", r) { return result }
        return try dispatch(l, r, forward: "__\(stem)__", reflected: "__r\(stem)__", comparing: false)
    }

    /// `l op r` for the six comparisons when an operand is an instance, whatever value the method returns; nil
    /// when neither is an instance. `==` and `!=` fall back to identity; an ordering no method answers is a TypeError.
    static func compare(_ op: ComparisonOperator, _ l: Value, _ r: Value) throws -> Value? {
        guard l.instance != nil || r.instance != nil, let names = comparisons[op] else { return nil }
        if let result = try dispatch(l, r, forward: names.forward, reflected: names.reflected, comparing: true) { return result }
        switch op {
        case .equal: return .bool(Operators.identical(l, r))
        case .notEqual: return .bool(!Operators.identical(l, r))
        default: throw PyError.type("'\(op.rawValue)' not supported between instances of '\(l.typeName)' and '\(r.typeName)'")
        }
    }

    /// `-x`, `+x`, `~x` on an instance; nil when it is none or defines no such method.
    static func unary(_ op: UnaryOperator, _ v: Value) throws -> Value? {
        guard let instance = v.instance, let name = unaryNames[op] else { return nil }
        return try instance.callSpecial(name)
    }

    /// The forward call, then the reflected one, as CPython orders them: the reflected one first when the right
    /// operand's class derives from the left's (for arithmetic, only when it overrides the method), and for
    /// arithmetic not at all between instances of one class.
    private static func dispatch(_ l: Value, _ r: Value, forward: String, reflected: String, comparing: Bool) throws -> Value? {
        let (left, right) = (l.instance?.cls, r.instance?.cls)
        let sameClass = left != nil && left === right
        if !sameClass, let left, let right, right.isSubclass(of: left), comparing || overrides(right, left, reflected),
           let result = try call(r, reflected, l) {
            return result
        }
        if let result = try call(l, forward, r) { return result }
        guard comparing || !sameClass else { return nil }
        return try call(r, reflected, l)
    }

    /// Whether `cls` binds `name` otherwise than its base `base` does.
    private static func overrides(_ cls: ClassObject, _ base: ClassObject, _ name: String) -> Bool {
        guard let own = cls.lookup(name) else { return false }
        return base.lookup(name).map { !Operators.identical(own, $0) } ?? true
    }

    /// `receiver.name(argument)` when the receiver is an instance whose class has the method and it does not return
    /// `NotImplemented`. `__ne__` a class lacks is `__eq__`'s negation, as `object.__ne__` is.
    private static func call(_ receiver: Value, _ name: String, _ argument: Value) throws -> Value? {
        guard let instance = receiver.instance else { return nil }
        if name == "__ne__", instance.cls.lookup(name) == nil {
            return try call(receiver, "__eq__", argument).map { .bool(!(try $0.isTruthy())) }
        }
        guard let result = try instance.callSpecial(name, Arguments([argument])) else { return nil }
        if case .object(_ as NotImplementedObject) = result { return nil }
        return result
    }
}

/// `NotImplemented`: what a special method returns to let the other operand's method answer.
final class NotImplementedObject: PyObject, Sendable {
    static let shared = NotImplementedObject()
    var typeName: String { "NotImplementedType" }
    var repr: String { "NotImplemented" }
}

extension Value {
    /// `str(x)` as the builtins take it: what a program's `__str__` (or `__repr__`, also of an item of a list,
    /// tuple or dict) raises is raised (the `str` property shows the default repr then).
    func checkedStr() throws -> String {
        switch self {
        case .list, .tuple, .dict: return try checkedRepr()
        case .object(let instance as InstanceObject): return try instance.text("__str__") ?? instance.text("__repr__") ?? str
        default: return str
        }
    }

    /// The program's instance this value is, if it is one.
    var instance: InstanceObject? {
        guard case .object(let instance as InstanceObject) = self else { return nil }
        return instance
    }
}
