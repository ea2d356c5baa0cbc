import BigInt
import TensorCore

/// A subscript's evaluated items: values, or slices with evaluated bounds.
enum KeyItem {
    case value(Value)
    case slice(Value?, Value?, Value?)

    /// Whether it is an int (or bool) index.
    var isIndex: Bool {
        guard case .value(let v) = self else { return false }
        return v.exactInteger != nil
    }
}

extension Interpreter {
    func evaluate(_ e: Expr, _ env: Environment) throws -> Value {
        switch e.kind {
        case .name(let name):
            guard let value = try env.resolve(name) ?? lazyBuiltin(name) else { throw undefinedName(name, env).at(e.location) }
            return value
        case .smallInt(let v): return .int(v)
        case .int(let v): return .integer(v)
        case .float(let v): return .float(v)
        case .string(let s): return .str(s)
        case .fstring(let parts): return .str(try format(parts, env))
        case .none: return .none
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .ellipsis: return .object(EllipsisObject.shared)
        case .list(let items): return .list(PyList(try evaluateItems(items, env)))
        case .tuple(let items): return .tuple(try evaluateItems(items, env))
        case .dict(let entries):
            let dict = PyDict()
            for entry in entries {
                if let key = entry.key {
                    try dict.set(try evaluate(key, env), try evaluate(entry.value, env))
                } else {
                    for (k, v) in try Iteration.mappingItems(try evaluate(entry.value, env)) { try dict.set(k, v) }
                }
            }
            return .dict(dict)
        case .listComprehension(let element, let clauses):
            var out = [Value]()
            try comprehend(clauses, env) { out.append(try evaluate(element, $0)) }
            return .list(PyList(out))
        case .generatorExpression(let element, let clauses):
            let first = try evaluate(clauses[0].iterable, env)
            return .object(GeneratorObject(try ComprehensionWalk(clauses, first: first, in: env, self), element: element))
        case .set(let items):
            let values = try evaluateItems(items, env)
            return .object(try locate(e.location) {
                // CPython compiles a display of more than two constants as a frozenset constant merged into a new
                // set, which lays the elements out as set_merge does
                guard items.count > 2, items.allSatisfy(\.isConstant) else { return try PySet(values) }
                let set = PySet()
                try set.update(.object(try PySet(values, frozen: true)))
                return set
            })
        case .setComprehension(let element, let clauses):
            let set = PySet()
            try comprehend(clauses, env) { item in try locate(e.location) { try set.add(try evaluate(element, item)) } }
            return .object(set)
        case .dictComprehension(let key, let value, let clauses):
            let dict = PyDict()
            try comprehend(clauses, env) { try dict.set(try evaluate(key, $0), try evaluate(value, $0)) }
            return .dict(dict)
        case .unary(let op, let operand):
            let value = try evaluate(operand, env)
            return try locate(e.location) { try Operators.unary(op, value) }
        case .binary(let op, let l, let r):
            let (left, right) = (try evaluate(l, env), try evaluate(r, env))
            return try locate(e.location) { try Operators.binary(op, left, right) }
        case .logical(let op, let l, let r):
            let left = try evaluate(l, env)
            return try left.isTruthy() == (op == .or) ? left : try evaluate(r, env)
        case .compare(let first, let rest):
            var left = try evaluate(first, env), result = Value.bool(true)
            for (op, rhs) in rest {
                let right = try evaluate(rhs, env)
                // a comparison with a tensor is a tensor, an instance's is what its method returns; in a chain,
                // the first falsy link is the value
                if let rich = try locate(e.location, { try Operators.tensorCompare(op, left, right) ?? SpecialMethods.compare(op, left, right) }) {
                    let truthy = try rest.count == 1 || locate(e.location, { try rich.isTruthy() })
                    guard truthy else { return rich }
                    result = rich
                } else {
                    guard try locate(e.location, { try Operators.compare(op, left, right) }) else { return .bool(false) }
                    result = .bool(true)
                }
                left = right
            }
            return result
        case .conditional(let test, let then, let otherwise):
            return try evaluate(test, env).isTruthy() ? try evaluate(then, env) : try evaluate(otherwise, env)
        case .lambda(let parameters, let body):
            return .object(UserFunction(name: "<lambda>", parameters: try evaluateDefaults(parameters, env), body: .expression(body), closure: env.closureScope))
        case .call(let calleeExpr, let argumentExprs):
            let callee = try evaluate(calleeExpr, env)
            let arguments = try evaluateArguments(argumentExprs, env)
            if case .object(let builtin as ScopeReading) = callee { return try locate(e.location) { try builtin.call(arguments, from: env, self) } }
            return try locate(e.location) { try call(callee, arguments) }
        case .attribute(let objectExpr, let name):
            let object = try evaluate(objectExpr, env)
            return try locate(e.location) {
                guard let value = try attribute(object, name) else { throw PyError.missingAttribute(object, name) }
                return value
            }
        case .subscript(let objectExpr, let items):
            let object = try evaluate(objectExpr, env)
            if items.count == 1, case .index(let indexExpr) = items[0] {  // `x[i]`, `d[k]`: the common case, no key array
                let index = try evaluate(indexExpr, env)
                if let item = Subscripts.plainItem(object, index) { return item }
                return try locate(e.location) { try Subscripts.get(object, [Self.keyItem(index)], interpreter: self) }
            }
            let key = try subscriptKey(items, env)
            return try locate(e.location) { try Subscripts.get(object, key, interpreter: self) }
        case .namedExpr(let name, let valueExpr):
            let value = try evaluate(valueExpr, env)
            var scope = env   // in a comprehension, `:=` binds in the scope that holds the comprehension
            while scope.isComprehension, let parent = scope.parent { scope = parent }
            try bind(name, value, scope)
            return value
        case .starred:
            throw PyError.syntax("can't use starred expression here", at: e.location)
        case .yield(let valueExpr):
            let value = try valueExpr.map { try evaluate($0, env) } ?? .none
            return try runningGenerator(env, e.location).yield(value)
        case .yieldFrom(let iterableExpr):
            let iterable = try evaluate(iterableExpr, env)
            return try yieldFrom(iterable, to: try runningGenerator(env, e.location))
        }
    }

    private func evaluateItems(_ items: [Expr], _ env: Environment) throws -> [Value] {
        var out = [Value]()
        for item in items {
            if case .starred(let inner) = item.kind {
                out += try Iteration.materialize(try evaluate(inner, env))
            } else {
                out.append(try evaluate(item, env))
            }
        }
        return out
    }

    /// A subscript's value as a key: a `slice(...)` object as the slice it stands for.
    private static func keyItem(_ value: Value) -> KeyItem {
        if case .object(let slice as SliceObject) = value { return slice.keyItem }
        return .value(value)
    }

    func subscriptKey(_ items: [SliceItem], _ env: Environment) throws -> [KeyItem] {
        try items.map { item in
            switch item {
            case .index(let e): return Self.keyItem(try evaluate(e, env))
            case .slice(let a, let b, let c):
                return .slice(try a.map { try evaluate($0, env) }, try b.map { try evaluate($0, env) }, try c.map { try evaluate($0, env) })
            }
        }
    }

    /// Runs `body` in the comprehension's scope for each binding of its clauses.
    private func comprehend(_ clauses: [Comprehension], _ env: Environment, _ body: (Environment) throws -> Void) throws {
        let walk = try ComprehensionWalk(clauses, first: try evaluate(clauses[0].iterable, env), in: env, self)
        while try walk.advance() { try body(walk.scope) }
    }

    /// The generator a `yield` at `location` hands its value to.
    private func runningGenerator(_ env: Environment, _ location: SourceLocation) throws -> GeneratorThread {
        guard let generator = env.enclosingGenerator() else { throw PyError.syntax("'yield' outside function", at: location) }
        return generator
    }

    private func evaluateArguments(_ expressions: [Argument], _ env: Environment) throws -> Arguments {
        var arguments = Arguments()
        for argument in expressions {
            switch argument {
            case .positional(let e): arguments.positional.append(try evaluate(e, env))
            case .keyword(let name, let e):
                guard !arguments.keywords.contains(where: { $0.name == name }) else {
                    throw PyError.syntax("keyword argument repeated: \(name)", at: e.location)
                }
                arguments.keywords.append((name, try evaluate(e, env)))
            case .unpack(let e): arguments.positional += try Iteration.materialize(try evaluate(e, env))
            case .unpackMapping(let e):
                for (key, value) in try Iteration.mappingItems(try evaluate(e, env)) {
                    guard case .str(let name) = key else { throw PyError.type("keywords must be strings") }
                    arguments.keywords.append((name, value))
                }
            }
        }
        return arguments
    }

    /// Calls any callable value.
    public func call(_ callee: Value, _ arguments: Arguments) throws -> Value {
        if case .object(let object) = callee, let result = try object.call(arguments, self) { return result }
        throw PyError.type("'\(callee.typeName)' object is not callable")
    }

    /// `getattr(value, name)`, or nil when the value has no such attribute.
    public func attribute(_ value: Value, _ name: String) throws -> Value? {
        let found = if case .object(let object) = value { try object.attribute(name, self) } else { try Attributes.lookup(value, name, self) }
        return found ?? (name == "__class__" ? Builtins.type(of: value) : nil)
    }

    /// `value.name = new` and `setattr(value, name, new)`: CPython's AttributeError where the type has no such
    /// attribute to set, or has it read-only.
    func setAttribute(_ value: Value, _ name: String, _ new: Value) throws {
        if case .object(let object as AttributeSettable) = value, try object.setAttribute(name, new) { return }
        if case .tensor(let tensor) = value, try TensorMethods.setAttribute(tensor, name, new) { return }
        throw unchangeable(value, name)
    }

    /// `del value.name` and `delattr(value, name)`.
    func deleteAttribute(_ value: Value, _ name: String) throws {
        if case .object(let object as AttributeSettable) = value, try object.deleteAttribute(name) { return }
        throw unchangeable(value, name)
    }

    /// CPython's AttributeError for an attribute that cannot be set or deleted: one the type does not have, or has
    /// read-only.
    private func unchangeable(_ value: Value, _ name: String) -> PyError {
        guard (try? attribute(value, name)) != nil else { return .missingAttribute(value, name) }
        return PyError(.attributeError, "'\(value.typeName)' object attribute '\(name)' is read-only")
    }

    private func format(_ parts: [FStringPart], _ env: Environment) throws -> String {
        var out = ""
        for part in parts {
            switch part {
            case .text(let t): out += t
            case .value(let e, let conversion, let specParts):
                let value = try locate(e.location) { try FormatSpec.converted(try evaluate(e, env), conversion) }
                let spec = try format(specParts, env)
                out += try locate(e.location) { try FormatSpec.format(value, spec) }
            }
        }
        return out
    }
}

extension PyError {
    func at(_ location: SourceLocation) -> PyError {
        var copy = self
        if copy.location == nil { copy.location = location }
        return copy
    }
}

/// `...` as a value.
final class EllipsisObject: PyObject {
    nonisolated(unsafe) static let shared = EllipsisObject()
    var typeName: String { "ellipsis" }
    var repr: String { "Ellipsis" }
}

extension Interpreter {
    /// The NameError for `name`, with CPython's suggestion of a close name in scope.
    func undefinedName(_ name: String, _ env: Environment) -> PyError {
        var error = PyError.name(name)
        var scopes = [[String]](), scope: Environment? = env
        while let current = scope, current !== globals, current !== builtins {
            scopes.append(Array(current.values.keys))
            scope = current.parent
        }
        scopes += [Array(globals.values.keys), Array(builtins.values.keys) + Array(lazyBuiltins.keys)]
        error.suggestion = NameSuggestions.suggestion(for: name, in: scopes)
        return error
    }
}
