import Foundation

/// The `str` methods people use.
enum StringMethods {
    static let names = ["join", "split", "strip", "lstrip", "rstrip", "lower", "upper", "replace", "format",
                        "startswith", "endswith", "find", "count", "title", "capitalize", "isdigit", "isalpha",
                        "splitlines", "center", "ljust", "rjust"]

    static func method(_ s: String, _ name: String) -> Value? {
        guard names.contains(name) else { return nil }
        return Attributes.method(name) { args in try call(s, name, args) }
    }

    private static func call(_ s: String, _ name: String, _ args: Arguments) throws -> Value {
        switch name {
        case "join":
            let items = try Iteration.materialize(try args.bind(name, ["iterable"], required: 1)[0]!)
            return .str(try items.enumerated().map { i, v in
                guard case .str(let t) = v else { throw PyError.type("sequence item \(i): expected str instance, \(v.typeName) found") }
                return t
            }.joined(separator: s))
        case "split":
            let a = try args.bind(name, ["sep", "maxsplit"])
            let limit = try a[1].map { try $0.asInt("maxsplit") } ?? -1
            if let sep = a[0], case .str(let separator) = sep {
                guard !separator.isEmpty else { throw PyError.value("empty separator") }
                var parts = s.components(separatedBy: separator)
                if limit >= 0 && parts.count > limit + 1 { parts = Array(parts[..<limit]) + [parts[limit...].joined(separator: separator)] }
                return .list(PyList(parts.map(Value.str)))
            }
            var parts = s.split(whereSeparator: { $0.isWhitespace }).map(String.init)
            if limit >= 0 && parts.count > limit + 1 {
                var rest = Substring(s)
                for _ in 0..<limit { rest = rest.drop(while: { $0.isWhitespace }).drop(while: { !$0.isWhitespace }) }
                parts = Array(parts[..<limit]) + [String(rest.drop(while: { $0.isWhitespace }))]
            }
            return .list(PyList(parts.map(Value.str)))
        case "strip", "lstrip", "rstrip":
            let chars = try args.bind(name, ["chars"])[0].flatMap { v -> Set<Character>? in
                if case .none = v { return nil }
                return Set(try v.asString("chars"))
            }
            let strip: (Character) -> Bool = { chars?.contains($0) ?? $0.isWhitespace }
            var t = Substring(s)
            if name != "rstrip" { t = t.drop(while: strip) }
            if name != "lstrip" { while let l = t.last, strip(l) { t.removeLast() } }
            return .str(String(t))
        case "lower": try args.expectNone(name); return .str(s.lowercased())
        case "upper": try args.expectNone(name); return .str(s.uppercased())
        case "title": try args.expectNone(name); return .str(s.capitalized)
        case "capitalize": try args.expectNone(name); return .str(s.prefix(1).uppercased() + s.dropFirst().lowercased())
        case "isdigit": try args.expectNone(name); return .bool(!s.isEmpty && s.allSatisfy(\.isNumber))
        case "isalpha": try args.expectNone(name); return .bool(!s.isEmpty && s.allSatisfy(\.isLetter))
        case "splitlines": try args.expectNone(name); return .list(PyList(s.split(whereSeparator: \.isNewline).map { .str(String($0)) }))
        case "replace":
            let a = try args.bind(name, ["old", "new"], required: 2)
            return .str(s.replacingOccurrences(of: try a[0]!.asString("old"), with: try a[1]!.asString("new")))
        case "startswith", "endswith":
            let prefix = try args.bind(name, ["prefix"], required: 1)[0]!
            let options = prefix.typeName == "tuple" ? try Iteration.materialize(prefix).map { try $0.asString(name) } : [try prefix.asString(name)]
            return .bool(options.contains { name == "startswith" ? s.hasPrefix($0) : s.hasSuffix($0) })
        case "find", "count":
            let sub = try args.bind(name, ["sub"], required: 1)[0]!.asString("sub")
            if name == "count" { return .int(sub.isEmpty ? s.count + 1 : s.components(separatedBy: sub).count - 1) }
            guard let r = s.range(of: sub) else { return .int(-1) }
            return .int(s.distance(from: s.startIndex, to: r.lowerBound))
        case "center", "ljust", "rjust":
            let a = try args.bind(name, ["width", "fillchar"], required: 1)
            let width = try a[0]!.asInt("width"), fill = try a[1].map { try $0.asString("fillchar") } ?? " "
            let align = name == "center" ? "^" : name == "ljust" ? "<" : ">"
            return .str(try FormatSpec.format(.str(s), "\(fill)\(align)\(width)"))
        case "format":
            return .str(try formatMethod(s, args))
        default: throw PyError.attribute("str", name)
        }
    }

    /// `"{} scored {:.2f}".format(name, score)`, with `{0}` and `{name}` fields.
    private static func formatMethod(_ template: String, _ args: Arguments) throws -> String {
        var out = "", chars = Array(template)[...], auto = 0
        while let c = chars.popFirst() {
            if c == "{" && chars.first == "{" { chars.removeFirst(); out += "{"; continue }
            if c == "}" && chars.first == "}" { chars.removeFirst(); out += "}"; continue }
            guard c == "{" else { out.append(c); continue }
            var field = ""
            while let d = chars.first, d != "}" { field.append(chars.removeFirst()) }
            guard chars.popFirst() == "}" else { throw PyError.value("expected '}' before end of string") }
            let parts = field.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts.first ?? "")
            var value: Value
            if key.isEmpty {
                guard auto < args.positional.count else { throw PyError.index("Replacement index \(auto) out of range for positional args tuple") }
                value = args.positional[auto]
                auto += 1
            } else if let i = Int(key) {
                guard i < args.positional.count else { throw PyError.index("Replacement index \(i) out of range for positional args tuple") }
                value = args.positional[i]
            } else {
                guard let v = args.keywords.first(where: { $0.name == key })?.value else { throw PyError.key("'\(key)'") }
                value = v
            }
            out += try FormatSpec.format(value, parts.count > 1 ? String(parts[1]) : "")
        }
        return out
    }
}
