import BigInt
import TensorCore
import PythonText

/// Python's iteration protocol over sbpl values.
public enum Iteration {
    /// Calls `body` with each item until it returns false; ranges and iterators (generators) are iterated lazily.
    public static func forEach(_ iterable: Value, _ body: (Value) throws -> Bool) throws {
        if case .object(let object) = iterable, let range = object as? RangeObject {
            for i in stride(from: range.start, to: range.stop, by: range.step) where try !body(.int(i)) { return }
            return
        }
        if case .object(let object) = iterable, object is InstanceObject || object is IteratorMaker {
            return try forEach(.object(try iterator(iterable)), body)
        }
        if case .object(let iterator as PythonIterator) = iterable {
            while let item = try iterator.next(), try body(item) {}
            return
        }
        if case .list(let list) = iterable {   // by index over the live list, as CPython's list iterator reads it
            var i = 0
            while i < list.items.count {
                i += 1
                guard try body(list.items[i - 1]) else { return }
            }
            return
        }
        if case .dict(let dict) = iterable {   // CPython's dict iterator refuses a dict that changed size under it
            let size = dict.count
            for key in dict.keys {
                guard dict.count == size else { throw PyError(.runtimeError, "dictionary changed size during iteration") }
                guard try body(key) else { return }
            }
            guard dict.count == size else { throw PyError(.runtimeError, "dictionary changed size during iteration") }
            return
        }
        for item in try materialize(iterable) where try !body(item) { return }
    }

    /// `iter(x)`: an iterator itself, else an iterator over its items (a range's computed as they are taken).
    public static func iterator(_ iterable: Value) throws -> PythonIterator {
        switch iterable {
        case .object(let iterator as PythonIterator): return iterator
        case .object(let range as RangeObject): return RangeIterator(range)
        case .object(let instance as InstanceObject): return try instance.iterator()
        case .object(let maker as IteratorMaker): return try maker.makeIterator()
        default: return IteratorObject("\(iterable.typeName)_iterator", try materialize(iterable))
        }
    }

    /// A generator a native function returns (torch's `model.parameters()`), over `items`; `function` names it in
    /// its repr (`Module.parameters`).
    public static func generator(_ function: String, _ items: [Value]) -> Value {
        .object(IteratorObject("generator", items, shownAs: "generator object \(function)"))
    }

    /// All items of an iterable, as a list.
    public static func materialize(_ iterable: Value) throws -> [Value] {
        switch iterable {
        case .object(let instance as InstanceObject): return try materialize(.object(try instance.iterator()))
        case .object(let maker as IteratorMaker): return try materialize(.object(try maker.makeIterator()))
        case .object(let iterator as PythonIterator):
            var items = [Value]()
            while let item = try iterator.next() { items.append(item) }
            return items
        case .list(let l): return l.items
        case .tuple(let t): return t
        case .str(let s): return s.unicodeScalars.map { .str(String($0)) }  // code points, as Python's
        case .dict(let d): return d.keys
        case .size(let s): return s.map { .int($0) }
        case .tensor(let t):
            guard t.rank > 0 else { throw PyError.type("iteration over a 0-d tensor") }
            return try t.unbound().map { .tensor($0) }
        case .object(let object):
            if let range = object as? RangeObject {
                try PyError.checkMemory(values: try length(iterable))
                return stride(from: range.start, to: range.stop, by: range.step).map { .int($0) }
            }
            if let items = (object as? IterableObject)?.items { return items }
            if let mapping = object as? MappingObject { return mapping.mappingKeys.map(Value.str) }
        default: break
        }
        throw PyError.type("'\(iterable.typeName)' object is not iterable")
    }

    /// The (key, value) pairs of a mapping, for `**` and `dict(...)`.
    public static func mappingItems(_ value: Value) throws -> [(Value, Value)] {
        switch value {
        case .dict(let d): return d.items
        case .object(let m as MappingObject): return m.mappingItems.map { (.str($0.key), $0.value) }
        default: throw PyError.type("argument after ** must be a mapping, not \(value.typeName)")
        }
    }

    /// `len(x)`.
    public static func length(_ value: Value) throws -> Int {
        switch value {
        case .str(let s): return CodePointCache.count(of: s)
        case .list(let l): return l.items.count
        case .tuple(let t): return t.count
        case .dict(let d): return d.count
        case .size(let s): return s.count
        case .tensor(let t):
            guard t.rank > 0 else { throw PyError.type("len() of a 0-d tensor") }
            return t.shape[0]
        case .object(let o):
            if let range = o as? RangeObject {
                // ceil(|stop - start| / |step|) in unsigned arithmetic: the span of two Ints always fits in a UInt
                let (from, to) = range.step > 0 ? (range.start, range.stop) : (range.stop, range.start)
                guard to > from else { return 0 }
                let span = UInt(bitPattern: to &- from), step = range.step.magnitude
                let count = span / step + (span % step == 0 ? 0 : 1)
                guard count <= UInt(Int.max) else { throw PyError(.overflowError, "Python int too large to convert to C ssize_t") }
                return Int(count)
            }
            if let items = (o as? IterableObject)?.items { return items.count }
            if let mapping = o as? MappingObject { return mapping.mappingKeys.count }
            if let sized = o as? SizedObject { return sized.length }
            if let instance = o as? InstanceObject, let length = try instance.length() { return length }
        default: break
        }
        throw PyError.type("object of type '\(value.typeName)' has no len()")
    }
}

/// An object that makes a new iterator each time it is iterated (`for batch in loader`), as `__iter__` does.
public protocol IteratorMaker: PyObject {
    func makeIterator() throws -> PythonIterator
}

/// An object with a `len()` that does not iterate (a tokenizer: its vocabulary).
public protocol SizedObject: PyObject {
    var length: Int { get }
}

/// A Python iterator: `next()` takes its items one at a time (generators, `iter(x)`, `map`, `filter`).
public protocol PythonIterator: PyObject {
    /// The next item, nil once there is none.
    func next() throws -> Value?
}

/// `iter(range(...))`: the range's numbers, each computed when taken.
final class RangeIterator: PythonIterator {
    private let range: RangeObject
    private var current: Int
    private var done = false

    init(_ range: RangeObject) {
        self.range = range
        current = range.start
    }

    var typeName: String { "range_iterator" }
    var repr: String { "<range_iterator object at \(objectAddress(self))>" }

    func next() -> Value? {
        guard !done, range.step > 0 ? current < range.stop : current > range.stop else { return nil }
        defer {
            let (following, overflow) = current.addingReportingOverflow(range.step)
            (current, done) = (following, overflow)
        }
        return .int(current)
    }
}

/// An object that iterates over a fixed list of items (dict views).
public protocol IterableObject: PyObject {
    var items: [Value] { get }
}

/// `range(start, stop, step)`.
final class RangeObject: PyObject {
    let start: Int, stop: Int, step: Int

    init(start: Int, stop: Int, step: Int) throws {
        guard step != 0 else { throw PyError.value("range() arg 3 must not be zero") }
        (self.start, self.stop, self.step) = (start, stop, step)
    }

    /// `i in range`, without iterating (in arbitrary precision: a range may span more than an Int holds).
    func contains(_ i: BigInt) -> Bool {
        let (start, stop, step) = (BigInt(self.start), BigInt(self.stop), BigInt(self.step))
        let within = step > 0 ? start <= i && i < stop : stop < i && i <= start
        return within && (i - start) % step == 0
    }

    var typeName: String { "range" }
    var repr: String { step == 1 ? "range(\(start), \(stop))" : "range(\(start), \(stop), \(step))" }

    /// What `==` and `hash()` compare (CPython's `range_equals` and `range_hash`): the length, the first int when
    /// there is one, the step when there are two or more; None in their place otherwise.
    var hashedFields: [Value] {
        let count = (try? Iteration.length(.object(self))) ?? 0
        return [.int(count), count > 0 ? .int(start) : .none, count > 1 ? .int(step) : .none]
    }
}

/// `dict.keys()`, `dict.values()`, `dict.items()`.
public final class DictView: IterableObject {
    let kind: String
    /// What the view shows now: a dict's view follows the dict as it changes.
    private let source: () -> [Value]
    /// An `OrderedDict`'s views print as `odict_keys([...])`.
    let ordered: Bool

    public var items: [Value] { source() }

    /// A view of `items` as they are now.
    public convenience init(_ kind: String, _ items: [Value], ordered: Bool = false) {
        self.init(kind, ordered: ordered) { items }
    }

    /// A view that reads `source` each time it is used (`d.keys()` after `d[k] = v` shows `k`).
    public init(_ kind: String, ordered: Bool = false, live source: @escaping () -> [Value]) {
        self.kind = kind
        self.source = source
        self.ordered = ordered
    }

    /// `view == other`, `<=`, ... of a keys or items view and a set or view: compared as sets; nil otherwise.
    static func setComparison(_ op: ComparisonOperator, _ l: Value, _ r: Value) throws -> Bool? {
        let isSet = { (v: Value) in if case .object(_ as PySet) = v { true } else { false } }
        guard isSetView(l) || isSetView(r), isSetView(l) || isSet(l), isSetView(r) || isSet(r) else { return nil }
        return try PySet.compare(op, try PySet.made(from: l, frozen: false), try PySet.made(from: r, frozen: false))
    }

    /// Whether `value` is a keys or items view, which behave as sets.
    private static func isSetView(_ value: Value) -> Bool {
        if case .object(let view as DictView) = value { view.kind != "values" } else { false }
    }

    /// `view.isdisjoint(other)`.
    public func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        guard name == "isdisjoint", kind != "values" else { return nil }
        return builtin("isdisjoint") { [self] args in
            let other = try PySet.made(from: try args.bind("isdisjoint", ["other"], required: 1)[0]!, frozen: false)
            return .bool(try items.allSatisfy { try !other.contains($0) })
        }
    }

    /// `view & other`, `|`, `-`, `^` of a keys or items view and any iterable: sets, as Python's views compute them.
    static func setOperation(_ op: BinaryOperator, _ l: Value, _ r: Value) throws -> Value? {
        guard [.bitAnd, .bitOr, .subtract, .bitXor].contains(op) else { return nil }
        guard isSetView(l) || isSetView(r) else { return nil }
        return try PySet.operate(op, try PySet.made(from: l, frozen: false), try PySet.made(from: r, frozen: false), inPlace: false)
    }

    public var typeName: String { (ordered ? "odict_" : "dict_") + kind }
    public var isHashable: Bool { false }
    public var repr: String { "\(typeName)([" + items.map(\.repr).joined(separator: ", ") + "])" }
}

