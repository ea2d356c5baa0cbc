import BigInt
import Foundation
import TensorCore

/// Python's built-in functions and types, installed in the environment that encloses the globals.
enum Builtins {
    static func install(into env: Environment, _ interpreter: Interpreter) {
        func define(_ name: String, _ body: @escaping (Arguments) throws -> Value) {
            env.define(name, .object(BuiltinFunction(name, body)))
        }
        for type in TypeObject.constructible { env.define(type.name, .object(type)) }
        for type in ExceptionType.builtins { env.define(type.kind.rawValue, .object(type)) }
        for (name, body) in IntegerBuiltins.functions { define(name, body) }
        ClassBuiltins.install(into: env)
        define("map") { try LazyIterator.map($0, interpreter) }
        define("filter") { try LazyIterator.filter($0, interpreter) }
        define("zip", LazyIterator.zip)
        define("enumerate", LazyIterator.enumerate)
        define("reversed", LazyIterator.reversed)
        for name in ["exit", "quit"] {
            define(name) { args in
                let code = try args.bind(name, ["code"])[0] ?? .none
                throw PyError.systemExit(code)
            }
        }
        define("print") { args in
            let a = try Arguments([], keywords: args.keywords).bind("print", ["sep", "end", "file", "flush"])
            let sep = try a[0].flatMap { if case .none = $0 { return nil }; return try $0.asString("sep") } ?? " "
            let end = try a[1].flatMap { if case .none = $0 { return nil }; return try $0.asString("end") } ?? "\n"
            let text = try args.positional.map { try $0.checkedStr() }.joined(separator: sep) + end
            guard let file = a[2].given else {
                try interpreter.writeOutput(text)
                return .none
            }
            guard let write = try interpreter.attribute(file, "write") else {
                throw PyError.missingAttribute(file, "write")
            }
            _ = try interpreter.call(write, Arguments([.str(text)]))
            return .none
        }
        define("input") { args in
            let prompt = try args.bind("input", ["prompt"])[0].map { try $0.checkedStr() } ?? ""
            guard let line = interpreter.readLine(prompt: prompt) else { throw PyError(.eofError, "EOF when reading a line") }
            return .str(line)
        }
        define("len") { .int(try Iteration.length(try $0.bind("len", ["obj"], required: 1)[0]!)) }
        define("range") { args in
            let ints = try args.positional.map { try $0.asIndex() }
            try args.expectKeywordsNone("range")
            switch ints.count {
            case 1: return .object(try RangeObject(start: 0, stop: ints[0], step: 1))
            case 2: return .object(try RangeObject(start: ints[0], stop: ints[1], step: 1))
            case 3: return .object(try RangeObject(start: ints[0], stop: ints[1], step: ints[2]))
            default: throw PyError.type("range expected at most 3 arguments, got \(ints.count)")
            }
        }
        define("repr") { .str(try $0.bind("repr", ["obj"], required: 1)[0]!.checkedRepr()) }
        define("format") { args in
            let a = try args.bind("format", ["value", "format_spec"], required: 1)
            return .str(try FormatSpec.format(a[0]!, try a[1]?.asString("format_spec") ?? ""))
        }
        define("abs") { args in
            let x = try args.bind("abs", ["x"], required: 1)[0]!
            if let result = try x.instance?.callSpecial("__abs__") { return result }
            switch x {
            case .int(let i): return .integer(BigInt(i.magnitude))
            case .bigInt(let i): return .integer(BigInt(i.magnitude))
            case .float(let f): return .float(Swift.abs(f))
            case .bool(let b): return .int(b ? 1 : 0)
            case .tensor(let t): return .tensor(t.abs())
            case .object(let scalar as NumpyFloat32): return .object(NumpyFloat32(Swift.abs(scalar.value)))
            case .object(let scalar as NumpyInt64): return .object(NumpyInt64(scalar.value < 0 ? 0 &- scalar.value : scalar.value))
            case .object(let scalar as NumpyFloat64): return .object(NumpyFloat64(Swift.abs(scalar.value)))
            case .object(let array as NDArrayObject): return .object(NDArrayObject(array.tensor.abs()))
            default: throw PyError.type("bad operand type for abs(): '\(x.typeName)'")
            }
        }
        define("round") { args in
            let a = try args.bind("round", ["number", "ndigits"], required: 1)
            return try round(a[0]!, a[1])
        }
        define("min") { try extremum("min", $0, interpreter) }
        define("max") { try extremum("max", $0, interpreter) }
        define("sum") { args in
            let a = try args.bind("sum", ["iterable", "start"], required: 1)
            return try Iteration.materialize(a[0]!).reduce(a[1] ?? .int(0)) { try Operators.binary(.add, $0, $1) }
        }
        define("sorted") { args in
            let a = try args.bind("sorted", ["iterable", "key", "reverse"], required: 1)
            return .list(PyList(try sorted(try Iteration.materialize(a[0]!), key: a[1], reverse: try a[2]?.isTruthy() ?? false, interpreter)))
        }
        define("any") { args in   // up to the first true item, as Python takes them (an endless generator ends)
            var found = false
            try Iteration.forEach(try args.bind("any", ["iterable"], required: 1)[0]!) { found = try $0.isTruthy(); return !found }
            return .bool(found)
        }
        define("all") { args in
            var holds = true
            try Iteration.forEach(try args.bind("all", ["iterable"], required: 1)[0]!) { holds = try $0.isTruthy(); return holds }
            return .bool(holds)
        }
        define("isinstance") { args in
            let a = try args.bind("isinstance", ["obj", "class_or_tuple"], required: 2)
            return .bool(try Self.isInstance(a[0]!, a[1]!))
        }
        define("type") { args in Self.type(of: try args.bind("type", ["object"], required: 1)[0]!) }
        define("open") { args in
            let a = try args.bind("open", ["file", "mode", "buffering", "encoding", "errors", "newline"], required: 1)
            return .object(try TextFileObject(path: try a[0]!.asPath(), mode: try a[1]?.asString("mode") ?? "r"))
        }
        define("vars") { args in
            guard let object = try args.bind("vars", ["object"])[0] else { throw PyError.notImplemented("vars() without an argument") }
            guard case .object(let instance as InstanceObject) = object else { throw PyError.type("vars() argument must have __dict__ attribute") }
            return .dict(instance.attributes)
        }
        define("id") { args in
            let value = try args.bind("id", ["obj"], required: 1)[0]!
            let identity: AnyObject? = switch value {
            case .list(let list): list
            case .dict(let dict): dict
            case .object(let object): object
            default: nil
            }
            // a value without identity in sbpl (a number, a string, a tuple): equal values share one
            return .int(identity.map { Int(bitPattern: ObjectIdentifier($0)) } ?? (try? PythonHash.of(value)) ?? 0)
        }
        define("hash") { args in .int(try PythonHash.of(try args.bind("hash", ["obj"], required: 1)[0]!)) }
        define("callable") { args in
            let value = try args.bind("callable", ["obj"], required: 1)[0]!
            guard case .object(let object) = value else { return .bool(false) }
            return .bool(object.isCallable)
        }
        define("iter") { args in
            .object(try Iteration.iterator(try args.bind("iter", ["object"], required: 1)[0]!))
        }
        define("next") { args in
            let a = try args.bind("next", ["iterator", "default"], required: 1)
            if case .object(let instance as InstanceObject) = a[0]!, instance.cls.lookup("__next__") != nil {   // the program's iterator
                do { return try instance.callSpecial("__next__")! } catch let error as PyError where error.kind == .stopIteration && a[1] != nil {
                    return a[1]!
                }
            }
            guard case .object(let iterator as PythonIterator) = a[0]! else {
                throw PyError.type("'\(a[0]!.typeName)' object is not an iterator")
            }
            if let item = try iterator.next() { return item }
            if let fallback = a[1] { return fallback }
            throw PyError.stopIteration((iterator as? GeneratorObject)?.returned ?? .none)
        }
        // the attribute as `hasattr` and a `getattr` with a default see it: nil when missing or raising AttributeError
        func attributeIfAny(_ object: Value, _ name: Value) throws -> Value? {
            do {
                return try interpreter.attribute(object, try name.asString("attribute name"))
            } catch let error as PyError where error.kind == .attributeError {
                return nil
            }
        }
        define("hasattr") { args in
            let a = try args.bind("hasattr", ["obj", "name"], required: 2)
            return .bool(try attributeIfAny(a[0]!, a[1]!) != nil)
        }
        define("getattr") { args in
            let a = try args.bind("getattr", ["object", "name", "default"], required: 2)
            if let d = a[2] { return try attributeIfAny(a[0]!, a[1]!) ?? d }
            if let v = try interpreter.attribute(a[0]!, try a[1]!.asString("attribute name")) { return v }
            throw PyError.missingAttribute(a[0]!, try a[1]!.asString("attribute name"))
        }
        define("setattr") { args in
            let a = try args.bind("setattr", ["obj", "name", "value"], required: 3)
            try interpreter.setAttribute(a[0]!, try attributeName(a[1]!), a[2]!)
            return .none
        }
        define("delattr") { args in
            let a = try args.bind("delattr", ["obj", "name"], required: 2)
            try interpreter.deleteAttribute(a[0]!, try attributeName(a[1]!))
            return .none
        }
        define("ascii") { args in .str(asciiEscaped(try args.bind("ascii", ["obj"], required: 1)[0]!.checkedRepr())) }
        define("dir") { args in
            let a = try args.bind("dir", ["object"])
            let names = a[0].map { Attributes.names($0) } ?? Array(interpreter.globals.values.keys)
            return .list(PyList(names.sorted().map(Value.str)))
        }
        define("help") { args in
            interpreter.write(Help.describe(try args.bind("help", ["request"])[0], interpreter) + "\n")
            return .none
        }
        define("softmax") { args in
            let a = try args.bind("softmax", ["input", "dim"], required: 1)
            return .tensor(try a[0]!.asTensor("softmax() input").softmax(dim: try a[1]?.asInt("dim") ?? -1))
        }
    }

    /// The name `setattr`, `delattr` and `object.__setattr__` take: a str.
    static func attributeName(_ name: Value) throws -> String {
        guard case .str(let s) = name else { throw PyError.type("attribute name must be string, not '\(name.typeName)'") }
        return s
    }

    /// `ascii(x)`: the repr with each non-ASCII code point escaped (`\xe9`, `\u2713`, `\U0001f600`).
    static func asciiEscaped(_ repr: String) -> String {
        var out = ""
        for c in repr.unicodeScalars {
            if c.isASCII { out.unicodeScalars.append(c) } else { out += PythonCharacters.escaped(c) }
        }
        return out
    }

    static func round(_ number: Value, _ ndigits: Value?) throws -> Value {
        switch number {
        case .int, .bigInt, .bool, .float: break
        case .tensor(let t) where t.count == 1: return try round(Value(try t.item()), ndigits)
        case .object(let scalar as RealScalarObject): return try round(.float(scalar.doubleValue), ndigits)
        default: throw PyError.type("type \(number.typeName) doesn't define __round__ method")
        }
        let digits: Int? = try ndigits.flatMap { n in
            switch n {
            case .none: nil
            case .bigInt(let big): Int(clamping: big)  // CPython clamps it (PyNumber_AsSsize_t without an error)
            default: try n.asIndex()
            }
        }
        guard case .float(let f) = number else { return IntArithmetic.round(number.exactInteger!, digits: digits ?? 0) }
        guard let n = digits else { return try IntArithmetic.truncating(f.rounded(.toNearestOrEven)) }
        return .float(try roundFloat(f, digits: n))
    }

    /// `round(f, n)` as CPython's `float.__round__`: correctly rounded for n >= 0 (through the shortest decimal
    /// text), to a multiple of 10**-n for n < 0; 0.0 (with f's sign) once 10**-n passes the float range.
    private static func roundFloat(_ f: Double, digits n: Int) throws -> Double {
        guard f.isFinite, f != 0 else { return f }
        if n >= 0 {
            guard n <= 323 else { return f }
            return Double(String(format: "%.\(n)f", f)) ?? f
        }
        let power = Foundation.pow(10.0, -Double(n))
        guard power.isFinite else { return 0 * f }
        let rounded = (f / power).rounded(.toNearestOrEven) * power
        guard rounded.isFinite else { throw PyError(.overflowError, "rounded value too large to represent") }
        return rounded
    }

    private static func extremum(_ name: String, _ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        var keyFunction: Value?, fallback: Value?
        for (k, v) in args.keywords {
            switch k {
            case "key": keyFunction = v
            case "default": fallback = v
            default: throw PyError.type("\(name)() got an unexpected keyword argument '\(k)'")
            }
        }
        let items = args.positional.count == 1 ? try Iteration.materialize(args.positional[0]) : args.positional
        guard !items.isEmpty else {
            if let fallback { return fallback }
            if args.positional.isEmpty { throw PyError.type("\(name) expected at least 1 argument, got 0") }
            throw PyError.value("\(name)() arg is an empty sequence")
        }
        var best = items[0]
        var bestKey = try keyFunction.map { try interpreter.call($0, Arguments([best])) } ?? best
        for item in items.dropFirst() {
            let k = try keyFunction.map { try interpreter.call($0, Arguments([item])) } ?? item
            let c = try Operators.ordering(k, bestKey, name == "min" ? .less : .greater)  // CPython's item < best / item > best
            if name == "min" ? c < 0 : c > 0 { (best, bestKey) = (item, k) }
        }
        return best
    }

    /// A stable sort by `key`, as `sorted` does.
    static func sorted(_ items: [Value], key: Value?, reverse: Bool, _ interpreter: Interpreter) throws -> [Value] {
        let keyed = try items.map { item -> (Value, Value) in
            if let key, !(key.typeName == "NoneType") { return (try interpreter.call(key, Arguments([item])), item) }
            return (item, item)
        }
        var failure: Error?
        let order = keyed.indices.sorted { a, b in
            do {
                // reversed, b's key < a's puts a first, so equal keys keep their order as CPython's sort does
                let (x, y) = reverse ? (keyed[b].0, keyed[a].0) : (keyed[a].0, keyed[b].0)
                let c = try Operators.ordering(x, y)
                if c != 0 { return c < 0 }
                // an instance answers only whether x < y; y < x tells it from equal
                return try Operators.ordering(y, x) < 0 ? false : a < b
            } catch { failure = failure ?? error; return a < b }
        }
        if let failure { throw failure }
        return order.map { keyed[$0].1 }
    }

    /// `type(value)`, also `value.__class__`: a program's class, a named tuple's type, else the builtin type.
    static func type(of value: Value) -> Value {
        if case .object(let instance as InstanceObject) = value { return .object(instance.cls) }
        if case .object(let named as NamedTuple) = value, let type = named.type { return .object(type) }
        return .object(TypeObject.of(value))
    }

    /// `isinstance(value, cls)`, `cls` a class, a tuple of them, or a union (`int | None`, `Optional[int]`).
    static func isInstance(_ value: Value, _ cls: Value) throws -> Bool {
        if case .tuple(let classes) = cls { return try classes.contains { try isInstance(value, $0) } }
        if let isInstance = ClassBuiltins.isInstance(value, cls) { return isInstance }
        switch cls {
        case .object(let t as ExceptionType):
            guard case .object(let e as ExceptionObject) = value else { return false }
            return e.kind.isSubclass(of: t.kind)
        case .object(let hint as TypeHint): return try hint.isInstance(value, isInstance)
        case .object(let type as NamedTupleType):
            guard case .object(let named as NamedTuple) = value else { return false }
            return named.type === type
        case .object(let t as TypeObject):
            if let instanceCheck = t.instanceCheck { return instanceCheck(value) }
            if case .dict = value, t.name == "dict" { return true }  // Counter, defaultdict, OrderedDict too
            if case .object(_ as NamedTuple) = value, t.name == "tuple" { return true }  // torch's return types too
            return t.name == value.typeName || (t.name == "int" && value.typeName == "bool")
        default: throw PyError.type("isinstance() arg 2 must be a type, a tuple of types, or a union")
        }
    }
}

extension Arguments {
    func expectKeywordsNone(_ function: String) throws {
        if let k = keywords.first { throw PyError.type("\(function)() takes no keyword arguments (got '\(k.name)')") }
    }
}
