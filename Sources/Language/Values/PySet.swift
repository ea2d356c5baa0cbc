/// A Python `set` or `frozenset`, laid out as CPython's `setobject.c` lays one out (an open-addressing table of
/// 8 slots and up, linear probes of 9 then perturbation, resized at 3/5 full), so that its elements come out in
/// CPython's order: `{10, 3}` prints as `{10, 3}`, `{3, 1, 2}` as `{1, 2, 3}`.
public final class PySet: IterableObject, SizedObject, MemberTableObject {
    private enum Slot {
        case empty, dummy
        case active(hash: Int, key: Value, identity: HashKey)
    }

    let frozen: Bool
    private var table = [Slot](repeating: .empty, count: 8)
    /// Where each element is, by its dict-key identity (`1 == 1.0 == True`).
    private var slots: [HashKey: Int] = [:]
    /// Active and dummy slots: what the resize rule counts.
    private var fill = 0
    /// Where `pop()` starts looking (CPython's `finger`).
    private var finger = 0

    init(frozen: Bool = false) { self.frozen = frozen }

    /// A set of `items`, added in order.
    convenience init(_ items: [Value], frozen: Bool = false) throws {
        self.init(frozen: frozen)
        for item in items { try add(item) }
    }

    public var typeName: String { frozen ? "frozenset" : "set" }
    public var isHashable: Bool { frozen }
    public var length: Int { slots.count }
    private var mask: Int { table.count - 1 }

    /// The elements in table order, as iterating gives them.
    public var items: [Value] {
        table.compactMap { if case .active(_, let key, _) = $0 { key } else { nil } }
    }

    /// The elements as IPython's pretty printer orders them: sorted, else sorted by their str when they do not
    /// compare, else in table order.
    public var sortedForDisplay: [Value] {
        let items = self.items
        let byStr = { (a: Value, b: Value) in try Operators.ordering(.str(a.str), .str(b.str)) < 0 }
        return (try? items.sorted { try Operators.ordering($0, $1) < 0 }) ?? (try? items.sorted(by: byStr)) ?? items
    }

    public var repr: String {
        if items.isEmpty { return frozen ? "frozenset()" : "set()" }
        let body = "{" + items.map(\.repr).joined(separator: ", ") + "}"
        return frozen ? "frozenset(\(body))" : body
    }

    func contains(_ value: Value) throws -> Bool { slots[try HashKey(value)] != nil }

    /// `s.add(x)`: CPython's `set_add_entry`.
    func add(_ value: Value) throws {
        let key = try HashKey(value)
        guard slots[key] == nil else { return }
        let hash = try PythonHash.of(value)
        // the first dummy on the probe path is reused; else the empty slot that ends the path is taken
        var freeSlot: Int?, emptySlot = 0
        probe(hash) { j in
            switch table[j] {
            case .empty: emptySlot = j; return true
            case .dummy: if freeSlot == nil { freeSlot = j }
            case .active: break
            }
            return false
        }
        if let free = freeSlot { return place(value, key, hash, at: free) }
        place(value, key, hash, at: emptySlot)
        fill += 1
        if fill * 5 >= mask * 3 { resize(minimum: length > 50_000 ? length * 2 : length * 4) }
    }

    /// Calls `visit` with each slot of CPython's probe path for `hash` (9 linear probes, then a jump perturbed by
    /// the hash's higher bits) until it returns true.
    private func probe(_ hash: Int, _ visit: (Int) -> Bool) {
        var i = UInt(bitPattern: hash) & UInt(mask), perturb = UInt(bitPattern: hash)
        while true {
            let probes = Int(i) + 9 <= mask ? 9 : 0
            for j in Int(i)...(Int(i) + probes) where visit(j) { return }
            perturb >>= 5
            i = (i &* 5 &+ 1 &+ perturb) & UInt(mask)
        }
    }

    private func place(_ value: Value, _ key: HashKey, _ hash: Int, at slot: Int) {
        table[slot] = .active(hash: hash, key: value, identity: key)
        slots[key] = slot
    }

    /// `s.discard(x)`: the slot becomes a dummy, as in CPython; false if `x` was not there.
    @discardableResult
    func discard(_ value: Value) throws -> Bool {
        guard let slot = slots.removeValue(forKey: try HashKey(value)) else { return false }
        table[slot] = .dummy
        return true
    }

    /// `s.pop()`: the first element from the finger on.
    func pop() throws -> Value {
        guard length > 0 else { throw PyError(.keyError, "'pop from an empty set'") }
        var slot = finger & mask
        while true {
            if case .active(_, let key, let identity) = table[slot] {
                slots[identity] = nil
                table[slot] = .dummy
                finger = slot + 1
                return key
            }
            slot = (slot + 1) & mask
        }
    }

    func clear() {
        (table, slots, fill, finger) = ([Slot](repeating: .empty, count: 8), [:], 0, 0)
    }

    /// `set_table_resize`: the smallest power of two above `minimum` (at least 8), every element re-inserted in
    /// table order without dummies.
    private func resize(minimum: Int) {
        var size = 8
        while size <= minimum { size <<= 1 }
        let old = table
        table = [Slot](repeating: .empty, count: size)
        slots = [:]
        for case .active(let hash, let key, let identity) in old { insertClean(key, identity, hash) }
        fill = length
    }

    /// `set_insert_clean`: the first empty slot on the probe path (the table has no dummies).
    private func insertClean(_ value: Value, _ identity: HashKey, _ hash: Int) {
        probe(hash) { j in
            guard case .empty = table[j] else { return false }
            place(value, identity, hash, at: j)
            return true
        }
    }

    /// `set_update_internal`: another set merged as `set_merge` does (its table copied when this one is empty and
    /// of the same size), a dict's keys after one resize, anything else added item by item.
    func update(_ other: Value) throws {
        switch other {
        case .object(let set as PySet):
            if (fill + set.length) * 5 >= mask * 3 { resize(minimum: (length + set.length) * 2) }
            if fill == 0 && mask == set.mask && set.fill == set.length {
                (table, slots, fill) = (set.table, set.slots, set.fill)
            } else if fill == 0 {
                for case .active(let hash, let key, let identity) in set.table { insertClean(key, identity, hash) }
                fill = length
            } else {
                for item in set.items { try add(item) }
            }
        case .dict(let dict):
            if (fill + dict.count) * 5 >= mask * 3 { resize(minimum: (length + dict.count) * 2) }
            for key in dict.keys { try add(key) }
        default:
            for item in try Iteration.materialize(other) { try add(item) }
        }
    }

    /// A new set (of this one's kind) holding this one's elements, as `set_copy` makes it.
    func copy(frozen: Bool? = nil) throws -> PySet {
        let copy = PySet(frozen: frozen ?? self.frozen)
        try copy.update(.object(self))
        return copy
    }
}
