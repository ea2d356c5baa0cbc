/// What the interactive shell asks of the interpreter: names, attributes and keys for completion, descriptions.
extension Interpreter {
    /// Variables the user defined, sorted.
    public var variableNames: [String] { globals.values.keys.sorted() }

    /// Built-in names (functions, types, short forms), sorted.
    public var builtinNames: [String] { Set(builtins.values.keys).union(lazyBuiltins.keys).sorted() }

    /// The modules `import` can load.
    public var moduleNames: [String] { modules.names }

    /// Python's keywords that sbpl understands (all but `async` and `await`), sorted.
    public static let keywords = Parser.keywords.subtracting(["async", "await"]).sorted()

    /// The value of a dotted name such as `out.logits`, evaluated without calls (nil when it does not resolve).
    /// Short forms are not loaded by this.
    public func value(ofDottedName path: String) -> Value? {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, var value = globals.lookup(first) else { return nil }
        for name in parts.dropFirst() {
            guard let next = try? attribute(value, name) else { return nil }
            value = next
        }
        return value
    }

    /// Attribute names of a value, for completion after a dot.
    public func attributeNames(of value: Value) -> [String] { Attributes.names(value).sorted() }

    /// String keys of a dict or BatchEncoding value, for completion inside `["`.
    public func stringKeys(of value: Value) -> [String] {
        switch value {
        case .dict(let d): return d.keys.compactMap { if case .str(let k) = $0 { return k } else { return nil } }
        case .object(let m as MappingObject): return m.mappingKeys
        default: return []
        }
    }

    /// `help(x)` / `x?` text.
    public func describe(_ value: Value?) -> String { Help.describe(value, self) }

    /// Forgets every user variable (`%reset`).
    public func reset() { globals.clear() }

    /// Sets a user variable (the shell's `_`).
    public func define(_ name: String, _ value: Value) { globals.define(name, value) }
}
