import BigInt
import Foundation
import Synchronization

/// `re`: Python's regular expressions run by ICU's engine (Foundation's NSRegularExpression), whose syntax is
/// Python's but for a few spellings that `RegexPattern.translated` rewrites; offsets are counted in code points, as
/// Python counts them.
enum ReModule {
    /// The flags, as `re.IGNORECASE` etc. are valued, and ICU's option for each (nil: not supported by sbpl).
    static let flags: [(names: [String], value: Int, option: NSRegularExpression.Options?)] = [
        (["I", "IGNORECASE"], 2, .caseInsensitive), (["L", "LOCALE"], 4, nil), (["M", "MULTILINE"], 8, .anchorsMatchLines),
        (["S", "DOTALL"], 16, .dotMatchesLineSeparators), (["U", "UNICODE"], 32, []),
        (["X", "VERBOSE"], 64, .allowCommentsAndWhitespace), (["DEBUG", "DEBUG"], 128, nil), (["A", "ASCII"], 256, nil),
    ]

    /// The characters `re.escape` escapes (CPython's `_special_chars_map`).
    private static let special = Set("()[]{}?*+-|^$\\.&~# \t\n\r\u{0B}\u{0C}")

    static func make() -> PythonModule {
        var members: [String: Value] = [
            "compile": builtin("compile") { .object(try pattern($0, "compile", ["pattern", "flags"])) },
            "escape": builtin("escape") { args in
                let text = try args.bind("escape", ["pattern"], required: 1)[0]!.asString("pattern")
                return .str(String(text.flatMap { special.contains($0) ? ["\\", $0] : [$0] }))
            },
        ]
        // each of the pattern's methods as a module function: re.search(pattern, string, flags=0) is
        // re.compile(pattern, flags).search(string)
        for (name, parameters) in [("search", ["string"]), ("match", ["string"]), ("fullmatch", ["string"]), ("findall", ["string"]),
                                   ("finditer", ["string"]), ("split", ["string", "maxsplit"]), ("sub", ["repl", "string", "count"]),
                                   ("subn", ["repl", "string", "count"])] {
            members[name] = .object(BuiltinFunction(name, calling: { args, interpreter in
                let all = ["pattern"] + parameters + ["flags"]
                let a = try args.bind(name, all, required: 1 + (name.hasPrefix("sub") ? 2 : 1))
                let compiled = try pattern(Arguments([a[0]!] + (a.last!.map { [$0] } ?? [])), name, ["pattern", "flags"])
                let rest = a.dropFirst().dropLast().enumerated().compactMap { i, v in v.map { (parameters[i], $0) } }
                let method = try compiled.attribute(name, interpreter)!
                return try interpreter.call(method, Arguments(keywords: rest.map { (name: $0.0, value: $0.1) }))
            }))
        }
        for flag in flags { for name in flag.names { members[name] = .object(RegexFlag(flag.value)) } }
        members["NOFLAG"] = .object(RegexFlag(0))
        members["error"] = .object(ExceptionType(.regexError))
        return PythonModule("re", members, planned: ["purge", "template", "Pattern", "Match"])
    }

    /// `re.compile(pattern, flags)`: a pattern object as is, else `compiled`.
    private static func pattern(_ args: Arguments, _ name: String, _ parameters: [String]) throws -> RegexPattern {
        let a = try args.bind(name, parameters, required: 1)
        if case .object(let compiled as RegexPattern) = a[0]! { return compiled }
        let flags = try a[1].map { flag -> Int in
            if case .object(let f as RegexFlag) = flag { return f.value }
            return try flag.asInt("flags")
        }
        return try compiled(try a[0]!.asString("pattern"), flags: flags ?? 0)
    }

    /// `source` compiled with `flags`, or taken from the patterns compiled before, as CPython keeps them
    /// (`re.sub(r"\s+", " ", line)` in a loop compiles once).
    static func compiled(_ source: String, flags: Int) throws -> RegexPattern {
        let key = "\(flags):\(source)"
        if let cached = cache.withLock({ $0[key] }) { return cached }
        let pattern = try RegexPattern(source, flags: flags)
        cache.withLock { cache in
            if cache.count >= cacheLimit { cache.removeAll() }
            cache[key] = pattern
        }
        return pattern
    }

    /// The patterns compiled so far, by flags and source; emptied when it reaches `cacheLimit` (CPython's `_MAXCACHE`).
    private static let cache = Mutex<[String: RegexPattern]>([:])
    private static let cacheLimit = 512
}

/// `re.IGNORECASE` and the other flags: ints (`re.I == 2`) that print by name and join with `|`.
final class RegexFlag: NativeOperand {
    let value: Int

    init(_ value: Int) { self.value = value }

    var typeName: String { "RegexFlag" }
    var qualifiedTypeName: String? { "re.RegexFlag" }
    var repr: String {
        let names = ReModule.flags.filter { value & $0.value != 0 }.map { "re." + $0.names[1] }
        return names.isEmpty ? "re.NOFLAG" : names.joined(separator: "|")
    }

    func binary(_ op: BinaryOperator, _ other: Value, reflected: Bool) throws -> Value? {
        let operand: Int
        switch other {
        case .object(let flag as RegexFlag): operand = flag.value
        case .int(let i): operand = i
        default: return nil
        }
        switch op {
        case .bitOr: return .object(RegexFlag(value | operand))
        case .bitAnd: return .object(RegexFlag(value & operand))
        default: return try Operators.binary(op, reflected ? .int(operand) : .int(value), reflected ? .int(value) : .int(operand))
        }
    }

    func isEqual(to other: Value) -> Bool? {
        if case .object(let flag as RegexFlag) = other { return flag.value == value }
        return other.exactInteger == BigInt(value)
    }
}

/// `re.compile(...)`: a compiled pattern (`re.Pattern`).
final class RegexPattern: MemberTableObject, Sendable {
    let pattern: String
    let flags: Int
    let regex: NSRegularExpression
    /// The named groups and their numbers, in the pattern's order.
    let namedGroups: [(name: String, number: Int)]

    init(_ pattern: String, flags: Int) throws {
        let supported = ReModule.flags.filter { $0.option != nil }.reduce(0) { $0 | $1.value }
        guard flags & ~supported == 0 else { throw PyError.notImplemented("the regular expression flags \(RegexFlag(flags & ~supported).repr)") }
        self.pattern = pattern
        self.flags = flags | 32
        namedGroups = Self.namedGroups(in: pattern)
        let options = ReModule.flags.filter { flags & $0.value != 0 }.reduce(NSRegularExpression.Options.useUnixLineSeparators) { $0.union($1.option!) }
        do {
            regex = try NSRegularExpression(pattern: try Self.translated(pattern), options: options)
        } catch let error as PyError {
            throw error
        } catch {
            throw PyError(.regexError, "invalid regular expression \(Value.str(pattern).repr)")
        }
    }

    var typeName: String { "Pattern" }
    var qualifiedTypeName: String? { "re.Pattern" }
    /// `re.compile('a', re.IGNORECASE)`: the flags given, without the UNICODE every str pattern has.
    var repr: String {
        let given = flags & ~32
        return "re.compile(\(Value.str(pattern).repr)\(given == 0 ? "" : ", " + RegexFlag(given).repr))"
    }

    /// Python's spellings ICU lacks: `(?P<name>` and `(?P=name)` for named groups, `\Z` for the very end, and a
    /// `{` or `}` that makes no repeat count, which Python takes as itself; CPython's error for flags past the start.
    static func translated(_ pattern: String) throws -> String {
        if pattern.isEmpty { return "(?:)" }  // ICU refuses an empty pattern; Python's matches the empty string
        var out = "", rest = Substring(pattern)
        while let c = rest.first {
            if rest.hasPrefix("(?"), rest.startIndex != pattern.startIndex,
               let flags = rest.dropFirst(2).prefix(while: { "aiLmsux".contains($0) }).nilIfEmpty,
               rest.dropFirst(2 + flags.count).first == ")" {
                let position = pattern.unicodeScalars.distance(from: pattern.startIndex, to: rest.startIndex)
                throw PyError(.regexError, "global flags not at the start of the expression at position \(position)")
            }
            if c == "{", rest.wholeMatch(of: /\{\d*(,\d*)?\}.*/.dotMatchesNewlines()) == nil || rest.hasPrefix("{}") || rest.hasPrefix("{,}") {
                out += "\\{"
                rest = rest.dropFirst()
            } else if c == "}" {
                out += "\\}"
                rest = rest.dropFirst()
            } else if let count = rest.prefixMatch(of: /\{\d*(,\d*)?\}/) {
                out += count.output.0.hasPrefix("{,") ? "{0" + count.output.0.dropFirst() : count.output.0  // ICU needs the 0 of {,n}
                rest = rest[count.range.upperBound...]
            } else if rest.hasPrefix("(?P<") {
                out += "(?<"
                rest = rest.dropFirst(4)
            } else if rest.hasPrefix("(?P="), let close = rest.firstIndex(of: ")") {
                out += "\\k<" + rest[rest.index(rest.startIndex, offsetBy: 4)..<close] + ">"
                rest = rest[rest.index(after: close)...]
            } else if c == "\\", rest.count > 1 {
                let next = rest[rest.index(after: rest.startIndex)]
                out += next == "Z" ? "\\z" : "\\\(next)"
                rest = rest.dropFirst(2)
            } else {
                out.append(c)
                rest = rest.dropFirst()
            }
        }
        return out
    }

    /// The pattern's named groups with their numbers, counted among its capturing parentheses: a `(` not followed by
    /// `?`, or followed by `?P<name>` or `?<name>`.
    private static func namedGroups(in pattern: String) -> [(name: String, number: Int)] {
        var groups: [(name: String, number: Int)] = [], number = 0, escaped = false, inClass = false
        let scalars = Array(pattern.unicodeScalars)
        for (i, c) in scalars.enumerated() {
            defer { escaped = !escaped && c == "\\" }
            if escaped { continue }
            if c == "[" { inClass = true } else if c == "]" { inClass = false }
            guard !inClass, c == "(" else { continue }
            let after = String(String.UnicodeScalarView(scalars[(i + 1)...]))
            let lookbehind = after.hasPrefix("?<=") || after.hasPrefix("?<!")
            let named = after.hasPrefix("?P<") ? after.dropFirst(3) : after.hasPrefix("?<") && !lookbehind ? after.dropFirst(2) : nil
            guard named != nil || !after.hasPrefix("?") else { continue }
            number += 1
            if let named, let close = named.firstIndex(of: ">") { groups.append((String(named[..<close]), number)) }
        }
        return groups
    }

    /// The matches in `text`, each its groups' ranges (nil where a group took no part).
    func matches(in text: String, limit: Int = .max, anchored: Bool = false) -> [RegexMatch] {
        let whole = NSRange(text.startIndex..., in: text)
        var found: [RegexMatch] = []
        regex.enumerateMatches(in: text, options: anchored ? .anchored : [], range: whole) { result, _, stop in
            guard let result else { return }
            found.append(RegexMatch(self, text, (0..<result.numberOfRanges).map { Range(result.range(at: $0), in: text) }))
            if found.count >= limit || anchored { stop.pointee = true }
        }
        return found
    }

    /// The group `key` names: its number, or its name.
    func group(_ key: Value) throws -> Int {
        if case .str(let name) = key {
            guard let number = namedGroups.first(where: { $0.name == name })?.number else { throw PyError(.indexError, "no such group") }
            return number
        }
        guard let number = key.exactInteger.flatMap({ Int(exactly: $0) }), (0...regex.numberOfCaptureGroups).contains(number) else {
            throw PyError(.indexError, "no such group")
        }
        return number
    }

    static let members = MemberTable<RegexPattern>("re.Pattern", [
        .attribute("pattern", "the pattern's source") { .str($0.pattern) },
        .attribute("flags", "the flags it was compiled with") { .int($0.flags) },
        .attribute("groups", "the number of capturing groups") { .int($0.regex.numberOfCaptureGroups) },
        .attribute("groupindex", "the named groups' numbers") { p in
            .dict(try PyDict(p.namedGroups.map { (.str($0.0), .int($0.1)) }))
        },
        .method("search", "string", "the first match anywhere in string, or None") { p, call in
            p.matches(in: try call[0]!.asString("string"), limit: 1).first.map { .object($0) } ?? .none
        },
        .method("match", "string", "the match at the start of string, or None") { p, call in
            p.matches(in: try call[0]!.asString("string"), anchored: true).first.map { .object($0) } ?? .none
        },
        .method("fullmatch", "string", "the match of the whole string, or None") { p, call in
            let text = try call[0]!.asString("string")
            let whole = try ReModule.compiled("(?:\(p.pattern))\\Z", flags: p.flags & ~32)
            return whole.matches(in: text, anchored: true).first.map { .object(RegexMatch(p, text, $0.ranges)) } ?? .none
        },
        .method("findall", "string", "every match: the whole text, its one group, or a tuple of its groups") { p, call in
            .list(PyList(p.matches(in: try call[0]!.asString("string")).map { m in
                let groups = m.ranges.dropFirst().indices.map { m.text(of: $0) ?? .str("") }
                return groups.isEmpty ? m.text(of: 0)! : groups.count == 1 ? groups[0] : .tuple(groups)
            }))
        },
        .method("finditer", "string", "an iterator over the match objects") { p, call in
            .object(IteratorObject("callable_iterator", p.matches(in: try call[0]!.asString("string")).map { .object($0) }))
        },
        .method("split", "string, maxsplit=0", "the text between the matches (and each match's groups)") { p, call in
            let text = try call[0]!.asString("string"), most = try call[1]?.asInt("maxsplit") ?? 0
            guard most >= 0 else { return .list(PyList([.str(text)])) }  // a negative maxsplit splits nothing
            var pieces: [Value] = [], last = text.startIndex
            for m in p.matches(in: text, limit: most > 0 ? most : .max) {
                pieces.append(.str(String(text[last..<m.ranges[0]!.lowerBound])))
                pieces += m.ranges.indices.dropFirst().map { m.text(of: $0) ?? .none }
                last = m.ranges[0]!.upperBound
            }
            return .list(PyList(pieces + [.str(String(text[last...]))]))
        },
        .method("sub", "repl, string, count=0", "string with the matches replaced by repl (a template or a function)") { p, call in
            try p.substitute(call).0
        },
        .method("subn", "repl, string, count=0", "sub's result and the number of replacements") { p, call in
            let (text, count) = try p.substitute(call)
            return .tuple([text, .int(count)])
        },
    ])

    /// `sub`/`subn`: the new text and how many matches were replaced.
    private func substitute(_ call: Call) throws -> (Value, Int) {
        let text = try call[1]!.asString("string"), count = try call[2]?.asInt("count") ?? 0
        let template: ReplacementTemplate? = if case .str(let repl) = call[0]! { try ReplacementTemplate(repl, self) } else { nil }
        guard count >= 0 else { return (.str(text), 0) }  // a negative count replaces nothing
        var out = "", last = text.startIndex
        let found = matches(in: text, limit: count > 0 ? count : .max)
        for m in found {
            out += text[last..<m.ranges[0]!.lowerBound]
            out += try template?.expand(m) ?? Self.replacement(of: m, by: call[0]!, call.interpreter)
            last = m.ranges[0]!.upperBound
        }
        return (.str(out + text[last...]), found.count)
    }

    /// What the function `repl` returns for the match `m`, which must be a str.
    private static func replacement(of m: RegexMatch, by repl: Value, _ interpreter: Interpreter) throws -> String {
        guard case .str(let replacement) = try interpreter.call(repl, Arguments([.object(m)])) else {
            throw PyError.type("expected str instance from the replacement function")
        }
        return replacement
    }
}

extension Substring {
    fileprivate var nilIfEmpty: Substring? { isEmpty ? nil : self }
}

/// A replacement string of `re.sub`: text, and groups named by `\1`, `\g<1>` or `\g<name>`; `\n` and the other
/// escapes of a Python string literal.
struct ReplacementTemplate {
    enum Part { case text(String), group(Int) }
    let parts: [Part]

    init(_ repl: String, _ pattern: RegexPattern) throws {
        var parts: [Part] = [], text = "", rest = Substring(repl)
        let escapes: [Character: String] = ["n": "\n", "t": "\t", "r": "\r", "\\": "\\", "a": "\u{07}", "f": "\u{0C}", "v": "\u{0B}", "b": "\u{08}"]
        /// CPython's error, at the place in `repl` where `index` is.
        func error(_ message: String, at index: Substring.Index) -> PyError {
            PyError(.regexError, "\(message) at position \(repl.unicodeScalars.distance(from: repl.startIndex, to: index))")
        }
        /// Group `number`, which the pattern must have.
        func group(_ number: Int, at index: Substring.Index) throws -> Part {
            guard number <= pattern.regex.numberOfCaptureGroups else { throw error("invalid group reference \(number)", at: index) }
            return .group(number)
        }
        while let c = rest.first {
            let backslash = rest.startIndex
            rest = rest.dropFirst()
            guard c == "\\", let next = rest.first else { text.append(c); continue }
            if let digit = next.wholeNumberValue {
                let start = rest.startIndex
                rest = rest.dropFirst()
                var number = digit
                if let second = rest.first?.wholeNumberValue { number = number * 10 + second; rest = rest.dropFirst() }
                parts += [.text(text), try group(number, at: start)]
                text = ""
            } else if next == "g" {
                guard rest.dropFirst().first == "<", let close = rest.firstIndex(of: ">") else {
                    throw error("missing <", at: rest.index(after: rest.startIndex))
                }
                let nameStart = rest.index(rest.startIndex, offsetBy: 2), name = String(rest[nameStart..<close])
                if let number = Int(name) {
                    parts += [.text(text), try group(number, at: nameStart)]
                } else {
                    guard let number = pattern.namedGroups.first(where: { $0.name == name })?.number else {
                        throw PyError(.indexError, "unknown group name '\(name)'")
                    }
                    parts += [.text(text), .group(number)]
                }
                text = ""
                rest = rest[rest.index(after: close)...]
            } else if let escaped = escapes[next] {
                text += escaped
                rest = rest.dropFirst()
            } else if next.isASCII && next.isLetter {
                throw error("bad escape \\\(next)", at: backslash)
            } else {
                text += "\\"
            }
        }
        self.parts = parts + [.text(text)]
    }

    func expand(_ match: RegexMatch) -> String {
        parts.map { part in
            switch part {
            case .text(let s): s
            case .group(let g): match.ranges[g].map { String(match.string[$0]) } ?? ""
            }
        }.joined()
    }
}

/// A match (`re.Match`): the searched string and the range of each group.
final class RegexMatch: MemberTableObject {
    let pattern: RegexPattern
    let string: String
    /// The whole match, then each group; nil where a group took no part.
    let ranges: [Range<String.Index>?]

    init(_ pattern: RegexPattern, _ string: String, _ ranges: [Range<String.Index>?]) {
        self.pattern = pattern
        self.string = string
        self.ranges = ranges
    }

    var typeName: String { "Match" }
    var qualifiedTypeName: String? { "re.Match" }
    var repr: String { "<re.Match object; span=\(span(0).repr), match=\(text(of: 0)!.repr)>" }

    /// Group `g`'s text, nil when it took no part.
    func text(of g: Int) -> Value? { ranges[g].map { .str(String(string[$0])) } }

    /// Group `g`'s start and end in code points, (-1, -1) when it took no part.
    func span(_ g: Int) -> Value {
        guard let range = ranges[g] else { return .tuple([.int(-1), .int(-1)]) }
        let start = string.unicodeScalars.distance(from: string.startIndex, to: range.lowerBound)
        return .tuple([.int(start), .int(start + string.unicodeScalars.distance(from: range.lowerBound, to: range.upperBound))])
    }

    /// `m[g]` / `m.group(g)`.
    func group(_ key: Value) throws -> Value { text(of: try pattern.group(key)) ?? .none }

    static let members = MemberTable<RegexMatch>("re.Match", [
        .attribute("string", "the string searched") { .str($0.string) },
        .attribute("re", "the pattern") { .object($0.pattern) },
        .attribute("lastindex", "the number of the last group that matched") { m in
            m.ranges.indices.dropFirst().last { m.ranges[$0] != nil }.map(Value.int) ?? .none
        },
        .method("group", "*groups", "the text of the whole match (no argument) or of each group named") { m, call in
            let keys = call.arguments.positional
            if keys.count <= 1 { return try m.group(keys.first ?? .int(0)) }
            return .tuple(try keys.map(m.group))
        },
        .method("groups", "default=None", "every group's text (default where one took no part)") { m, call in
            .tuple(m.ranges.indices.dropFirst().map { m.text(of: $0) ?? call[0] ?? .none })
        },
        .method("groupdict", "default=None", "the named groups' texts") { m, call in
            .dict(try PyDict(m.pattern.namedGroups.map { (.str($0.0), m.text(of: $0.1) ?? call[0] ?? .none) }))
        },
        .method("start", "group=0", "where the group starts") { m, call in
            guard case .tuple(let span) = m.span(try m.pattern.group(call[0] ?? .int(0))) else { return .none }
            return span[0]
        },
        .method("end", "group=0", "where the group ends") { m, call in
            guard case .tuple(let span) = m.span(try m.pattern.group(call[0] ?? .int(0))) else { return .none }
            return span[1]
        },
        .method("span", "group=0", "(start, end) of the group") { m, call in m.span(try m.pattern.group(call[0] ?? .int(0))) },
    ])
}
