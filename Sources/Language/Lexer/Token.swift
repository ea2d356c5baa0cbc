import BigInt

/// One token of the sbpl (Python subset) language.
public enum TokenKind: Equatable, Sendable {
    case name(String)
    case int(BigInt)
    case float(Double)
    /// A string literal's text, escapes processed (raw strings as written).
    case string(String)
    /// An f-string's body as written (escapes not yet processed), and whether it is raw.
    case fstring(String, raw: Bool)
    case op(String)
    case newline, indent, dedent, eof
}

/// A token and where it starts.
public struct Token: Equatable, Sendable {
    public let kind: TokenKind
    public let location: SourceLocation
}
