import PythonText

/// A stage's `repr` as huggingface/tokenizers writes it (Rust's `Debug` of its fields), from its `tokenizer.json`
/// section: `Type(field=value, ...)`, strs in double quotes as they are, `True`/`False`/`None`, lists in brackets,
/// the `(token, id)` pairs of `sep`/`cls` in parentheses, and the enum fields bare (`prepend_scheme=always`).
struct StageRepr {
    let text: String

    init(_ section: JSONValue) { text = Self.format(section, key: nil) }

    /// Fields whose values are enum cases, written bare.
    private static let enumFields: Set<String> = ["prepend_scheme", "behavior"]

    private static func format(_ value: JSONValue, key: String?) -> String {
        switch value {
        case .null: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .int(let number): return String(number)
        case .bigInteger(let digits): return digits
        case .double(let number): return String(number)
        case .string(let text): return key.map(enumFields.contains) == true ? text : "\"\(text)\""
        case .array(let items):
            let inner = items.map { format($0, key: nil) }.joined(separator: ", ")
            return key == "sep" || key == "cls" ? "(\(inner))" : "[\(inner)]"
        case .object(let object): return format(object, key: key)
        }
    }

    private static func format(_ object: JSONObject, key: String?) -> String {
        let fields = Array(object)
        if case .string(let type)? = fields.first(where: { $0.key == "type" })?.value {  // a stage
            return type + arguments(fields.filter { $0.key != "type" })
        }
        if key == "special_tokens" {  // TemplateProcessing's, by name
            return "{" + fields.map { "\"\($0.key)\":" + special($0.value) }.joined(separator: ", ") + "}"
        }
        guard fields.count == 1, let (name, inner) = fields.first.map({ ($0.key, $0.value) }) else { return arguments(fields) }
        switch inner {  // an enum case with its value: String("a"), Sequence(id=A, type_id=0)
        case .object(let body): return name + arguments(Array(body), bareIDs: name == "Sequence")
        default: return "\(name)(\(format(inner, key: nil)))"
        }
    }

    /// `(k=v, ...)`; a template piece's sequence id (A or B) bare.
    private static func arguments(_ fields: [(key: String, value: JSONValue)], bareIDs: Bool = false) -> String {
        "(" + fields.map { field in
            if bareIDs, field.key == "id", case .string(let id) = field.value { return "id=\(id)" }
            return "\(field.key)=\(format(field.value, key: field.key))"
        }.joined(separator: ", ") + ")"
    }

    private static func special(_ value: JSONValue) -> String {
        guard case .object(let body) = value else { return format(value, key: nil) }
        return "SpecialToken" + arguments(Array(body))
    }
}
