import BigInt

/// `divmod`, `pow`, `hex`, `oct`, `bin`, `chr` and `ord`, with Python's results and errors.
enum IntegerBuiltins {
    static let functions: [String: @Sendable (Arguments) throws -> Value] = [
        "divmod": { args in
            let a = try args.bind("divmod", ["a", "b"], required: 2)
            return .tuple([try Operators.binary(.floorDivide, a[0]!, a[1]!), try Operators.binary(.modulo, a[0]!, a[1]!)])
        },
        "pow": { args in
            let a = try args.bind("pow", ["base", "exp", "mod"], required: 2)
            let power = try Operators.binary(.power, a[0]!, a[1]!)
            guard let mod = a[2], mod.exactInteger != nil else { return power }
            return try Operators.binary(.modulo, power, mod)
        },
        "hex": { try radix($0, "hex", 16, prefix: "0x") },
        "oct": { try radix($0, "oct", 8, prefix: "0o") },
        "bin": { try radix($0, "bin", 2, prefix: "0b") },
        "chr": { args in
            let code = try args.bind("chr", ["i"], required: 1)[0]!.asInt("chr() argument")
            guard (0..<0x110000).contains(code) else { throw PyError.value("chr() arg not in range(0x110000)") }
            guard let scalar = Unicode.Scalar(code) else {
                throw PyError.value("chr(\(code)) is a lone surrogate, which sbpl strings cannot hold")
            }
            return .str(String(Character(scalar)))
        },
        "ord": { args in
            let c = try args.bind("ord", ["c"], required: 1)[0]!
            guard case .str(let s) = c else { throw PyError.type("ord() expected string of length 1, but \(c.typeName) found") }
            let scalars = s.unicodeScalars
            guard scalars.count == 1 else {
                throw PyError.type("ord() expected a character, but string of length \(scalars.count) found")
            }
            return .int(Int(scalars.first!.value))
        },
    ]

    /// `hex(x)` and its kin: the sign, the prefix, then the digits.
    private static func radix(_ args: Arguments, _ name: String, _ base: Int, prefix: String) throws -> Value {
        let x = try args.bind(name, ["x"], required: 1)[0]!
        guard let i = x.exactInteger else { throw PyError.type("'\(x.typeName)' object cannot be interpreted as an integer") }
        return .str((i < 0 ? "-" : "") + prefix + String(i.magnitude, radix: base))
    }
}

/// An iterator: `iter(x)`, `map` and `filter` (their items computed when called: sbpl has no lazy iterators),
/// printed as Python prints them. `next()` takes one item at a time, iterating takes the rest, so it is used up
/// once, as Python's.
final class IteratorObject: IterableObject, PythonIterator {
    let typeName: String
    private let all: [Value]
    private var position = 0

    init(_ typeName: String, _ items: [Value]) {
        self.typeName = typeName
        all = items
    }

    /// The next item, nil once all were taken.
    func next() -> Value? {
        guard position < all.count else { return nil }
        defer { position += 1 }
        return all[position]
    }

    /// The items not taken yet, which iterating takes.
    var items: [Value] {
        defer { position = all.count }
        return Array(all[position...])
    }

    var repr: String { "<\(typeName) object at \(objectAddress(self))>" }

    static func map(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        try args.expectKeywordsNone("map")
        guard args.positional.count >= 2 else { throw PyError.type("map() must have at least two arguments.") }
        let function = args.positional[0]
        let lists = try args.positional.dropFirst().map(Iteration.materialize)
        let n = lists.map(\.count).min() ?? 0
        return .object(IteratorObject("map", try (0..<n).map { i in try interpreter.call(function, Arguments(lists.map { $0[i] })) }))
    }

    static func filter(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        let a = try args.bind("filter", ["function", "iterable"], required: 2)
        let items = try Iteration.materialize(a[1]!).filter { item in
            if case .none = a[0]! { return try item.isTruthy() }
            return try interpreter.call(a[0]!, Arguments([item])).isTruthy()
        }
        return .object(IteratorObject("filter", items))
    }
}
