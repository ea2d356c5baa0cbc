/// str's methods that cut a string into parts, by code points as CPython cuts it.
extension StringMethods {
    /// `str.split` and (`fromEnd`) `str.rsplit`: at each `sep`, or at runs of whitespace (`sep=None`, which also drops
    /// the ends' whitespace), at most `maxsplit` times (from the end for `rsplit`, which splits the reversed string
    /// and reverses the parts).
    static func split(_ s: String, _ call: Call, fromEnd: Bool) throws -> Value {
        let limit = try call[1].map { try $0.asInt("maxsplit") } ?? -1
        var text = Array(s.unicodeScalars), separator: [Unicode.Scalar]?
        switch call[0] {
        case .str(let sep)?:
            guard !sep.isEmpty else { throw PyError.value("empty separator") }
            separator = Array(sep.unicodeScalars)
        case .none?, nil: separator = nil
        case let other?: throw PyError.type("must be str or None, not \(other.typeName)")
        }
        if fromEnd { text.reverse(); separator?.reverse() }
        var parts = pieces(text[...], at: separator, limit: limit < 0 ? Int.max : limit)
        if fromEnd { parts = parts.reversed().map { ArraySlice($0.reversed()) } }
        return .list(PyList(parts.map { .str(string($0)) }))
    }

    /// `text` cut at most `limit` times at `separator` (or at runs of whitespace, dropping those at the ends).
    private static func pieces(_ text: ArraySlice<Unicode.Scalar>, at separator: [Unicode.Scalar]?,
                               limit: Int) -> [ArraySlice<Unicode.Scalar>] {
        var parts = [ArraySlice<Unicode.Scalar>](), rest = text, cuts = 0
        guard let separator else {
            while cuts < limit {
                rest = rest.drop(while: PythonCharacters.isSpace)
                let word = rest.prefix { !PythonCharacters.isSpace($0) }
                guard !word.isEmpty else { break }
                parts.append(word)
                rest = rest[word.endIndex...]
                cuts += 1
            }
            rest = rest.drop(while: PythonCharacters.isSpace)
            return rest.isEmpty ? parts : parts + [rest]
        }
        while cuts < limit, let match = rest.firstRange(of: separator) {
            parts.append(rest[..<match.lowerBound])
            rest = rest[match.upperBound...]
            cuts += 1
        }
        return parts + [rest]
    }

    /// `str.splitlines`: the lines, cut at each of Python's line breaks (`\r\n` is one), kept when `keepingEnds`.
    static func splitLines(_ s: String, keepingEnds: Bool) throws -> Value {
        let text = Array(s.unicodeScalars)
        var lines = [Value](), start = 0, i = 0
        while i < text.count {
            guard PythonCharacters.isLineBreak(text[i]) else { i += 1; continue }
            let end = text[i] == "\r" && i + 1 < text.count && text[i + 1] == "\n" ? i + 2 : i + 1
            lines.append(.str(string(text[start..<(keepingEnds ? end : i)])))
            (start, i) = (end, end)
        }
        if start < text.count { lines.append(.str(string(text[start...]))) }
        return .list(PyList(lines))
    }

    /// `str.partition` and (`fromEnd`) `str.rpartition`: the parts before and after the first (last) `sep`.
    static func partition(_ s: String, _ sep: Value, fromEnd: Bool) throws -> Value {
        guard case .str(let separator) = sep else { throw PyError.type("must be str, not \(sep.typeName)") }
        guard !separator.isEmpty else { throw PyError.value("empty separator") }
        let text = Array(s.unicodeScalars), pattern = Array(separator.unicodeScalars)
        let match = fromEnd ? lastRange(of: pattern, in: text) : text.firstRange(of: pattern)
        guard let match else { return .tuple(fromEnd ? [.str(""), .str(""), .str(s)] : [.str(s), .str(""), .str("")]) }
        return .tuple([.str(string(text[..<match.lowerBound])), .str(separator), .str(string(text[match.upperBound...]))])
    }

    /// Where `pattern` last starts in `text` (`"aaa"`'s last `"aa"` is at 1).
    private static func lastRange(of pattern: [Unicode.Scalar], in text: [Unicode.Scalar]) -> Range<Int>? {
        stride(from: text.count - pattern.count, through: 0, by: -1)
            .first { text[$0..<($0 + pattern.count)].elementsEqual(pattern) }.map { $0..<($0 + pattern.count) }
    }

    /// `str.removeprefix` / `str.removesuffix`.
    static func removingAffix(_ s: String, _ affix: Value, _ method: String, suffix: Bool) throws -> String {
        guard case .str(let affix) = affix else { throw PyError.type("\(method)() argument must be str, not \(affix.typeName)") }
        let text = s.unicodeScalars, cut = affix.unicodeScalars
        if suffix, text.reversed().starts(with: cut.reversed()) { return string(text.dropLast(cut.count)) }
        if !suffix, text.starts(with: cut) { return string(text.dropFirst(cut.count)) }
        return s
    }

    /// A run of code points as a str.
    static func string<C: Collection<Unicode.Scalar>>(_ scalars: C) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
