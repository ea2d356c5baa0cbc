import Foundation
import TensorCore

/// The `str` methods people use.
enum StringMethods {
    static let table = MemberTable<String>("str", [
        .method("join", "iterable, /", "the items of iterable (all str) joined with this string between them") { s, call in
            .str(try materializeJoined(call[0]!).enumerated().map { i, v in
                guard case .str(let t) = v else { throw PyError.type("sequence item \(i): expected str instance, \(v.typeName) found") }
                return t
            }.joined(separator: s))
        },
        .method("split", "sep=None, maxsplit=-1", "the words of the string, split at sep (runs of whitespace when None)") { s, call in
            try split(s, call, fromEnd: false)
        },
        .method("rsplit", "sep=None, maxsplit=-1", "the words of the string, split at sep (runs of whitespace when None) from the end") { s, call in
            try split(s, call, fromEnd: true)
        },
        .method("splitlines", "keepends=False", "the lines of the string, with their line breaks when keepends") { s, call in
            try splitLines(s, keepingEnds: try call[0]?.isTruthy() ?? false)
        },
        .method("partition", "sep, /", "(before, sep, after) around the first sep; (the string, '', '') without one") { s, call in
            try partition(s, call[0]!, fromEnd: false)
        },
        .method("rpartition", "sep, /", "(before, sep, after) around the last sep; ('', '', the string) without one") { s, call in
            try partition(s, call[0]!, fromEnd: true)
        },
        .method("removeprefix", "prefix, /", "the string without prefix if it starts with it") { s, call in
            .str(try removingAffix(s, call[0]!, "removeprefix", suffix: false))
        },
        .method("removesuffix", "suffix, /", "the string without suffix if it ends with it") { s, call in
            .str(try removingAffix(s, call[0]!, "removesuffix", suffix: true))
        },
        .method("expandtabs", "tabsize=8", "the string with each tab replaced by spaces up to the next multiple of tabsize columns") { s, call in
            let size = try call[0].map { try $0.asInt("tabsize") } ?? 8
            guard Int32(exactly: size) != nil else { throw PyError(.overflowError, "Python int too large to convert to C int") }
            return .str(try expandingTabs(s, size: size))
        },
        .method("translate", "table, /", "the string with each character mapped through table (from str.maketrans)") { s, call in
            .str(try translate(s, call[0]!, call.interpreter))
        },
        .method("format_map", "mapping, /", "the string with its {name} fields replaced by mapping[name], formatted") { s, call in
            .str(try formatMethod(s, positional: nil, interpreter: call.interpreter) { key in
                try Subscripts.get(call[0]!, [.value(.str(key))], interpreter: call.interpreter)
            })
        },
        .method("strip", "chars=None, /", "the string without leading and trailing chars (whitespace when None)") { s, call in
            .str(try strip(s, call[0], leading: true, trailing: true))
        },
        .method("lstrip", "chars=None, /", "the string without leading chars (whitespace when None)") { s, call in
            .str(try strip(s, call[0], leading: true, trailing: false))
        },
        .method("rstrip", "chars=None, /", "the string without trailing chars (whitespace when None)") { s, call in
            .str(try strip(s, call[0], leading: false, trailing: true))
        },
        .method("lower", "/", "the string in lowercase") { s, _ in .str(PythonCharacters.lower(s)) },
        .method("upper", "/", "the string in uppercase") { s, _ in .str(PythonCharacters.upper(s)) },
        .method("casefold", "/", "the string folded for caseless comparisons") { s, _ in .str(PythonCharacters.casefold(s)) },
        .method("swapcase", "/", "the string with uppercase letters lowered and lowercase ones raised") { s, _ in
            .str(PythonCharacters.swapcase(s))
        },
        .method("zfill", "width, /", "the string padded with zeros on the left to width, after a leading sign") { s, call in
            let width = try call[0]!.asIndex(), length = s.unicodeScalars.count
            guard width > length else { return .str(s) }
            try PyError.checkMemory(bytes: width)
            let sign = s.first.map { $0 == "+" || $0 == "-" } ?? false
            let zeros = String(repeating: "0", count: width - length)
            return .str(sign ? String(s.prefix(1)) + zeros + s.dropFirst() : zeros + s)
        },
        .method("replace", "old, new, count=-1, /", "the string with old replaced by new (the first count times; every time when -1)") { s, call in
            .str(try replace(s, try call[0]!.asString("old"), try call[1]!.asString("new"), count: try call[2].map { try $0.asInt("count") } ?? -1))
        },
        .method("format", "*args", "the string with its {} fields replaced by the arguments, formatted") { s, call in
            .str(try formatMethod(s, positional: call.arguments.positional, interpreter: call.interpreter) { key in
                guard let value = call.arguments.keywords.first(where: { $0.name == key })?.value else { throw PyError.key(.str(key)) }
                return value
            })
        },
        .method("startswith", "prefix[, start[, end]]", "whether the string (from start to end) starts with prefix (or one of a tuple of them)") { s, call in
            let window = try window(s, call)?.scalars
            return .bool(try anyAffix(call[0]!, "startswith") { prefix in window.map { $0.starts(with: prefix.unicodeScalars) } ?? false })
        },
        .method("endswith", "suffix[, start[, end]]", "whether the string (from start to end) ends with suffix (or one of a tuple of them)") { s, call in
            let window = try window(s, call)?.scalars
            return .bool(try anyAffix(call[0]!, "endswith") { suffix in window.map { $0.reversed().starts(with: suffix.unicodeScalars.reversed()) } ?? false })
        },
        .method("find", "sub[, start[, end]]", "the index of the first sub in the string (from start to end), -1 when absent") { s, call in
            .int(try position(of: call[0]!, in: s, call) ?? -1)
        },
        .method("rfind", "sub[, start[, end]]", "the index of the last sub in the string (from start to end), -1 when absent") { s, call in
            .int(try position(of: call[0]!, in: s, call, last: true) ?? -1)
        },
        .method("rindex", "sub[, start[, end]]", "the index of the last sub in the string (from start to end; ValueError when absent)") { s, call in
            guard let i = try position(of: call[0]!, in: s, call, last: true) else { throw PyError.value("substring not found") }
            return .int(i)
        },
        .method("index", "sub[, start[, end]]", "the index of the first sub in the string (from start to end; ValueError when absent)") { s, call in
            guard let i = try position(of: call[0]!, in: s, call) else { throw PyError.value("substring not found") }
            return .int(i)
        },
        .method("count", "sub[, start[, end]]", "how many times sub occurs in the string (from start to end), without overlaps") { s, call in
            let sub = Array(try call[0]!.asString(nil).unicodeScalars)
            guard var rest = try window(s, call)?.scalars, rest.count >= sub.count else { return .int(0) }
            if sub.isEmpty { return .int(rest.count + 1) }
            var found = 0
            while let match = rest.firstRange(of: sub) {
                found += 1
                rest = rest[match.upperBound...]
            }
            return .int(found)
        },
        .method("title", "/", "the string with each word capitalised") { s, _ in .str(PythonCharacters.title(s)) },
        .method("capitalize", "/", "the string with its first character in title case and the rest lowercase") { s, _ in
            .str(PythonCharacters.capitalize(s))
        },
        .method("isalnum", "/", "whether the string is non-empty and all letters and digits") { s, _ in .bool(all(s, PythonCharacters.isAlphanumeric)) },
        .method("isalpha", "/", "whether the string is non-empty and all letters") { s, _ in .bool(all(s, PythonCharacters.isAlpha)) },
        .method("isascii", "/", "whether every character of the string is ASCII") { s, _ in .bool(s.unicodeScalars.allSatisfy(\.isASCII)) },
        .method("isdecimal", "/", "whether the string is non-empty and all decimal digits") { s, _ in .bool(all(s, PythonCharacters.isDecimal)) },
        .method("isdigit", "/", "whether the string is non-empty and all digits") { s, _ in .bool(all(s, PythonCharacters.isDigit)) },
        .method("isnumeric", "/", "whether the string is non-empty and all numeric characters") { s, _ in .bool(all(s, PythonCharacters.isNumeric)) },
        .method("isspace", "/", "whether the string is non-empty and all whitespace") { s, _ in .bool(all(s, PythonCharacters.isSpace)) },
        .method("isprintable", "/", "whether repr() shows every character of the string as itself") { s, _ in
            .bool(s.unicodeScalars.allSatisfy(PythonCharacters.isPrintable))
        },
        .method("isidentifier", "/", "whether the string is a valid Python identifier") { s, _ in .bool(PythonCharacters.isIdentifier(s)) },
        .method("islower", "/", "whether the string has cased characters and all of them are lowercase") { s, _ in
            .bool(PythonCharacters.isAllCased(s, upper: false))
        },
        .method("isupper", "/", "whether the string has cased characters and all of them are uppercase") { s, _ in
            .bool(PythonCharacters.isAllCased(s, upper: true))
        },
        .method("istitle", "/", "whether the string is title-cased: words start in upper case, the rest lowercase") { s, _ in
            .bool(PythonCharacters.isTitlecased(s))
        },
        .method("center", "width, fillchar=' ', /", "the string centred in width characters of fillchar") { s, call in
            .str(try justify(s, .center, call))
        },
        .method("ljust", "width, fillchar=' ', /", "the string left-justified in width characters of fillchar") { s, call in
            .str(try justify(s, .left, call))
        },
        .method("rjust", "width, fillchar=' ', /", "the string right-justified in width characters of fillchar") { s, call in
            .str(try justify(s, .right, call))
        },
    ])

    /// `str.replace` by code points, as CPython: an empty `old` puts `new` before each code point and at the end.
    private static func replace(_ s: String, _ old: String, _ new: String, count: Int) throws -> String {
        let text = Array(s.unicodeScalars), pattern = Array(old.unicodeScalars), limit = count < 0 ? Int.max : count
        var out = String.UnicodeScalarView(), i = 0, done = 0, length = 0
        let inserted = Array(new.unicodeScalars)
        func insert() throws {
            length += inserted.count
            try PyError.checkMemory(bytes: length)
            out.append(contentsOf: inserted)
            done += 1
        }
        while i < text.count {
            if done < limit, pattern.isEmpty || text[i...].starts(with: pattern) {
                try insert()
                if !pattern.isEmpty { i += pattern.count; continue }
            }
            out.append(text[i])
            (i, length) = (i + 1, length + 1)
        }
        if pattern.isEmpty, done < limit { try insert() }
        return String(out)
    }

    /// `strip`, `lstrip`, `rstrip`: the code points in `chars` (whitespace when None) cut from either end.
    private static func strip(_ s: String, _ chars: Value?, leading: Bool, trailing: Bool) throws -> String {
        let set = try chars.flatMap { v -> Set<Unicode.Scalar>? in
            if case .none = v { return nil }
            let method = leading && trailing ? "strip" : leading ? "lstrip" : "rstrip"
            guard case .str(let text) = v else { throw PyError.type("\(method) arg must be None or str") }
            return Set(text.unicodeScalars)
        }
        let strip: (Unicode.Scalar) -> Bool = { set?.contains($0) ?? PythonCharacters.isSpace($0) }
        var t = Substring(s).unicodeScalars[...]
        if leading { t = t.drop(while: strip) }
        if trailing { while let l = t.last, strip(l) { t.removeLast() } }
        return string(t)
    }

    /// Whether `s` is non-empty and each of its code points passes `test` (`isdigit`, `isspace`, ...).
    private static func all(_ s: String, _ test: (Unicode.Scalar) -> Bool) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy(test)
    }

    /// The items `join` joins; CPython's TypeError for what is not iterable.
    private static func materializeJoined(_ iterable: Value) throws -> [Value] {
        do { return try Iteration.materialize(iterable) } catch let error as PyError where error.message.hasSuffix("is not iterable") {
            throw PyError.type("can only join an iterable")
        }
    }

    /// The code points of `s` that a search method's optional `start` and `end` (its second and third arguments,
    /// slice indices or None) select, bounded as CPython's `ADJUST_INDICES` bounds them: negative ones count from
    /// the end, `end` is cut to the length, `start` is not; nil when `start` is past `end`.
    private static func window(_ s: String, _ call: Call) throws -> (scalars: ArraySlice<Unicode.Scalar>, start: Int)? {
        let scalars = Array(s.unicodeScalars), length = scalars.count
        func bound(_ value: Value?, _ absent: Int) throws -> Int {
            guard let i = try Subscripts.optionalInt(value) else { return absent }
            return i < 0 ? Swift.max(i + length, 0) : i
        }
        let start = try bound(call[1], 0), end = Swift.min(try bound(call[2], length), length)
        return start <= end ? (scalars[start..<end], start) : nil
    }

    /// Where `sub` first (or `last`) occurs in the string's window (`call`'s start and end), as a code point index
    /// of the whole string.
    private static func position(of sub: Value, in s: String, _ call: Call, last: Bool = false) throws -> Int? {
        let sub = Array(try sub.asString(nil).unicodeScalars)
        guard let (scalars, start) = try window(s, call), scalars.count >= sub.count else { return nil }
        if sub.isEmpty { return last ? scalars.endIndex : start }
        guard last else { return scalars.firstRange(of: sub)?.lowerBound }  // the slice keeps the whole string's indices
        return stride(from: scalars.endIndex - sub.count, through: scalars.startIndex, by: -1).first { i in
            scalars[i..<(i + sub.count)].elementsEqual(sub)
        }
    }

    /// `startswith` / `endswith`: whether `matches` holds for the string or for one of a tuple of them, tried in
    /// order (an item that is not a str is an error once it is reached, as in CPython).
    private static func anyAffix(_ value: Value, _ name: String, _ matches: (String) -> Bool) throws -> Bool {
        guard case .tuple(let items) = value else {
            guard case .str(let text) = value else { throw PyError.type("\(name) first arg must be str or a tuple of str, not \(value.typeName)") }
            return matches(text)
        }
        for item in items {
            guard case .str(let text) = item else { throw PyError.type("tuple for \(name) must only contain str, not \(item.typeName)") }
            if matches(text) { return true }
        }
        return false
    }

    /// Where `ljust`, `center` and `rjust` put the string.
    private enum Justification { case left, center, right }

    /// `ljust`, `center` and `rjust`: the string padded with `fillchar` to `width` code points; `center` puts an
    /// odd margin's extra one on the left when `width` is odd, as CPython does.
    private static func justify(_ s: String, _ justification: Justification, _ call: Call) throws -> String {
        let width = try call[0]!.asIndex(), length = s.unicodeScalars.count
        let fill = try call[1].map { try $0.asString("fillchar") } ?? " "
        guard fill.unicodeScalars.count == 1 else { throw PyError.type("The fill character must be exactly one character long") }
        guard width > length else { return s }
        try PyError.checkMemory(bytes: width)
        let margin = width - length
        let before = switch justification {
        case .left: 0
        case .center: margin / 2 + (margin & width & 1)
        case .right: margin
        }
        return String(repeating: fill, count: before) + s + String(repeating: fill, count: margin - before)
    }

    /// `"{} scored {:.2f}".format(name, score)`, with `{0}` and `{name}` fields: the positional arguments, and what
    /// `lookup` gives for a name (`format_map` has no positional arguments: nil).
    private static func formatMethod(_ template: String, positional: [Value]?, interpreter: Interpreter,
                                     lookup: (String) throws -> Value) throws -> String {
        var numbering = FieldNumbering()
        return try replacingFields(template, depth: 0) { field in
            let parts = splitField(field)
            let named = parts.name.split(separator: "!", maxSplits: 1, omittingEmptySubsequences: false)
            let conversion = named.count > 1 ? named[1].first : nil
            if named.count > 1, named[1].count != 1 || !"rsa".contains(conversion!) {
                throw PyError.value(named[1].isEmpty ? "unmatched '{' in format spec" : named[1].count > 1
                    ? "expected ':' after conversion specifier" : "Unknown conversion specifier \(named[1])")
            }
            let value = try fieldValue(String(named[0]), positional: positional, numbering: &numbering, interpreter, lookup)
            // a spec's own fields (`{:{width}.{precision}f}`) are replaced first
            let spec = try replacingFields(parts.spec, depth: 1) { inner in
                try fieldValue(inner, positional: positional, numbering: &numbering, interpreter, lookup).checkedStr()
            }
            return try FormatSpec.format(try FormatSpec.converted(value, conversion), spec)
        }
    }

    /// Whether a template's fields are numbered by hand (`{0}`) or in order (`{}`): one or the other, as Python's.
    private struct FieldNumbering {
        var next = 0
        var manual: Bool?

        mutating func position(_ digits: String) throws -> Int {
            let isManual = !digits.isEmpty
            if let manual, manual != isManual {
                throw PyError.value(manual ? "cannot switch from manual field specification to automatic field numbering"
                                           : "cannot switch from automatic field numbering to manual field specification")
            }
            manual = isManual
            guard isManual else { defer { next += 1 }; return next }
            guard let i = Int(digits) else { throw PyError.value("Too many decimal digits in format string") }
            return i
        }
    }

    /// `template` with each `{field}` replaced by `replacement(field)`, `{{` and `}}` as single braces.
    private static func replacingFields(_ template: String, depth: Int, _ replacement: (String) throws -> String) throws -> String {
        var out = "", chars = Array(template)[...]
        while let c = chars.popFirst() {
            if depth == 0 && c == "{" && chars.first == "{" { chars.removeFirst(); out += "{"; continue }
            if depth == 0 && c == "}" && chars.first == "}" { chars.removeFirst(); out += "}"; continue }
            if c == "}" { throw PyError.value("Single '}' encountered in format string") }
            guard c == "{" else { out.append(c); continue }
            if chars.isEmpty { throw PyError.value("Single '{' encountered in format string") }
            var field = "", nesting = 0
            while let d = chars.first, d != "}" || nesting > 0 {
                if d == "{" { nesting += 1 } else if d == "}" { nesting -= 1 }
                field.append(chars.removeFirst())
            }
            guard chars.popFirst() == "}" else { throw PyError.value(depth == 0 ? "expected '}' before end of string" : "unmatched '{' in format spec") }
            if depth > 0 && field.contains("{") { throw PyError.value("Max string recursion exceeded") }
            out += try replacement(field)
        }
        return out
    }

    /// A field's name (with its conversion) and its spec: split at the first `:` outside brackets.
    private static func splitField(_ field: String) -> (name: String, spec: String) {
        var inBrackets = false
        for index in field.indices {
            if field[index] == "[" { inBrackets = true } else if field[index] == "]" { inBrackets = false }
            if field[index] == ":" && !inBrackets { return (String(field[..<index]), String(field[field.index(after: index)...])) }
        }
        return (field, "")
    }

    /// The value a field names: an argument (by position or keyword), then each `.attribute` and `[key]` after it.
    private static func fieldValue(_ name: String, positional: [Value]?, numbering: inout FieldNumbering, _ interpreter: Interpreter,
                                   _ lookup: (String) throws -> Value) throws -> Value {
        var rest = Substring(name)
        let first = String(rest.prefix { $0 != "." && $0 != "[" })
        rest = rest.dropFirst(first.count)
        var value: Value
        if first.allSatisfy({ $0.isASCII && $0.isNumber }) {  // "" and digits: positional ("-1" is a name)
            guard let positional else { throw PyError.value("Format string contains positional fields") }
            let i = try numbering.position(first)
            guard i < positional.count else { throw PyError.index("Replacement index \(i) out of range for positional args tuple") }
            value = positional[i]
        } else {
            value = try lookup(first)
        }
        while let c = rest.popFirst() {
            if c == "." {
                let attribute = String(rest.prefix { $0 != "." && $0 != "[" })
                rest = rest.dropFirst(attribute.count)
                guard !attribute.isEmpty else { throw PyError.value("Empty attribute in format string") }
                guard let found = try interpreter.attribute(value, attribute) else { throw PyError.attribute(value.typeName, attribute) }
                value = found
            } else if c == "[" {
                let key = String(rest.prefix { $0 != "]" })
                rest = rest.dropFirst(key.count)
                guard rest.popFirst() == "]" else { throw PyError.value("Missing ']' in format string") }
                guard !key.isEmpty else { throw PyError.value("Empty attribute in format string") }
                let item: Value = key.allSatisfy({ $0.isASCII && $0.isNumber }) ? .int(Int(key) ?? 0) : .str(key)
                value = try Subscripts.get(value, [.value(item)], interpreter: interpreter)
            } else {
                throw PyError.value("Only '.' or '[' may follow ']' in format field specifier")
            }
        }
        return value
    }
}
