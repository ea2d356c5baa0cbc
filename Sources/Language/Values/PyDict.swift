import BigInt
import OrderedCollections
import PythonText

/// A Python dict: insertion-ordered, keyed by hashable values.
///
/// Entries live in swift-collections' `OrderedDictionary`, keyed by each key's `HashKey` (Python's equalities:
/// `True == 1 == 1.0`) and holding the key as first inserted, as Python keeps it: after `d[1] = "a"` and
/// `d[True] = "b"`, `d` is `{1: 'b'}`.
public final class PyDict {
    private var entries: OrderedDictionary<HashKey, (key: Value, value: Value)> = [:]
    /// A plain dict, or one of collections' subclasses (`Counter`, `defaultdict`, `OrderedDict`).
    public let flavor: DictFlavor

    public init(flavor: DictFlavor = .dict) { self.flavor = flavor }

    /// Told of each change: the key and its new value, nil when it was removed (what makes assigning into
    /// `globals()` set a variable).
    var onChange: ((Value, Value?) -> Void)?

    public convenience init(_ pairs: [(Value, Value)], flavor: DictFlavor = .dict) throws {
        self.init(flavor: flavor)
        for (k, v) in pairs { try set(k, v) }
    }

    /// The number of entries (`len(d)`).
    public var count: Int { entries.count }
    /// The keys in insertion order.
    public var keys: [Value] { entries.values.map(\.key) }
    /// The values in insertion order.
    public var values: [Value] { entries.values.map(\.value) }
    /// The (key, value) pairs in insertion order.
    public var items: [(Value, Value)] { entries.values.map { ($0.key, $0.value) } }

    /// The value of `key`; nil when absent.
    public func get(_ key: Value) throws -> Value? {
        entries[try HashKey(key)]?.value
    }

    /// Sets `key` to `value`: a new key goes last, an existing one keeps its place and its first spelling.
    public func set(_ key: Value, _ value: Value) throws {
        let h = try HashKey(key)
        if let i = entries.index(forKey: h) {
            entries.values[i].value = value
        } else {
            entries[h] = (key, value)
        }
        onChange?(key, value)
    }

    /// Removes `key`; false when it was absent.
    @discardableResult
    public func remove(_ key: Value) throws -> Bool {
        guard entries.removeValue(forKey: try HashKey(key)) != nil else { return false }
        onChange?(key, nil)
        return true
    }

    /// Moves `key` to the end, or to the front (`OrderedDict.move_to_end`); false when it is absent.
    func move(_ key: Value, toEnd: Bool) throws -> Bool {
        let h = try HashKey(key)
        guard let entry = entries.removeValue(forKey: h) else { return false }
        if toEnd { entries[h] = entry } else { entries.updateValue(entry, forKey: h, insertingAt: 0) }
        return true
    }

    /// Takes the last entry out, or the first (`popitem`); nil when empty.
    func popEntry(last: Bool) -> (Value, Value)? {
        guard !entries.isEmpty else { return nil }
        let entry = last ? entries.removeLast().value : entries.removeFirst().value
        onChange?(entry.key, nil)
        return (entry.key, entry.value)
    }

    /// The value of a string key (for `encoding.input_ids`).
    public func string(_ key: String) -> Value? { entries[.str(CodePointKey(key))]?.value }
}

/// The hash identity of a dict key, with Python's equalities: `True == 1 == 1.0`.
public enum HashKey: Hashable {
    case none
    case int(Int)
    case bigInt(BigInt)
    case float(Double)
    /// A str, by its code points (not by canonical equivalence, as Swift's strings compare).
    case str(CodePointKey)
    case tuple([HashKey])
    /// A frozenset: equal to another with the same elements.
    case frozenset(Set<HashKey>)
    /// A range, by the ints it gives (CPython's `range_hash`): its length, then its first int when it has one, then
    /// its step when it has two or more, so `range(0) == range(5, 5)`.
    case range([HashKey])
    case dtype(String)
    /// A torch.device: equal to another of the same type and index.
    case device(String)
    /// A type hint (`list[int]`, `Optional[str]`), by `TypeHint.key`.
    case typeHint(String)
    /// Classes (the program's and the builtin ones, `nn.Linear`), and instances of those without `__eq__`: equal
    /// only to themselves, as in Python.
    case identity(ObjectIdentifier)
    /// An instance whose class defines `__hash__`: hashed by it, compared by `__eq__`.
    case instance(InstanceKey)

    public init(_ value: Value) throws {
        switch value {
        case .none: self = .none
        case .bool(let b): self = .int(b ? 1 : 0)
        case .int(let i): self = .int(i)
        case .bigInt(let i): self = .bigInt(i)
        case .float(let f):
            guard f.isFinite, f.rounded() == f else { self = .float(f); return }
            self = Int(exactly: f).map(HashKey.int) ?? .bigInt(BigInt(f))
        case .str(let s): self = .str(CodePointKey(s))
        case .tuple(let t): self = .tuple(try t.map(HashKey.init))
        case .object(let named as NamedTuple): self = .tuple(try named.items.map(HashKey.init))
        case .size(let s): self = .tuple(s.map { .int($0) })
        case .dtype(let d): self = .dtype(d.torchName)
        case .object(let instance as InstanceObject):
            switch instance.cls.hashing {
            case .unhashable: throw PyError.type("unhashable type: '\(value.typeName)'")
            case .identity: self = .identity(ObjectIdentifier(instance))
            default: self = .instance(try InstanceKey(instance))
            }
        case .object(let scalar as RealScalarObject): self = try HashKey(scalar.item)
        case .object(let device as DeviceObject): self = .device(device.repr)
        case .object(let hint as TypeHint): self = .typeHint(hint.key)
        case .object(let set as PySet) where set.frozen: self = .frozenset(Set(try set.items.map(HashKey.init)))
        case .object(let range as RangeObject): self = .range(try range.hashedFields.map(HashKey.init))
        case .object(let object) where object.isHashable: self = .identity(ObjectIdentifier(object))
        default: throw PyError.type("unhashable type: '\(value.typeName)'")
        }
    }
}

/// An instance as a dict key or set member, by its class's `__hash__` and `__eq__`.
public struct InstanceKey: Hashable {
    let instance: InstanceObject
    /// What `__hash__` returned (-1 taken as -2, as CPython does).
    let hash: Int

    init(_ instance: InstanceObject) throws {
        self.instance = instance
        let result = try instance.callSpecial("__hash__") ?? .none
        switch result {
        case .int(let i): hash = i == -1 ? -2 : i
        case .bool, .bigInt: hash = try PythonHash.of(result)
        default: throw PyError.type("__hash__ method should return an integer")
        }
    }

    public static func == (a: InstanceKey, b: InstanceKey) -> Bool {
        a.instance === b.instance || (try? Operators.equal(.object(a.instance), .object(b.instance))) == true
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(hash) }
}
