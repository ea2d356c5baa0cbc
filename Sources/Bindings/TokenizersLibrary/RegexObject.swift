import Language

/// `tokenizers.Regex(pattern)`: a pattern `normalizers.Replace` matches as a regular expression, not as a string.
final class RegexObject: PyObject {
    let pattern: String

    init(_ pattern: String) { self.pattern = pattern }

    var typeName: String { "Regex" }
    var qualifiedTypeName: String? { "tokenizers.Regex" }
    var repr: String { "<tokenizers.Regex object>" }
}
