/// Splits an f-string body into literal text and `{expression!conversion:spec}` fields, parsing each expression.
enum FStringParser {
    static func parse(_ body: String, raw: Bool, at location: SourceLocation) throws -> [FStringPart] {
        var parts = [FStringPart]()
        var text = ""
        let chars = Array(body)
        var i = 0
        func flush() throws {
            if !text.isEmpty { parts.append(.text(raw ? text : try Escapes.process(text, at: location))) }
            text = ""
        }
        while i < chars.count {
            let c = chars[i]
            if !raw, c == "\\", i + 1 < chars.count, chars[i + 1] == "\\" || chars[i + 1] == "N" {
                // `\\` is one escape; `\N{BULLET}`'s braces open no field (another backslash leaves `{` a field)
                var end = i + 2
                if chars[i + 1] == "N", end < chars.count, chars[end] == "{", let close = chars[end...].firstIndex(of: "}") { end = close + 1 }
                text.append(contentsOf: chars[i..<end])
                i = end
                continue
            }
            if (c == "{" || c == "}") && i + 1 < chars.count && chars[i + 1] == c {
                text.append(c)
                i += 2
                continue
            }
            if c == "}" { throw PyError.syntax("f-string: single '}' is not allowed", at: location) }
            if c != "{" { text.append(c); i += 1; continue }
            try flush()
            i += 1
            var depth = 0, expression = "", quote: Character?
            while i < chars.count {
                let d = chars[i]
                if let q = quote {
                    if d == q { quote = nil }
                } else if d == "'" || d == "\"" {
                    quote = d
                } else if "([{".contains(d) {
                    depth += 1
                } else if ")]}".contains(d) {
                    if depth == 0 { break }
                    depth -= 1
                } else if depth == 0 && (d == "!" && i + 1 < chars.count && chars[i + 1] != "=" || d == ":") {
                    break
                }
                expression.append(d)
                i += 1
            }
            // `{x=}` / `{x = :.2f}`: the expression's text, then its value (its repr unless a spec is given)
            var label: String?
            let rightTrimmed = String(expression.reversed().drop(while: \.isWhitespace).reversed())
            if rightTrimmed.hasSuffix("="), let before = rightTrimmed.dropLast().last, !"=!<>".contains(before) {
                label = expression
                expression = String(rightTrimmed.dropLast())
            }
            var conversion: Character?
            if i < chars.count && chars[i] == "!" {
                guard i + 1 < chars.count, "rsa".contains(chars[i + 1]) else {
                    throw PyError.syntax("f-string: invalid conversion character: expected 's', 'r', or 'a'", at: location)
                }
                conversion = chars[i + 1]
                i += 2
            }
            var spec = [FStringPart]()
            if i < chars.count && chars[i] == ":" {
                i += 1
                var specText = "", nested = 0
                while i < chars.count && (chars[i] != "}" || nested > 0) {
                    if chars[i] == "{" { nested += 1 } else if chars[i] == "}" { nested -= 1 }
                    specText.append(chars[i])
                    i += 1
                }
                spec = try parse(specText, raw: true, at: location)
            }
            guard i < chars.count && chars[i] == "}" else { throw PyError.syntax("f-string: expecting '}'", at: location) }
            i += 1
            let trimmed = expression.trimmingWhitespace()
            guard !trimmed.isEmpty else { throw PyError.syntax("f-string: valid expression required before '}'", at: location) }
            var parser = Parser(tokens: try Lexer.tokenize("(" + trimmed + ")").map { Token(kind: $0.kind, location: location) })
            if let label { parts.append(.text(label)) }
            let defaultConversion: Character? = label != nil && spec.isEmpty ? "r" : nil
            parts.append(.value(try parser.expression(), conversion: conversion ?? defaultConversion, spec: spec))
        }
        try flush()
        return parts
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
