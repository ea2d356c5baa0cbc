import TensorCore

/// str's methods that map a string code point by code point: `translate` (with `str.maketrans`'s tables) and
/// `expandtabs`.
extension StringMethods {
    /// `str.maketrans(x[, y[, z]])`: a table for `translate`, from code points to code points, strings or None.
    nonisolated(unsafe) static let maketrans = BuiltinFunction("maketrans") { args in
        let a = try Signature("x, y=<unrepresentable>, z=<unrepresentable>, /").bind("maketrans", of: "str", args)
        let table = PyDict()
        guard let to = a[1] else {
            guard case .dict(let mapping) = a[0]! else { throw PyError.type("if you give only one argument to maketrans it must be a dict") }
            for (key, value) in mapping.items {
                switch key {
                case .int: try table.set(key, value)
                case .str(let s) where s.unicodeScalars.count == 1: try table.set(.int(Int(s.unicodeScalars.first!.value)), value)
                case .str: throw PyError.value("string keys in translate table must be of length 1")
                default: throw PyError.type("keys in translate table must be strings or integers")
                }
            }
            return .dict(table)
        }
        guard case .str(let from) = a[0]! else { throw PyError.type("first maketrans argument must be a string if there is a second argument") }
        let target = try to.asString("maketrans() argument 2")
        guard from.unicodeScalars.count == target.unicodeScalars.count else {
            throw PyError.value("the first two maketrans arguments must have equal length")
        }
        for (x, y) in zip(from.unicodeScalars, target.unicodeScalars) { try table.set(.int(Int(x.value)), .int(Int(y.value))) }
        for z in try a[2].map({ try $0.asString("maketrans() argument 3") })?.unicodeScalars ?? "".unicodeScalars {
            try table.set(.int(Int(z.value)), .none)
        }
        return .dict(table)
    }

    /// `str.translate(table)`: each code point looked up in `table` by its number (a dict, or anything with
    /// `__getitem__`): a str or a code point replaces it, None drops it, a missing key (LookupError) keeps it.
    static func translate(_ s: String, _ table: Value, _ interpreter: Interpreter) throws -> String {
        var out = String.UnicodeScalarView()
        for c in s.unicodeScalars {
            let mapped: Value
            do {
                mapped = try Subscripts.get(table, [.value(.int(Int(c.value)))], interpreter: interpreter)
            } catch let error as PyError where error.kind.isSubclass(of: .lookupError) {
                out.append(c)
                continue
            }
            switch mapped {
            case .none: break
            case .str(let text): out.append(contentsOf: text.unicodeScalars)
            case .int, .bigInt, .bool:
                guard let code = Int(exactly: mapped.exactInteger!), (0..<0x110000).contains(code) else {
                    throw PyError.value("character mapping must be in range(0x110000)")
                }
                guard let scalar = Unicode.Scalar(UInt32(code)) else { throw PyError.value("sbpl strings cannot hold the surrogate \(code)") }
                out.append(scalar)
            default: throw PyError.type("character mapping must return integer, None or str")
            }
        }
        return String(out)
    }

    /// `str.expandtabs(tabsize)`: each tab replaced by spaces up to the next multiple of `size` columns (counted
    /// from the last `\n` or `\r`); removed when `size` is 0 or less.
    static func expandingTabs(_ s: String, size: Int) throws -> String {
        var out = String.UnicodeScalarView(), column = 0, length = 0
        for c in s.unicodeScalars {
            guard c == "\t" else {
                out.append(c)
                length += 1
                column = c == "\n" || c == "\r" ? 0 : column + 1
                continue
            }
            guard size > 0 else { continue }
            let spaces = size - column % size
            let (grown, overflow) = length.addingReportingOverflow(spaces)
            guard !overflow else { throw PyError(.overflowError, "new string is too long") }
            try PyError.checkMemory(bytes: grown)
            out.append(contentsOf: repeatElement(" ", count: spaces))
            (length, column) = (grown, column + spaces)
        }
        return String(out)
    }
}
