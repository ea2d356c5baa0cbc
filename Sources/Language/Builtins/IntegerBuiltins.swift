import BigInt

/// `divmod`, `pow`, `hex`, `oct`, `bin`, `chr` and `ord`, with Python's results and errors.
enum IntegerBuiltins {
    static let functions: [String: @Sendable (Arguments) throws -> Value] = [
        "divmod": { args in
            let a = try args.bind("divmod", ["a", "b"], required: 2)
            do {
                return .tuple([try Operators.binary(.floorDivide, a[0]!, a[1]!), try Operators.binary(.modulo, a[0]!, a[1]!)])
            } catch let error as PyError where error.kind == .typeError && error.message.hasPrefix("unsupported operand") {
                throw PyError.type("unsupported operand type(s) for divmod(): '\(a[0]!.typeName)' and '\(a[1]!.typeName)'")
            } catch let error as PyError where error.kind == .zeroDivisionError && error.message.hasPrefix("float") {
                throw PyError(.zeroDivisionError, "float divmod()")
            }
        },
        "pow": { args in
            let a = try args.bind("pow", ["base", "exp", "mod"], required: 2)
            guard let mod = a[2], mod.typeName != "NoneType" else { return try Operators.binary(.power, a[0]!, a[1]!) }
            guard let base = a[0]!.exactInteger, let exponent = a[1]!.exactInteger, let modulus = mod.exactInteger else {
                throw PyError.type("pow() 3rd argument not allowed unless all arguments are integers")
            }
            return .integer(try modularPower(base, exponent, modulus))
        },
        "hex": { try radix($0, "hex", 16, prefix: "0x") },
        "oct": { try radix($0, "oct", 8, prefix: "0o") },
        "bin": { try radix($0, "bin", 2, prefix: "0b") },
        "chr": { args in
            // a C int: past 32 bits is an overflow, not a value out of range
            let argument = try args.bind("chr", ["i"], required: 1)[0]!
            let tooLarge = PyError(.overflowError, "Python int too large to convert to C int")
            if case .bigInt = try argument.indexValue { throw tooLarge }
            let code = try argument.asIndex()
            guard Int32(exactly: code) != nil else { throw tooLarge }
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
        guard let i = try x.indexValue.exactInteger else { throw PyError.type("'\(x.typeName)' object cannot be interpreted as an integer") }
        return .str((i < 0 ? "-" : "") + prefix + String(i.magnitude, radix: base))
    }
}

/// An iterator over items taken when it was made (`iter(x)` of a list, a str, ...), printed as Python prints it.
/// `next()` takes one item at a time, iterating takes the rest, so it is used up once, as Python's.
final class IteratorObject: IterableObject, PythonIterator {
    let typeName: String
    private let all: [Value]
    private var position = 0
    /// What its repr names, when not its type (`generator object Module.parameters`).
    private let shownAs: String?

    init(_ typeName: String, _ items: [Value], shownAs: String? = nil) {
        self.typeName = typeName
        all = items
        self.shownAs = shownAs
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

    var repr: String { "<\(shownAs ?? typeName + " object") at \(objectAddress(self))>" }
}

/// `pow(base, exp, mod)` as Python computes it: by squaring modulo `mod` (a huge exponent costs no memory), a
/// negative exponent through the base's inverse, the result taking the modulus's sign.
private func modularPower(_ base: BigInt, _ exponent: BigInt, _ modulus: BigInt) throws -> BigInt {
    guard !modulus.isZero else { throw PyError.value("pow() 3rd argument cannot be 0") }
    let m = BigInt(modulus.magnitude)
    guard m > 1 else { return 0 }
    var b = (base % m + m) % m
    if exponent < 0 {
        guard let inverse = b.inverse(m) else { throw PyError.value("base is not invertible for the given modulus") }
        b = inverse
    }
    let r = BigInt(b.magnitude.power(exponent.magnitude, modulus: m.magnitude))
    return modulus < 0 && !r.isZero ? r + modulus : r
}
