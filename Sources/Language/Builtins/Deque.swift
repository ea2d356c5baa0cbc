/// `collections.deque(iterable, maxlen)`: a sequence that grows and shrinks at both ends; with a `maxlen`, adding at
/// one end drops items from the other.
final class Deque: IterableObject, SizedObject, MemberTableObject {
    private(set) var items: [Value]
    let maxLength: Int?

    init(_ items: [Value], maxLength: Int?) {
        self.maxLength = maxLength
        self.items = maxLength.map { Array(items.suffix($0)) } ?? items
    }

    /// `deque(iterable=(), maxlen=None)`.
    nonisolated(unsafe) static let type = TypeObject("deque", qualified: "collections.deque") { args in
        let a = try args.bind("deque", ["iterable", "maxlen"])
        var maxLength: Int?
        if let limit = a[1], limit.typeName != "NoneType" {
            maxLength = try limit.asInt("maxlen")
            guard maxLength! >= 0 else { throw PyError.value("maxlen must be non-negative") }
        }
        return .object(Deque(try a[0].map(Iteration.materialize) ?? [], maxLength: maxLength))
    }

    var typeName: String { "deque" }
    var repr: String {
        let shown = Value.list(PyList(items)).repr
        return "deque(\(shown)\(maxLength.map { ", maxlen=\($0)" } ?? ""))"
    }
    var length: Int { items.count }
    var isHashable: Bool { false }

    /// Adds `values` at the end (or at the front, each in turn), dropping from the other end past `maxLength`.
    private func add(_ values: [Value], atFront: Bool) {
        for value in values {
            if atFront { items.insert(value, at: 0) } else { items.append(value) }
            if let maxLength, items.count > maxLength {
                if atFront { items.removeLast() } else { items.removeFirst() }
            }
        }
    }

    /// Takes the last item (or the first).
    private func take(fromFront: Bool) throws -> Value {
        guard !items.isEmpty else { throw PyError(.indexError, "pop from an empty deque") }
        return fromFront ? items.removeFirst() : items.removeLast()
    }

    /// `d[i]`.
    func item(_ index: Int) throws -> Value {
        let i = index < 0 ? index + items.count : index
        guard items.indices.contains(i) else { throw PyError(.indexError, "deque index out of range") }
        return items[i]
    }

    static let members = MemberTable<Deque>("deque", [
        .attribute("maxlen", "the most items it keeps, or None") { $0.maxLength.map(Value.int) ?? .none },
        .method("append", "x, /", "adds x at the right end") { d, call in d.add([call[0]!], atFront: false); return .none },
        .method("appendleft", "x, /", "adds x at the left end") { d, call in d.add([call[0]!], atFront: true); return .none },
        .method("extend", "iterable, /", "adds each item at the right end") { d, call in
            d.add(try Iteration.materialize(call[0]!), atFront: false)
            return .none
        },
        .method("extendleft", "iterable, /", "adds each item at the left end, in turn (so they end up reversed)") { d, call in
            d.add(try Iteration.materialize(call[0]!), atFront: true)
            return .none
        },
        .method("pop", "/", "removes and returns the rightmost item") { d, _ in try d.take(fromFront: false) },
        .method("popleft", "/", "removes and returns the leftmost item") { d, _ in try d.take(fromFront: true) },
        .method("rotate", "n=1, /", "moves the last n items to the front (the first -n to the back when negative)") { d, call in
            let n = try call[0]?.asInt("n") ?? 1
            guard !d.items.isEmpty else { return .none }
            let shift = ((n % d.items.count) + d.items.count) % d.items.count
            d.items = Array(d.items.suffix(shift) + d.items.dropLast(shift))
            return .none
        },
        .method("clear", "/", "removes every item") { d, _ in d.items = []; return .none },
        .method("count", "x, /", "how many items equal x") { d, call in
            .int(try d.items.reduce(0) { try Operators.equal($1, call[0]!) ? $0 + 1 : $0 })
        },
        .method("remove", "value, /", "removes the first item equal to value") { d, call in
            guard let i = try d.items.firstIndex(where: { try Operators.equal($0, call[0]!) }) else {
                throw PyError.value("\(call[0]!.repr) is not in deque")
            }
            d.items.remove(at: i)
            return .none
        },
        .method("reverse", "/", "reverses the items in place") { d, _ in d.items.reverse(); return .none },
        .method("copy", "/", "a shallow copy") { d, _ in .object(Deque(d.items, maxLength: d.maxLength)) },
    ])
}
