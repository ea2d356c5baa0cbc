import Language
import Foundation
import Tokenizers

/// `None` or absent as nil, else the value's truth.
func optionalBool(_ v: Value?) throws -> Bool? {
    guard let v else { return nil }
    if case .none = v { return nil }
    return try v.isTruthy()
}

/// A tokenizer in the value store: callable as in the chapter, with transformers' methods and attributes.
final class TokenizerObject: AttributeSettable, SizedObject {
    private(set) var tokenizer: BertTokenizer

    init(_ tokenizer: BertTokenizer) { self.tokenizer = tokenizer }

    var typeName: String { tokenizer.className }
    var qualifiedTypeName: String? { TransformersModule.classModules[typeName].map { "transformers.models.\($0).\(typeName)" } }
    var attributeNames: [String] {
        ["tokenize", "encode", "decode", "batch_decode", "convert_tokens_to_ids", "convert_ids_to_tokens", "vocab_size",
         "model_max_length", "model_input_names", "name_or_path", "all_special_tokens", "all_special_ids",
         "special_tokens_map", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token", "unk_token_id",
         "sep_token_id", "pad_token_id", "cls_token_id", "mask_token_id", "is_fast", "padding_side", "save_pretrained",
         "convert_tokens_to_string", "get_vocab", "vocab", "encode_plus", "batch_encode_plus"]
    }

    var repr: String {
        let t = tokenizer
        let special = "{" + t.specialTokens.map.map { "'\($0.0)': '\($0.1)'" }.joined(separator: ", ") + "}"
        let maxLength = t.modelMaxLength.map(String.init) ?? BertTokenizer.veryLargeIntegerText
        let added = t.specialTokens.map.map(\.1).compactMap { token in t.vocabulary.id(token).map { ($0, token) } }.sorted { $0.0 < $1.0 }
        return "\(typeName)(name_or_path='\(t.name)', vocab_size=\(t.vocabulary.count), model_max_length=\(maxLength), is_fast=\(t.isFast ? "True" : "False"), padding_side='\(t.paddingSide.rawValue)', truncation_side='right', special_tokens=\(special), clean_up_tokenization_spaces=\(t.cleanUpTokenizationSpaces ? "True" : "False")),  added_tokens_decoder={\n"
            + added.map { "\t\($0.0): AddedToken(\"\($0.1)\", rstrip=False, lstrip=False, single_word=False, normalized=False, special=True),\n" }.joined()
            + "}"
    }

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        let a = try arguments.bind("__call__", ["text", "text_pair", "add_special_tokens", "padding", "truncation", "max_length",
                                                "return_tensors", "return_token_type_ids", "return_attention_mask",
                                                "pad_to_multiple_of", "padding_side"], required: 1)
        let (texts, batched) = try Self.texts(a[0]!)
        let pairs = try a[1].flatMap { v -> [String]? in
            if case .none = v { return nil }
            let (p, pairBatched) = try Self.texts(v)
            guard pairBatched == batched else { throw PyError.value("text and text_pair must both be strings or both be lists") }
            return p
        }
        var options = EncodingOptions()
        options.addSpecialTokens = try a[2]?.isTruthy() ?? true
        options.padding = try Self.padding(a[3])
        options.truncation = try Self.truncation(a[4])
        options.maxLength = try Subscripts.optionalInt(a[5])
        let tensors = try Self.returnTensors(a[6])
        options.returnTensors = tensors != nil
        options.returnTokenTypeIDs = try optionalBool(a[7])
        options.returnAttentionMask = try optionalBool(a[8])
        options.padToMultipleOf = try Subscripts.optionalInt(a[9])
        if let side = a[10], side.typeName != "NoneType" { options.paddingSide = try Self.paddingSide(side) }
        return .object(try EncodingObject(try tokenizer.encode(texts, pairs: pairs, batched: batched, options: options), numpy: tensors == "np"))
    }

    static func texts(_ v: Value) throws -> ([String], batched: Bool) {
        if case .str(let s) = v { return ([s], false) }
        if case .list = v, let items = try? Iteration.materialize(v).map({ try $0.asString("text") }) { return (items, true) }
        if case .tuple = v, let items = try? Iteration.materialize(v).map({ try $0.asString("text") }) { return (items, true) }
        throw PyError.value("text input must be of type `str` (single example), `List[str]` (batch or single pretokenized example) or `List[List[str]]` (batch of pretokenized examples).")
    }

    private static func padding(_ v: Value?) throws -> Padding {
        switch v {
        case nil, .none?, .bool(false)?: return .doNotPad
        case .bool(true)?: return .longest
        case .str(let s)?:
            guard let p = Padding(rawValue: s) else {
                throw PyError.value("'\(s)' is not a valid PaddingStrategy, please select one of ['longest', 'max_length', 'do_not_pad']")
            }
            return p
        case let other?: throw PyError.type("padding must be a bool or a string, not \(other.typeName)")
        }
    }

    private static func truncation(_ v: Value?) throws -> Truncation? {
        switch v {
        case nil, .none?: return nil
        case .bool(let b)?: return b ? .longestFirst : .doNotTruncate
        case .str(let s)?:
            guard let t = Truncation(rawValue: s) else {
                throw PyError.value("'\(s)' is not a valid TruncationStrategy, please select one of ['only_first', 'only_second', 'longest_first', 'do_not_truncate']")
            }
            return t
        case let other?: throw PyError.type("truncation must be a bool or a string, not \(other.typeName)")
        }
    }

    /// `padding_side="left"` or `"right"`.
    private static func paddingSide(_ v: Value) throws -> PaddingSide {
        guard case .str(let s) = v, let side = PaddingSide(rawValue: s) else {
            throw PyError.value("Padding side should be selected between 'right' and 'left', current value: \(v.str)")
        }
        return side
    }

    /// `len(tokenizer)`: the vocabulary's size, added tokens included.
    var length: Int { tokenizer.vocabulary.count }

    /// `tokenizer.padding_side = "left"`; the other attributes are read-only.
    func setAttribute(_ name: String, _ value: Value) throws -> Bool {
        guard name == "padding_side" else { return false }
        tokenizer.paddingSide = try Self.paddingSide(value)
        return true
    }

    /// `return_tensors`: nil for lists, "pt" for tensors, "np" for numpy arrays.
    private static func returnTensors(_ v: Value?) throws -> String? {
        switch v {
        case nil, .none?: return nil
        case .str(let s)? where s == "pt" || s == "np": return s
        case .str("tf")?: throw PyError(.importError, "Unable to convert output to TensorFlow tensors format, TensorFlow is not installed.")
        case .str(let s)?: throw PyError.value("return_tensors='\(s)' is not supported: sbpl returns PyTorch tensors ('pt') or numpy arrays ('np')")
        case let other?: throw PyError.type("return_tensors must be a string, not \(other.typeName)")
        }
    }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        let t = tokenizer
        let special = t.specialTokens
        let tokens = ["unk_token": special.unknown, "sep_token": special.separator, "pad_token": special.padding,
                      "cls_token": special.classifier, "mask_token": special.mask]
        if let token = tokens[name] { return .str(token) }
        if name.hasSuffix("_token_id"), let token = tokens[String(name.dropLast(3))] { return .int(t.id(forToken: token)) }
        switch name {
        case "vocab_size": return .int(t.vocabulary.count)
        case "model_max_length": return t.modelMaxLength.map(Value.int) ?? .float(1e30)
        case "model_input_names": return .list(PyList(t.family.modelInputNames.map(Value.str)))
        case "name_or_path": return .str(t.name)
        case "is_fast": return .bool(tokenizer.isFast)
        case "save_pretrained":
            return Attributes.method(name) { [self] args in
                let directory = try args.bind(name, ["save_directory"], required: 1)[0]!.asString("save_directory")
                let files = try tokenizer.save(to: URL(fileURLWithPath: directory))
                return .tuple(files.map { .str((directory as NSString).appendingPathComponent($0.lastPathComponent)) })
            }
        case "padding_side": return .str(tokenizer.paddingSide.rawValue)
        case "all_special_tokens": return .list(PyList(special.map.map { .str($0.1) }))
        case "all_special_ids": return .list(PyList(special.map.map { .int(t.id(forToken: $0.1)) }))
        case "special_tokens_map": return .dict(try PyDict(special.map.map { (.str($0.0), .str($0.1)) }))
        case "tokenize":
            return Attributes.method(name) { args in
                let a = try args.bind(name, ["text", "pair", "add_special_tokens"], required: 1)
                let text = try a[0]!.asString("text"), pair = try a[1].flatMap { $0.typeName == "NoneType" ? nil : try $0.asString("pair") }
                let special = try a[2]?.isTruthy() ?? false
                // the slow class tokenizes the text alone, whatever else it is given (as transformers' does)
                guard t.isFast, pair != nil || special else { return .list(PyList(t.tokenize(text).map(Value.str))) }
                var options = EncodingOptions()
                options.addSpecialTokens = special
                let encoding = try t.encode([text], pairs: pair.map { [$0] }, batched: false, options: options)
                return .list(PyList(encoding.tokens[0].map(Value.str)))
            }
        case "convert_tokens_to_string":
            return Attributes.method(name) { args in
                let tokens = try Iteration.materialize(try args.bind(name, ["tokens"], required: 1)[0]!)
                return .str(t.convertTokensToString(try tokens.map { try $0.asString("token") }))
            }
        case "vocab": return try Self.vocab(t)
        case "get_vocab": return Attributes.method(name) { _ in try Self.vocab(t) }
        case "encode_plus", "batch_encode_plus":
            return Attributes.method(name) { [self] args in try call(args, interpreter)! }
        case "encode":
            return Attributes.method(name) { [self] args in
                guard case .object(let encoding as EncodingObject) = try call(args, interpreter)!,
                      let ids = encoding.mappingValue("input_ids") else { return .none }
                return ids
            }
        case "convert_tokens_to_ids":
            return Attributes.method(name) { args in
                let tokens = try args.bind(name, ["tokens"], required: 1)[0]!
                if case .str(let s) = tokens { return .int(t.id(forToken: s)) }
                return .list(PyList(try Iteration.materialize(tokens).map { .int(t.id(forToken: try $0.asString("token"))) }))
            }
        case "convert_ids_to_tokens":
            return Attributes.method(name) { args in
                let a = try args.bind(name, ["ids", "skip_special_tokens"], required: 1)
                let skip = try a[1]?.isTruthy() ?? false
                if let id = try? a[0]!.asInt("id") { return t.token(forID: id).map(Value.str) ?? .none }
                let ids = try Self.ids(a[0]!).filter { !skip || !t.specialIDs.contains($0) }
                return .list(PyList(ids.map { t.token(forID: $0).map(Value.str) ?? .none }))
            }
        case "decode":
            return Attributes.method(name) { args in
                let a = try args.bind(name, ["token_ids", "skip_special_tokens", "clean_up_tokenization_spaces"], required: 1)
                let cleanUp = try optionalBool(a[2])
                return .str(t.decode(try Self.ids(a[0]!), skipSpecialTokens: try a[1]?.isTruthy() ?? false, cleanUpTokenizationSpaces: cleanUp))
            }
        case "batch_decode":
            return Attributes.method(name) { args in
                let a = try args.bind(name, ["sequences", "skip_special_tokens", "clean_up_tokenization_spaces"], required: 1)
                let cleanUp = try optionalBool(a[2])
                let rows: [Value] = try {
                    if case .tensor(let x) = a[0]! { return try Iteration.materialize(.tensor(x)) }
                    return try Iteration.materialize(a[0]!)
                }()
                return .list(PyList(try rows.map { .str(t.decode(try Self.ids($0), skipSpecialTokens: try a[1]?.isTruthy() ?? false, cleanUpTokenizationSpaces: cleanUp)) }))
            }
        default: return nil
        }
    }

    /// `tokenizer.get_vocab()`: token -> id, in id order.
    private static func vocab(_ t: BertTokenizer) throws -> Value {
        .dict(try PyDict((0..<t.vocabulary.count).compactMap { id in t.token(forID: id).map { (.str($0), .int(id)) } }))
    }

    /// Token ids from a list of ints or an int tensor.
    static func ids(_ v: Value) throws -> [Int] {
        if case .tensor(let x) = v {
            guard x.rank <= 1 else { throw PyError.type("decode() takes one sequence of ids; use batch_decode for a batch") }
            return x.int64s().map { Int($0) }
        }
        return try Iteration.materialize(v).map { try $0.asInt("token id") }
    }
}
