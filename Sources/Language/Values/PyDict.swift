import BigInt

/// A Python dict: insertion-ordered, keyed by hashable values. `BatchEncoding` is one with another type name
/// and attribute access to its keys.
public final class PyDict {
    public private(set) var keys: [Value] = []
    public private(set) var values: [Value] = []
    private var index: [HashKey: Int] = [:]
    /// `dict`, or `BatchEncoding`.
    public let typeName: String
    /// Attributes besides the dict methods (a BatchEncoding's `tokens()`, `word_ids()`, `sequence_ids()`).
    var extraAttributes: [String: Value] = [:]

    public init(typeName: String = "dict") { self.typeName = typeName }

    public convenience init(_ pairs: [(Value, Value)], typeName: String = "dict") throws {
        self.init(typeName: typeName)
        for (k, v) in pairs { try set(k, v) }
    }

    public func get(_ key: Value) throws -> Value? {
        index[try HashKey(key)].map { values[$0] }
    }

    public func set(_ key: Value, _ value: Value) throws {
        let h = try HashKey(key)
        if let i = index[h] { values[i] = value; return }
        index[h] = keys.count
        keys.append(key)
        values.append(value)
    }

    /// Removes `key`; false when it was absent.
    @discardableResult
    public func remove(_ key: Value) throws -> Bool {
        guard let i = index[try HashKey(key)] else { return false }
        keys.remove(at: i)
        values.remove(at: i)
        index = [:]
        for (j, k) in keys.enumerated() { index[try HashKey(k)] = j }
        return true
    }

    public var items: [(Value, Value)] { Array(zip(keys, values)) }

    /// The value of a string key (for `encoding.input_ids`).
    public func string(_ key: String) -> Value? { index[.str(key)].map { values[$0] } }
}

/// The hash identity of a dict key, with Python's equalities: `True == 1 == 1.0`.
public enum HashKey: Hashable {
    case none
    case int(Int)
    case bigInt(BigInt)
    case float(Double)
    case str(String)
    case tuple([HashKey])
    case dtype(String)

    public init(_ value: Value) throws {
        switch value {
        case .none: self = .none
        case .bool(let b): self = .int(b ? 1 : 0)
        case .int(let i): self = .int(i)
        case .bigInt(let i): self = .bigInt(i)
        case .float(let f):
            guard f.isFinite, f.rounded() == f else { self = .float(f); return }
            self = Int(exactly: f).map(HashKey.int) ?? .bigInt(BigInt(f))
        case .str(let s): self = .str(s)
        case .tuple(let t): self = .tuple(try t.map(HashKey.init))
        case .size(let s): self = .tuple(s.map { .int($0) })
        case .dtype(let d): self = .dtype(d.torchName)
        default: throw PyError.type("unhashable type: '\(value.typeName)'")
        }
    }
}
