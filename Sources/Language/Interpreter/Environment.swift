import OrderedCollections
import Synchronization

/// A scope of variables; function calls get a new one whose parent is the scope the function was defined in.
public final class Environment {
    /// The names bound here, in the order they were first bound (as `locals()` lists them).
    public private(set) var values: OrderedDictionary<String, Value> = [:]
    let parent: Environment?

    /// Names this scope's `global` and `nonlocal` statements send elsewhere.
    private(set) var declarations: [String: ScopeDeclaration] = [:]

    public init(parent: Environment? = nil) { self.parent = parent }

    /// Whether this is a class body's scope: functions defined in it see the enclosing scope, as in Python.
    var isClassBody = false

    /// Whether this is the scope of a function's call, where annotations of variables are not evaluated.
    var isFunctionBody = false

    /// Whether this is a comprehension's own scope, which `:=` looks through to bind in the enclosing one.
    var isComprehension = false

    /// The scope a function defined here closes over.
    var closureScope: Environment { isClassBody ? parent ?? self : self }

    /// For a method's call: the class that defined it and its first parameter's name, what `super()` reads.
    var method: (cls: ClassObject, receiver: String)?

    /// The class and receiver of the method whose call this scope is (or is within).
    func enclosingMethod() -> (ClassObject, Value)? {
        if let (cls, name) = method, let receiver = values[name] { return (cls, receiver) }
        return parent?.enclosingMethod()
    }

    /// The generator whose body runs in this scope (a generator function's call), which `yield` hands values to.
    weak var generator: GeneratorThread?

    /// The generator a `yield` in this scope (or a comprehension's scope within it) belongs to.
    func enclosingGenerator() -> GeneratorThread? { generator ?? parent?.enclosingGenerator() }

    func declare(_ name: String, _ declaration: ScopeDeclaration) { declarations[name] = declaration }

    /// The names a function's body binds (`LocalNames`), for the scope of a call: reading one that is not bound
    /// yet is an `UnboundLocalError`, as in Python.
    var localNames: Set<String> = []

    public func lookup(_ name: String) -> Value? { values[name] ?? parent?.lookup(name) }

    /// `lookup` as a name expression reads it, with Python's `UnboundLocalError` for a function's local that has
    /// no value yet.
    func resolve(_ name: String) throws -> Value? {
        if let value = values[name] { return value }
        if localNames.contains(name) {
            throw PyError(.unboundLocalError, "cannot access local variable '\(name)' where it is not associated with a value")
        }
        return try parent?.resolve(name)
    }

    public func define(_ name: String, _ value: Value) { values.updateValue(value, forKey: name) }

    @discardableResult
    public func remove(_ name: String) -> Bool { values.removeValue(forKey: name) != nil }

    /// Forgets every variable (`%reset`).
    public func clear() { values = [:] }
}

/// Ctrl-C: the signal handler calls `request()`; the interpreter checks between statements, loop iterations and
/// model layers, and raises `KeyboardInterrupt`. The flag is an `Atomic`, so the handler and the interpreter's
/// thread never race on it (and storing a lock-free atomic is safe in a signal handler).
public enum Interrupt {
    private static let requested = Atomic(false)

    /// Records a Ctrl-C (from a signal handler or the line editor).
    public static func request() {
        requested.store(true, ordering: .relaxed)
    }

    /// Forgets a Ctrl-C that came while nothing was running.
    public static func clear() {
        requested.store(false, ordering: .relaxed)
    }

    /// Whether Ctrl-C was pressed, clearing the request: for work that stops in its own way (a download).
    public static func consume() -> Bool {
        requested.exchange(false, ordering: .relaxed)
    }

    /// Throws `KeyboardInterrupt` (and clears the request) if Ctrl-C was pressed.
    public static func check() throws {
        if consume() {
            throw PyError(.keyboardInterrupt, "")
        }
    }
}
