import BigInt
import Foundation

/// Turns source text into tokens the way Python's tokenizer does: NEWLINE, INDENT and DEDENT from indentation,
/// lines joined inside brackets and after `\`, comments dropped, every token with its line and column.
public struct Lexer {
    private let chars: [Unicode.Scalar]
    private var i = 0
    private var line = 1
    private var lineStart = 0
    private var indents = [0]
    private var brackets = [(bracket: Character, location: SourceLocation)]()
    private var tokens = [Token]()
    private var atLineStart = true

    static let operators = ["**=", "//=", ">>=", "<<=", "...", "->", "**", "//", "==", "!=", "<=", ">=", "+=", "-=",
                            "*=", "/=", "%=", "@=", "&=", "|=", "^=", ":=", "<<", ">>", "+", "-", "*", "/", "%", "@",
                            "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "~", "&", "|", "^"]

    /// Python's limit on nested brackets.
    static let maxNesting = 200

    /// The number of the text in its interpreter's `SourceTable`, which every location carries.
    private let sourceNumber: Int

    public init(_ source: String, number: Int = 0) {
        chars = Array(source.unicodeScalars)
        sourceNumber = number
    }

    /// All tokens, ending with NEWLINE, the DEDENTs that close open blocks, and EOF.
    public static func tokenize(_ source: String, number: Int = 0) throws -> [Token] {
        var lexer = Lexer(source, number: number)
        return try lexer.run()
    }

    private var location: SourceLocation { SourceLocation(line: line, column: i - lineStart + 1, source: sourceNumber) }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? { i + offset < chars.count ? chars[i + offset] : nil }

    private mutating func emit(_ kind: TokenKind, at location: SourceLocation) {
        tokens.append(Token(kind: kind, location: location))
    }

    private mutating func run() throws -> [Token] {
        while i < chars.count {
            if atLineStart && brackets.isEmpty {
                try indentation()
                if i >= chars.count { break }
            }
            let c = chars[i]
            switch c {
            case " ", "\t", "\u{0C}", "\r":
                i += 1
            case "#":
                while let c = peek(), c != "\n" { i += 1 }
            case "\n":
                if brackets.isEmpty, let last = tokens.last, last.kind != .newline { emit(.newline, at: location) }
                newLine()
            case "\\":
                guard peek(1) == "\n" || (peek(1) == "\r" && peek(2) == "\n") else {
                    throw PyError.syntax("unexpected character after line continuation character", at: location)
                }
                i += peek(1) == "\r" ? 2 : 1
                newLine(joining: true)
            default:
                try token(c)
            }
        }
        if let open = brackets.last {
            throw PyError.syntax("'\(open.bracket)' was never closed", at: open.location)
        }
        if let last = tokens.last, last.kind != .newline { emit(.newline, at: location) }
        for _ in indents.dropFirst() { emit(.dedent, at: location) }
        emit(.eof, at: location)
        return tokens
    }

    private mutating func newLine(joining: Bool = false) {
        i += 1
        line += 1
        lineStart = i
        atLineStart = !joining && brackets.isEmpty
    }

    /// Measures a logical line's indentation and emits INDENT / DEDENT; blank and comment lines do not count.
    private mutating func indentation() throws {
        var width = 0
        var j = i
        while j < chars.count, chars[j] == " " || chars[j] == "\t" || chars[j] == "\u{0C}" {
            width = chars[j] == "\t" ? (width / 8 + 1) * 8 : width + 1
            j += 1
        }
        if j >= chars.count || chars[j] == "\n" || chars[j] == "#" || (chars[j] == "\r" && j + 1 < chars.count && chars[j + 1] == "\n") {
            i = j
            return
        }
        i = j
        atLineStart = false
        if width > indents.last! {
            indents.append(width)
            emit(.indent, at: location)
        } else {
            while width < indents.last! {
                indents.removeLast()
                emit(.dedent, at: location)
            }
            if width != indents.last! {
                throw PyError(.indentationError, "unindent does not match any outer indentation level", at: location)
            }
        }
    }

    private mutating func token(_ c: Unicode.Scalar) throws {
        let start = location
        if c.properties.isXIDStart || c == "_" {
            var name = ""
            while let c = peek(), c.properties.isXIDContinue || c == "_" { name.unicodeScalars.append(c); i += 1 }
            if let q = peek(), q == "'" || q == "\"", let prefix = StringPrefix(name) {
                return try string(prefix, start: start)
            }
            return emit(.name(name), at: start)
        }
        if c.properties.numericType == .decimal && c.isASCII || (c == "." && peek(1).map { $0.isASCII && $0.properties.numericType == .decimal } == true) {
            return try number(start)
        }
        if c == "'" || c == "\"" { return try string(StringPrefix("")!, start: start) }
        for op in Self.operators where matches(op) {
            i += op.unicodeScalars.count
            try track(op, at: start)
            return emit(.op(op), at: start)
        }
        throw PyError.syntax("invalid character '\(Character(c))' (U+\(String(c.value, radix: 16, uppercase: true)))", at: start)
    }

    private func matches(_ op: String) -> Bool {
        for (k, s) in op.unicodeScalars.enumerated() where peek(k) != s { return false }
        return true
    }

    private mutating func track(_ op: String, at location: SourceLocation) throws {
        let pairs: [String: Character] = [")": "(", "]": "[", "}": "{"]
        if "([{".contains(op) {
            guard brackets.count < Self.maxNesting else { throw PyError.syntax("too many nested parentheses", at: location) }
            brackets.append((Character(op), location))
        }
        if let open = pairs[op] {
            guard let last = brackets.last, last.bracket == open else {
                throw PyError.syntax(brackets.last.map { "closing parenthesis '\(op)' does not match opening parenthesis '\($0.bracket)'" } ?? "unmatched '\(op)'", at: location)
            }
            brackets.removeLast()
        }
    }

    private mutating func number(_ start: SourceLocation) throws {
        var text = ""
        func digits(_ allowed: (Unicode.Scalar) -> Bool) {
            while let c = peek(), allowed(c) || (c == "_" && peek(1).map(allowed) == true) {
                if c != "_" { text.unicodeScalars.append(c) }
                i += 1
            }
        }
        let isDigit = { (c: Unicode.Scalar) in c.isASCII && c.properties.numericType == .decimal }
        if peek() == "0", let x = peek(1), "xXoObB".unicodeScalars.contains(x) {
            i += 2
            let radix = "xX".unicodeScalars.contains(x) ? 16 : "oO".unicodeScalars.contains(x) ? 8 : 2
            digits { $0.isASCII && Int(String($0), radix: radix) != nil }
            guard let value = BigInt(text, radix: radix) else { throw PyError.syntax("invalid number literal", at: start) }
            return emit(.int(value), at: start)
        }
        digits(isDigit)
        var isFloat = false
        if peek() == "." { isFloat = true; text += "."; i += 1; digits(isDigit) }
        if let e = peek(), e == "e" || e == "E", let n = peek(1), isDigit(n) || ((n == "+" || n == "-") && peek(2).map(isDigit) == true) {
            isFloat = true
            text += "e"
            i += 1
            if n == "+" || n == "-" { text.unicodeScalars.append(n); i += 1 }
            digits(isDigit)
        }
        if let c = peek(), c == "j" || c == "J" { throw PyError.notSupported("complex numbers", at: start) }
        if let c = peek(), c.properties.isXIDContinue { throw PyError.syntax("invalid decimal literal", at: location) }
        if isFloat {
            emit(.float(Double(text) ?? .infinity), at: start)
        } else {
            guard let value = BigInt(text) else { throw PyError.syntax("invalid decimal literal", at: start) }
            emit(.int(value), at: start)
        }
    }

    private mutating func string(_ prefix: StringPrefix, start: SourceLocation) throws {
        let quote = chars[i]
        let triple = peek(1) == quote && peek(2) == quote
        i += triple ? 3 : 1
        var body = ""
        while true {
            guard let c = peek() else {
                throw PyError.syntax(triple ? "unterminated triple-quoted string literal" : "unterminated string literal", at: start)
            }
            if c == quote && (!triple || (peek(1) == quote && peek(2) == quote)) {
                i += triple ? 3 : 1
                break
            }
            if c == "\n" {
                guard triple else { throw PyError.syntax("unterminated string literal", at: start) }
                body.unicodeScalars.append(c)
                newLine(joining: true)
                continue
            }
            if c == "\\", let next = peek(1) {
                body.unicodeScalars.append(c)
                body.unicodeScalars.append(next)
                i += 2
                if next == "\n" { line += 1; lineStart = i }
                continue
            }
            body.unicodeScalars.append(c)
            i += 1
        }
        if prefix.formatted {
            emit(.fstring(body, raw: prefix.raw), at: start)
        } else {
            emit(.string(prefix.raw ? body : try Escapes.process(body, at: start)), at: start)
        }
    }
}

/// A string literal's prefix: `r`, `f`, `rf`, ...; bytes literals are not part of sbpl.
struct StringPrefix {
    let raw: Bool
    let formatted: Bool

    init?(_ text: String) {
        let lower = text.lowercased()
        guard ["", "r", "f", "rf", "fr", "u"].contains(lower) else { return nil }
        raw = lower.contains("r")
        formatted = lower.contains("f")
    }
}

/// Python's backslash escapes.
enum Escapes {
    static func process(_ body: String, at location: SourceLocation) throws -> String {
        var out = ""
        var it = Array(body.unicodeScalars)[...]
        while let c = it.popFirst() {
            guard c == "\\", let e = it.popFirst() else { out.unicodeScalars.append(c); continue }
            switch e {
            case "n": out += "\n"
            case "t": out += "\t"
            case "r": out += "\r"
            case "\\": out += "\\"
            case "'": out += "'"
            case "\"": out += "\""
            case "N":   // `\N{GREEK SMALL LETTER ALPHA}`, by its Unicode name or alias
                let field = String(String.UnicodeScalarView(it.prefix { $0 != "}" }))
                guard field.count > 1, field.hasPrefix("{"), it.contains("}") else {
                    throw PyError.syntax("(unicode error) 'unicodeescape' codec can't decode bytes: malformed \\N character escape", at: location)
                }
                guard let character = UnicodeNames.character(named: String(field.dropFirst())) else {
                    throw PyError.syntax("(unicode error) 'unicodeescape' codec can't decode bytes: unknown Unicode character name", at: location)
                }
                it.removeFirst(field.unicodeScalars.count + 1)
                out += character
            case "a": out += "\u{07}"
            case "b": out += "\u{08}"
            case "f": out += "\u{0C}"
            case "v": out += "\u{0B}"
            case "0"..."7":
                var digits = String(e)
                while digits.count < 3, let d = it.first, ("0"..."7").contains(d) { digits.unicodeScalars.append(d); it.removeFirst() }
                out.unicodeScalars.append(Unicode.Scalar(UInt32(digits, radix: 8)!)!)
            case "x", "u", "U":
                let count = e == "x" ? 2 : e == "u" ? 4 : 8
                let hex = String(String.UnicodeScalarView(it.prefix(count)))
                guard hex.count == count, hex.allSatisfy(\.isHexDigit), let value = UInt32(hex, radix: 16) else {
                    throw PyError.syntax("(unicode error) truncated \\\(e)\(String(repeating: "X", count: count)) escape", at: location)
                }
                guard let scalar = Unicode.Scalar(value) else {
                    let reason = (0xD800...0xDFFF).contains(value) ? "sbpl strings cannot hold the lone surrogate" : "illegal Unicode character"
                    throw PyError.syntax("(unicode error) \(reason) \\\(e)\(hex)", at: location)
                }
                it.removeFirst(count)
                out.unicodeScalars.append(scalar)
            case "\n":
                break
            default:
                out += "\\" + String(e)
            }
        }
        return out
    }
}
