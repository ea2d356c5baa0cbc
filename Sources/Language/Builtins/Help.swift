import TensorCore

/// `help(x)` and `x?`: a short description of a builtin, a type or a value.
enum Help {
    static let builtins: [String: String] = [
        "print": "print(*values, sep=' ', end='\\n'): write the values' str() to standard output.",
        "len": "len(obj): the number of items of a sequence, mapping, tensor (first dimension) or encoding.",
        "range": "range(stop) / range(start, stop[, step]): a sequence of integers.",
        "softmax": "softmax(x, dim=-1): sbpl's short form of torch.softmax over the last dimension.",
        "tokenizer": "tokenizer(text_or_list, ...): the default checkpoint's tokenizer (loaded on first use).",
        "model": "model(inputs): the default checkpoint's sequence-classification model (loaded on first use).",
    ]

    static func describe(_ value: Value?, _ interpreter: Interpreter) -> String {
        guard let value else {
            return """
                sbpl runs the Python of the Hugging Face course chapter "Behind the pipeline".
                Modules: \(interpreter.modules.names.joined(separator: ", ")). Short forms: tokenizer("..."), model(tok), softmax(x).
                help(x) describes a value; dir(x) lists its attributes.
                """
        }
        switch value {
        case .tensor(let t):
            return "Tensor of shape \(TensorShape(t.shape)), dtype \(t.dtype.torchName). Methods:\n  " + TensorMethods.table.help.joined(separator: "\n  ")
        case .object(let o) where o.help != nil:
            return o.help!
        case .object(let f as BuiltinFunction):
            return builtins[f.name] ?? "\(f.name): a built-in function."
        case .object(let o):
            let names = o.attributeNames
            return "\(o.typeName)" + (names.isEmpty ? "" : ". Attributes: \(names.joined(separator: ", ")).")
        default:
            let members = Attributes.help(value)
            return "\(value.typeName) \(value.repr)" + (members.isEmpty ? "" : ". Methods:\n  " + members.joined(separator: "\n  "))
        }
    }
}
