import TensorCore
import PythonText

/// A native object indexed as a tensor is (a numpy array): `x[0, :2]` with ints, slices, None and `...`.
public protocol TensorIndexable: PyObject {
    /// `x[indices]`.
    func item(at indices: [TensorIndex]) throws -> Value
}

/// `x[key]`, `x[key] = v` and `del x[key]` for sequences, mappings, tensors and model outputs.
public enum Subscripts {
    /// `object[index]`, as a dataset is read item by item.
    public static func item(_ object: Value, at index: Int) throws -> Value { try get(object, [.value(.int(index))]) }

    /// The positions `key` selects in a sequence of `count` items when it is a slice (`seq[1:]`), as a list's
    /// slicing takes them; nil when it is not a slice.
    public static func slicePositions(_ key: Value, count: Int) throws -> [Int]? {
        guard case .object(let slice as SliceObject) = key else { return nil }
        let bounds = try [slice.start, slice.stop, slice.step].map { value -> Int? in
            if case .none = value { return nil }
            return try value.asIndex()
        }
        if bounds[2] == 0 { throw PyError.value("slice step cannot be zero") }
        let s = try resolveSlice(start: bounds[0], stop: bounds[1], step: bounds[2], length: count)
        return (0..<s.count).map { s.start + $0 * s.step }
    }

    /// `object[key]`; `interpreter` makes a defaultdict's missing values.
    static func get(_ object: Value, _ key: [KeyItem], interpreter: Interpreter? = nil) throws -> Value {
        if case .object(let instance as InstanceObject) = object {
            guard let item = try instance.callSpecial("__getitem__", Arguments([try instanceKey(key)])) else {
                throw PyError.type("'\(object.typeName)' object is not subscriptable")
            }
            return item
        }
        switch object {
        case .tensor(let t):
            let key = try boolScalars(key)
            if let entries = try advancedIndex(key) { return .tensor(try t.gathered(entries)) }
            if let flags = try BoolScalarIndex(key) { return .tensor(try flags.select(from: t)) }
            return .tensor(try t.view(at: try key.map(tensorIndex)))
        case .object(let array as NDArrayObject):
            if key.count == 1, case .value(let index) = key[0], let selected = try array.selected(by: index) { return selected }
            return try array.item(at: try key.map(tensorIndex))
        case .object(let array as TensorIndexable): return try array.item(at: try key.map(tensorIndex))
        case .dict(let d):
            let k = try mappingKey(key)
            guard let v = try d.get(k) ?? d.missing(k, interpreter) else { throw PyError.key(k) }
            return v
        case .object(let m as MappingObject):
            if let items = m.sliceableItems, key.count == 1, case .slice = key[0] { return try sequenceItem(items, key, "tuple") { .tuple($0) } }
            let k = try mappingKey(key)
            if case .str(let name) = k {
                guard let v = m.mappingValue(name) else { throw PyError.key(k) }
                return v
            }
            guard case .int(let i) = k, let v = try m.positionalItem(i) else { throw PyError.key(k) }
            return v
        case .list(let l): return try sequenceItem(l.items, key, "list") { .list(PyList($0)) }
        case .tuple(let t): return try sequenceItem(t, key, "tuple") { .tuple($0) }
        case .size(let s): return try sequenceItem(s.map { .int($0) }, key, "tuple") { items in .size(items.map { if case .int(let i) = $0 { return i } else { return 0 } }) }
        case .str(let s): return try stringItem(s, key)
        case .object(let namedTuple as NamedTuple):
            return try sequenceItem(namedTuple.items, key, "tuple") { .tuple($0) }
        case .object(let range as RangeObject): return try rangeItem(range, key)
        case .object(let match as RegexMatch): return try match.group(try mappingKey(key))
        case .object(let deque as Deque): return try deque.item(try index(key, "deque"))
        case .object(let type as TypeObject) where TypeHint.genericOrigins.contains(type.name):
            return .object(TypeHint(.generic(origin: type), try hintArguments(key)))
        case .object(let hint as TypeHint): return try hint.subscripted(try hintArguments(key))
        case .object(let type as TypeObject): throw PyError.type("type '\(type.name)' is not subscriptable")
        case .object(let type as ClassObject): throw PyError.type("type '\(type.name)' is not subscriptable")
        default:
            throw PyError.type("'\(object.typeName)' object is not subscriptable")
        }
    }

    static func set(_ object: Value, _ key: [KeyItem], _ value: Value) throws {
        if case .object(let instance as InstanceObject) = object {
            guard try instance.callSpecial("__setitem__", Arguments([try instanceKey(key), value])) != nil else {
                throw PyError.type("'\(object.typeName)' object does not support item assignment")
            }
            return
        }
        switch object {
        case .dict(let d): try d.set(try mappingKey(key), value)
        case .object(let m as MappingObject):
            let k = try mappingKey(key)
            guard case .str(let name) = k else { throw PyError.key(k) }
            try m.setMappingValue(name, value)
        case .list(let l):
            if let r = try slice(key, count: l.items.count) {
                guard r.step == 1 else { throw PyError.notImplemented("assigning to an extended slice") }
                l.items.replaceSubrange(r.start..<(r.start + r.count), with: try Iteration.materialize(value))
                return
            }
            l.items[try position(try index(key, "list"), l.items.count, "list assignment")] = value
        case .tensor(let t):
            let source = try value.asTensorOperand("value"), key = try boolScalars(key)
            if let entries = try advancedIndex(key) {
                let isNumber = switch value { case .int, .float, .bool: true; default: false }
                return try t.assign(source, at: entries, fromNumber: isNumber)
            }
            if let flags = try BoolScalarIndex(key) {
                if flags.keeps { try t.assign(source, at: flags.indices) }
                return
            }
            try t.assign(source, at: try key.map(tensorIndex))
        case .object(let array as NDArrayObject):
            let source = try NumpyConversion.tensor(value, dtype: nil)
            if key.count == 1, case .value(let index) = key[0], let mask = try array.mask(index) { return try array.tensor.assign(source, where: mask) }
            try array.tensor.assign(source, at: try key.map(tensorIndex))
        default:
            throw PyError.type("'\(object.typeName)' object does not support item assignment")
        }
    }

    static func delete(_ object: Value, _ key: [KeyItem]) throws {
        if let instance = object.instance, try instance.callSpecial("__delitem__", Arguments([try instanceKey(key)])) != nil { return }
        switch object {
        case .dict(let d):
            let k = try mappingKey(key)
            guard try d.remove(k) else { throw PyError.key(k) }
        case .list(let l):
            if let r = try slice(key, count: l.items.count) {
                let doomed = Set((0..<r.count).map { r.start + $0 * r.step })
                l.items = l.items.enumerated().filter { !doomed.contains($0.offset) }.map(\.element)
                return
            }
            l.items.remove(at: try position(try index(key, "list"), l.items.count, "list assignment"))
        // CPython words it two ways: a sequence (str, tuple, set, range) by an index "doesn't", any other deletion
        // "does not"
        case .str, .tuple, .size, .object(_ as PySet), .object(_ as RangeObject):
            throw PyError.type("'\(object.typeName)' object \(key.count == 1 && key[0].isIndex ? "doesn't" : "does not") support item deletion")
        default: throw PyError.type("'\(object.typeName)' object does not support item deletion")
        }
    }

    /// The key a program's `__getitem__` / `__setitem__` gets: the index or slice, or a tuple of several.
    private static func instanceKey(_ key: [KeyItem]) throws -> Value {
        let values = key.map { item -> Value in
            switch item {
            case .value(let v): return v
            case .slice(let a, let b, let c): return .object(SliceObject(start: a ?? .none, stop: b ?? .none, step: c ?? .none))
            }
        }
        return values.count == 1 ? values[0] : .tuple(values)
    }

    /// The arguments of `list[int]` or `Dict[str, int]`: `X[a, b]` and `X[(a, b)]` alike, `X[()]` none.
    private static func hintArguments(_ key: [KeyItem]) throws -> [Value] {
        let value = try mappingKey(key)
        if case .tuple(let items) = value { return items }
        return [value]
    }

    private static func mappingKey(_ key: [KeyItem]) throws -> Value {
        let values = try key.map { item -> Value in
            guard case .value(let v) = item else { throw PyError.type("unhashable type: 'slice'") }
            return v
        }
        return values.count == 1 ? values[0] : .tuple(values)
    }

    private static func index(_ key: [KeyItem], _ kind: String) throws -> Int {
        guard key.count == 1, case .value(let v) = key[0] else { throw indexTypeError(kind, "tuple") }
        switch try v.indexValue {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .bigInt: throw PyError.index("cannot fit 'int' into an index-sized integer")
        case .tensor: throw PyError.type("only integer tensors of a single element can be converted to an index")
        default: throw indexTypeError(kind, v.typeName)
        }
    }

    /// CPython 3.11's words for an index of the wrong type: strings take only integers there.
    private static func indexTypeError(_ kind: String, _ given: String) -> PyError {
        kind == "string" ? PyError.type("string indices must be integers, not '\(given)'")
                         : PyError.type("\(kind) indices must be integers or slices, not \(given)")
    }

    /// `list[i]`, `tuple[i]` within bounds and `dict[key]` of a present key: the common cases, answered without the
    /// general path; nil for anything else (including every error, which `get` raises).
    static func plainItem(_ object: Value, _ index: Value) -> Value? {
        func item(_ items: [Value], _ i: Int) -> Value? {
            let p = i < 0 ? i + items.count : i
            return items.indices.contains(p) ? items[p] : nil
        }
        switch (object, index) {
        case (.list(let l), .int(let i)): return item(l.items, i)
        case (.tuple(let t), .int(let i)): return item(t, i)
        case (.dict(let d), .str), (.dict(let d), .int): return try? d.get(index)
        default: return nil
        }
    }

    private static func position(_ i: Int, _ count: Int, _ kind: String) throws -> Int {
        let p = i < 0 ? i + count : i
        guard p >= 0 && p < count else { throw PyError.index("\(kind) index out of range") }
        return p
    }

    /// `range(...)[i]`, and `range(...)[a:b:c]` as the range of the positions it selects (CPython's
    /// `compute_slice`: `range(10)[2:5:2]` is `range(2, 5, 2)`).
    private static func rangeItem(_ range: RangeObject, _ key: [KeyItem]) throws -> Value {
        let count = try Iteration.length(.object(range))
        func value(at position: Int) throws -> Int {
            let (offset, overflow) = position.multipliedReportingOverflow(by: range.step)
            let (sum, overflowed) = range.start.addingReportingOverflow(offset)
            guard !overflow, !overflowed else { throw PyError(.overflowError, "Python int too large to convert to C ssize_t") }
            return sum
        }
        guard let r = try slice(key, count: count) else { return .int(try value(at: try position(try index(key, "range"), count, "range object"))) }
        let (step, overflow) = range.step.multipliedReportingOverflow(by: r.step)
        guard !overflow else { throw PyError(.overflowError, "Python int too large to convert to C ssize_t") }
        return .object(try RangeObject(start: try value(at: r.start), stop: try value(at: r.stop), step: step))
    }

    private static func sequenceItem(_ items: [Value], _ key: [KeyItem], _ kind: String, _ make: ([Value]) -> Value) throws -> Value {
        if let r = try slice(key, count: items.count) {
            return make((0..<r.count).map { items[r.start + $0 * r.step] })
        }
        return items[try position(try index(key, kind), items.count, kind)]
    }

    /// `s[key]`: a code point or a slice of them, as Python indexes a str; a slice with step 1 is cut from the
    /// string's own storage.
    private static func stringItem(_ s: String, _ key: [KeyItem]) throws -> Value {
        let scalars = CodePointCache.scalars(of: s)
        if let r = try slice(key, count: scalars.count) {
            if r.step == 1 { return .str(String(String.UnicodeScalarView(scalars[r.start..<(r.start + r.count)]))) }
            return .str(String(String.UnicodeScalarView((0..<r.count).map { scalars[r.start + $0 * r.step] })))
        }
        return .str(String(scalars[try position(try index(key, "string"), scalars.count, "string")]))
    }

    /// The positions a one-slice key selects in a sequence of `count` items; nil for a key that is not a slice.
    private static func slice(_ key: [KeyItem], count: Int) throws -> (start: Int, stop: Int, count: Int, step: Int)? {
        guard key.count == 1, case .slice(let a, let b, let c) = key[0] else { return nil }
        let step = try optionalInt(c)
        guard step != 0 else { throw PyError.value("slice step cannot be zero") }
        return try resolveSlice(start: try optionalInt(a), stop: try optionalInt(b), step: step, length: count)
    }

    public static func optionalInt(_ v: Value?) throws -> Int? {
        switch try v?.indexValue {
        case nil, .none?: return nil
        case .int(let i)?: return i
        case .bool(let b)?: return b ? 1 : 0
        case .bigInt(let i)?: return i < 0 ? Int.min + 1 : Int.max  // Python clamps slice bounds beyond 64 bits
        case _?: throw PyError.type("slice indices must be integers or None or have an __index__ method")
        }
    }

    /// A tensor's key with position or mask tensors (`x[:, [0, 2]]`, `logits[range(n), labels]`, `x[mask]`), as
    /// torch reads it: lists, tuples, ranges and arrays inside the key become tensors (a key that is one list of
    /// lists, torch's older spelling, is read as a tuple of them); nil for a key of ints, slices, None and `...` only.
    private static func advancedIndex(_ key: [KeyItem]) throws -> [IndexEntry]? {
        var key = key
        if key.count == 1, case .value(.list(let l)) = key[0], l.items.contains(where: \.isIndexSequence) { key = l.items.map(KeyItem.value) }
        guard key.contains(where: { if case .value(let v) = $0 { v.isIndexSequence } else { false } }) else { return nil }
        return try key.map { item in
            guard case .value(let v) = item, v.isIndexSequence else { return .basic(try tensorIndex(item)) }
            if case .tensor(let t) = v { return .positions(t) }
            let items = if case .object(let range as RangeObject) = v { Value.list(PyList(try Iteration.materialize(.object(range)))) } else { v }
            let positions = try NumpyConversion.tensor(items, dtype: nil)
            return .positions(positions.count == 0 ? positions.to(.int64) : positions)  // `x[[]]` picks no rows
        }
    }

    /// The key with each 0-d bool tensor read as the Python bool it holds, as torch reads it (`x[torch.tensor(True)]`
    /// adds a dimension of size 1).
    private static func boolScalars(_ key: [KeyItem]) throws -> [KeyItem] {
        try key.map { item in
            guard case .value(.tensor(let t)) = item, t.rank == 0, t.dtype == .bool else { return item }
            return .value(.bool(try t.item().doubleValue != 0))
        }
    }

    /// A tensor index with `True`/`False` among ints, slices, None and `...`: torch reads the bools together as one
    /// new dimension (where the first stands) of size 1 if all are true, else 0, picked by advanced indexing (a copy,
    /// `IndexBackward0`).
    private struct BoolScalarIndex {
        /// The key with the first bool as a new axis and the others left out.
        let indices: [TensorIndex]
        /// Whether every bool is true (the new dimension keeps its element).
        let keeps: Bool
        private let position: Int

        init?(_ key: [KeyItem]) throws {
            let flags = key.compactMap { if case .value(.bool(let b)) = $0 { b } else { nil } }
            guard !flags.isEmpty, let first = key.firstIndex(where: { if case .value(.bool) = $0 { true } else { false } }) else { return nil }
            indices = try key.enumerated().compactMap { n, item in
                if case .value(.bool) = item { return n == first ? .newAxis : nil }
                return try tensorIndex(item)
            }
            keeps = !flags.contains(false)
            position = first
        }

        func select(from t: Tensor) throws -> Tensor {
            let picked = try t.view(at: indices)
            let consumed = indices.filter { $0 != .newAxis && $0 != .ellipsis }.count
            let axis = indices[..<position].reduce(0) { dims, index in
                switch index {
                case .at: dims
                case .slice, .newAxis: dims + 1
                case .ellipsis: dims + t.rank - consumed
                }
            }
            let kept = keeps ? picked : try picked.view(at: Array(repeating: .all, count: axis) + [.slice(start: 0, stop: 0, step: nil)])
            return t.indexedCopy(kept, at: indices)
        }
    }

    private static func tensorIndex(_ item: KeyItem) throws -> TensorIndex {
        switch item {
        case .slice(let a, let b, let c):
            return .slice(start: try optionalInt(a), stop: try optionalInt(b), step: try optionalInt(c))
        case .value(.int(let i)): return .at(i)
        case .value(.none): return .newAxis
        case .value(.object(let o)) where o is EllipsisObject: return .ellipsis
        case .value(let v):
            if case .int(let i) = try v.indexValue { return .at(i) }
            if case .tensor(let t) = v, t.rank == 0, t.dtype.isInteger, case .int(let i) = try t.item() { return .at(Int(i)) }
            throw PyError.index("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got \(v.typeName))")
        }
    }
}

private extension Value {
    /// Whether this key item picks by position (torch's advanced indexing): a list, tuple, range, numpy array or a
    /// tensor other than a 0-d integer one.
    var isIndexSequence: Bool {
        switch self {
        case .list, .tuple, .object(_ as RangeObject), .object(_ as NDArrayObject): true
        case .tensor(let t): t.rank > 0
        default: false
        }
    }
}
