/// The methods and operators of `set` and `frozenset`, each computed as CPython's `setobject.c` does it (which set
/// is walked and which is copied decides the order of the result).
extension PySet {
    public static let members = MemberTable<PySet>("set", [
        mutating("add", "elem, /", "adds elem") { s, call in try s.add(call[0]!) },
        mutating("remove", "elem, /", "removes elem (KeyError if absent)") { s, call in
            guard try s.discard(call[0]!) else { throw PyError.key(call[0]!) }
        },
        mutating("discard", "elem, /", "removes elem if present") { s, call in try s.discard(call[0]!) },
        .method("pop", "/", "removes and returns an element") { s, _ in
            try s.checkMutable("pop")
            return try s.pop()
        },
        mutating("clear", "/", "removes every element") { s, _ in s.clear() },
        mutating("update", "*others", "adds the elements of each iterable") { s, call in
            for other in call.arguments.positional { try s.update(other) }
        },
        mutating("intersection_update", "*others", "keeps the elements every iterable has") { s, call in
            try s.replace(with: call.arguments.positional.reduce(s) { try $0.intersection($1) })
        },
        mutating("difference_update", "*others", "removes the elements of each iterable") { s, call in
            for other in call.arguments.positional { for item in try Iteration.materialize(other) { try s.discard(item) } }
        },
        mutating("symmetric_difference_update", "other, /", "keeps the elements in exactly one of the two") { s, call in
            try s.symmetricUpdate(call[0]!)
        },
        .method("copy", "/", "a shallow copy") { s, _ in .object(try s.copy()) },
        .method("union", "*others", "the elements of this set and of each iterable") { s, call in
            let result = try s.copy()
            for other in call.arguments.positional { try result.update(other) }
            return .object(result)
        },
        .method("intersection", "*others", "the elements every iterable has too") { s, call in
            .object(try call.arguments.positional.reduce(s) { try $0.intersection($1) })
        },
        .method("difference", "*others", "the elements none of the iterables has") { s, call in
            .object(try call.arguments.positional.reduce(s) { try $0.difference($1) })
        },
        .method("symmetric_difference", "other, /", "the elements in exactly one of the two") { s, call in
            .object(try s.symmetricDifference(call[0]!))
        },
        .method("issubset", "other, /", "whether every element is in other") { s, call in .bool(try s.isSubset(of: try PySet(Iteration.materialize(call[0]!)))) },
        .method("issuperset", "other, /", "whether every element of other is in this set") { s, call in
            .bool(try PySet(Iteration.materialize(call[0]!)).isSubset(of: s))
        },
        .method("isdisjoint", "other, /", "whether no element is in other") { s, call in
            .bool(try Iteration.materialize(call[0]!).allSatisfy { try !s.contains($0) })
        },
    ])

    /// A method that changes the set (AttributeError on a frozenset, as it has none) and returns None.
    private static func mutating(_ name: String, _ signature: String, _ doc: String,
                                 _ body: @escaping @Sendable (PySet, Call) throws -> Void) -> Member<PySet> {
        .method(name, signature, doc) { s, call in
            try s.checkMutable(name)
            try body(s, call)
            return .none
        }
    }

    /// `set(iterable)` / `frozenset(iterable)`.
    static func made(from iterable: Value?, frozen: Bool) throws -> PySet {
        let set = PySet(frozen: frozen)
        if let iterable { try set.update(iterable) }
        return set
    }

    func checkMutable(_ name: String) throws {
        if frozen { throw PyError.attribute("frozenset", name) }
    }

    /// `set_intersection`: the smaller set walked, its elements the larger has kept (a new set of this kind).
    func intersection(_ other: Value) throws -> PySet {
        let result = PySet(frozen: frozen)
        if case .object(let set as PySet) = other {
            let (walked, probed) = set.length > length ? (self, set) : (set, self)
            for item in walked.items where try probed.contains(item) { try result.add(item) }
        } else {
            for item in try Iteration.materialize(other) where try contains(item) { try result.add(item) }
        }
        return result
    }

    /// `set_difference`: a copy with other's elements discarded when this set is much larger, else this set walked.
    func difference(_ other: Value) throws -> PySet {
        let otherSize: Int
        switch other {
        case .object(let set as PySet): otherSize = set.length
        case .dict(let d): otherSize = d.count
        default: return try copyDiscarding(other)
        }
        if length >> 2 > otherSize { return try copyDiscarding(other) }
        let result = PySet(frozen: frozen)
        for item in items where try !Operators.contains(other, item) { try result.add(item) }
        return result
    }

    private func copyDiscarding(_ other: Value) throws -> PySet {
        let result = try copy()
        for item in try Iteration.materialize(other) { try result.discard(item) }
        return result
    }

    /// `set_symmetric_difference`: a copy of other (of this kind), updated with this set.
    func symmetricDifference(_ other: Value) throws -> PySet {
        let result = PySet(frozen: frozen)
        try result.update(other)
        try result.symmetricUpdate(.object(self))
        return result
    }

    /// `set_symmetric_difference_update`: each element of other removed if present, else added.
    func symmetricUpdate(_ other: Value) throws {
        let items = if case .object(let set as PySet) = other { set.items } else { try PySet(Iteration.materialize(other)).items }
        for item in items where try !discard(item) { try add(item) }
    }

    func isSubset(of other: PySet) throws -> Bool {
        try length <= other.length && items.allSatisfy { try other.contains($0) }
    }

    /// This set's elements made those of `other` (in other's layout).
    private func replace(with other: PySet) throws {
        clear()
        try update(.object(other))
    }

    /// `a | b`, `a & b`, `a - b`, `a ^ b` of two sets (the result of the left one's kind); with `inPlace` (`|=`
    /// and the like) a set is changed and returned.
    static func operate(_ op: BinaryOperator, _ a: PySet, _ b: PySet, inPlace: Bool) throws -> Value? {
        if inPlace && !a.frozen {
            switch op {
            case .bitOr: try a.update(.object(b))
            case .bitAnd: try a.replace(with: try a.intersection(.object(b)))
            case .subtract: for item in b.items { try a.discard(item) }
            case .bitXor: try a.symmetricUpdate(.object(b))
            default: return nil
            }
            return .object(a)
        }
        switch op {
        case .bitOr:
            let result = try a.copy()
            try result.update(.object(b))
            return .object(result)
        case .bitAnd: return .object(try a.intersection(.object(b)))
        case .subtract: return .object(try a.difference(.object(b)))
        case .bitXor: return .object(try a.symmetricDifference(.object(b)))
        default: return nil
        }
    }

    /// `a == b` (same elements) and the subset orderings `<=`, `<`, `>=`, `>`.
    static func compare(_ op: ComparisonOperator, _ a: PySet, _ b: PySet) throws -> Bool? {
        switch op {
        case .equal: return try a.length == b.length && a.isSubset(of: b)
        case .notEqual: return try !(a.length == b.length && a.isSubset(of: b))
        case .lessOrEqual: return try a.isSubset(of: b)
        case .less: return try a.length < b.length && a.isSubset(of: b)
        case .greaterOrEqual: return try b.isSubset(of: a)
        case .greater: return try b.length < a.length && b.isSubset(of: a)
        default: return nil
        }
    }
}
