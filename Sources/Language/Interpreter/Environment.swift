/// A scope of variables; function calls get a new one whose parent is the scope the function was defined in.
public final class Environment {
    public private(set) var values: [String: Value] = [:]
    let parent: Environment?

    public init(parent: Environment? = nil) { self.parent = parent }

    public func lookup(_ name: String) -> Value? { values[name] ?? parent?.lookup(name) }

    public func define(_ name: String, _ value: Value) { values[name] = value }

    @discardableResult
    public func remove(_ name: String) -> Bool { values.removeValue(forKey: name) != nil }

    /// Forgets every variable (`%reset`).
    public func clear() { values = [:] }
}

/// Ctrl-C: the signal handler sets `requested`; the interpreter checks it between statements, loop iterations
/// and model layers, and raises `KeyboardInterrupt`.
public enum Interrupt {
    nonisolated(unsafe) public static var requested = false

    /// Throws `KeyboardInterrupt` (and clears the request) if Ctrl-C was pressed.
    public static func check() throws {
        if requested {
            requested = false
            throw PyError(.keyboardInterrupt, "")
        }
    }
}
