import OrderedCollections

/// `functools`: `reduce`, `partial`, and the caches `lru_cache` and `cache`.
enum FunctoolsModule {
    static func make() -> PythonModule {
        PythonModule("functools", [
            "reduce": .object(BuiltinFunction("reduce", calling: reduce)),
            "partial": builtin("partial") { args in
                var rest = args
                guard !rest.positional.isEmpty else { throw PyError.type("type 'partial' takes at least one argument") }
                let function = rest.positional.removeFirst()
                guard case .object(let f) = function, f.isCallable else { throw PyError.type("the first argument must be callable") }
                return .object(Partial(function, rest))
            },
            "lru_cache": builtin("lru_cache") { args in
                let a = try args.bind("lru_cache", ["maxsize", "typed"])
                // `@lru_cache` on the function itself, or `@lru_cache(maxsize=...)` making the decorator
                if case .object(let f)? = a[0], f.isCallable { return .object(CachedFunction(a[0]!, maxSize: 128)) }
                let maxSize: Int?
                switch a[0] {
                case nil: maxSize = 128
                case .none?: maxSize = nil
                case let size?:
                    guard size.exactInteger != nil else { throw PyError.type("Expected first argument to be an integer, a callable, or None") }
                    maxSize = Swift.max(0, try size.asInt("maxsize"))
                }
                return builtin("decorating_function") { .object(CachedFunction(try $0.bind("decorating_function", ["user_function"], required: 1)[0]!, maxSize: maxSize)) }
            },
            "cache": builtin("cache") { .object(CachedFunction(try $0.bind("cache", ["user_function"], required: 1)[0]!, maxSize: nil)) },
            "wraps": .object(BuiltinFunction("wraps", calling: wraps)),
        ], planned: ["cmp_to_key", "total_ordering", "cached_property", "singledispatch", "partialmethod", "update_wrapper"])
    }

    /// `wraps(wrapped)`: a decorator that gives its wrapper `wrapped`'s `__module__`, `__name__`, `__qualname__` and
    /// `__doc__`, and `__wrapped__`, as `update_wrapper` does.
    private static func wraps(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        let wrapped = try args.bind("wraps", ["wrapped", "assigned", "updated"], required: 1)[0]!
        return .object(BuiltinFunction("update_wrapper", calling: { args, interpreter in
            let wrapper = try args.bind("update_wrapper", ["wrapper"], required: 1)[0]!
            guard case .object(let settable as AttributeSettable) = wrapper else { return wrapper }
            for name in ["__module__", "__name__", "__qualname__", "__doc__"] {
                if let value = try? interpreter.attribute(wrapped, name) { _ = try settable.setAttribute(name, value) }
            }
            _ = try settable.setAttribute("__wrapped__", wrapped)
            return wrapper
        }))
    }

    /// `reduce(function, iterable[, initial])`: the items folded from the left.
    private static func reduce(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        let a = try args.bind("reduce", ["function", "iterable", "initial"], required: 2)
        var items = try Iteration.materialize(a[1]!)[...]
        guard var result = a[2] ?? items.popFirst() else { throw PyError.type("reduce() of empty iterable with no initial value") }
        for item in items { result = try interpreter.call(a[0]!, Arguments([result, item])) }
        return result
    }
}

/// `functools.partial(f, *args, **keywords)`: f with its first arguments given.
final class Partial: CallableObject {
    let function: Value
    let given: Arguments

    init(_ function: Value, _ given: Arguments) {
        self.function = function
        self.given = given
    }

    var typeName: String { "partial" }
    var qualifiedTypeName: String? { "functools.partial" }
    var repr: String {
        let parts = [function.repr] + given.positional.map(\.repr) + given.keywords.map { "\($0.name)=\($0.value.repr)" }
        return "functools.partial(\(parts.joined(separator: ", ")))"
    }

    var attributeNames: [String] { ["args", "func", "keywords"] }
    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "func": function
        case "args": .tuple(given.positional)
        case "keywords": .dict(try PyDict(given.keywords.map { (.str($0.name), $0.value) }))
        default: nil
        }
    }

    /// The given arguments first, then the call's; a keyword given again takes the call's value.
    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        let keywords = given.keywords.filter { kept in !arguments.keywords.contains { $0.name == kept.name } } + arguments.keywords
        return try interpreter.call(function, Arguments(given.positional + arguments.positional, keywords: keywords))
    }
}

/// `functools.lru_cache` / `functools.cache`: the function's results kept by its arguments (which must be hashable),
/// the least recently used dropped past `maxSize` (none when nil).
final class CachedFunction: CallableObject {
    let function: Value
    let maxSize: Int?
    private var results: OrderedDictionary<HashKey, Value> = [:]
    private var hits = 0, misses = 0

    init(_ function: Value, maxSize: Int?) {
        self.function = function
        self.maxSize = maxSize
    }

    var typeName: String { "_lru_cache_wrapper" }
    var qualifiedTypeName: String? { "functools._lru_cache_wrapper" }
    var repr: String { "<functools._lru_cache_wrapper object at \(objectAddress(self))>" }

    var attributeNames: [String] { ["__wrapped__", "cache_clear", "cache_info"] }
    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "__wrapped__": return function
        case "cache_clear": return builtin("cache_clear") { [self] _ in results = [:]; hits = 0; misses = 0; return .none }
        case "cache_info":
            return builtin("cache_info") { [self] _ in
                .object(NamedTuple("CacheInfo", [("hits", .int(hits)), ("misses", .int(misses)), ("maxsize", maxSize.map(Value.int) ?? .none),
                                                 ("currsize", .int(results.count))], fieldPerLine: false))
            }
        default: return try interpreter.attribute(function, name)
        }
    }

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        let key = try HashKey(.tuple([.tuple(arguments.positional), .tuple(arguments.keywords.flatMap { [.str($0.name), $0.value] })]))
        if let result = results.removeValue(forKey: key) {
            hits += 1
            results[key] = result
            return result
        }
        misses += 1
        let result = try interpreter.call(function, arguments)
        guard maxSize != 0 else { return result }
        results[key] = result
        if let maxSize, results.count > maxSize { results.removeFirst() }
        return result
    }
}
