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
final class TokenizerObject: AttributeSettable, SizedObject, MemberTableObject, CallableObject {
    private(set) var tokenizer: PreTrainedTokenizer

    init(_ tokenizer: PreTrainedTokenizer) { self.tokenizer = tokenizer }

    var typeName: String { tokenizer.className }
    var qualifiedTypeName: String? { TransformersModule.classModules[typeName].map { "transformers.models.\($0).\(typeName)" } }
    var repr: String {
        let t = tokenizer
        let special = "{" + t.specialTokens.map.map { "'\($0.0)': '\($0.1)'" }.joined(separator: ", ") + "}"
        let maxLength = t.modelMaxLength.map(String.init) ?? PreTrainedTokenizer.veryLargeIntegerText
        let added = t.backend.addedVocabulary.contents.compactMap { token in t.vocabulary.id(token.content).map { ($0, token) } }
            .sorted { $0.0 < $1.0 }
        func flag(_ on: Bool) -> String { on ? "True" : "False" }
        return "\(typeName)(name_or_path='\(t.name)', vocab_size=\(t.vocabulary.count), model_max_length=\(maxLength), is_fast=\(t.isFast ? "True" : "False"), padding_side='\(t.paddingSide.rawValue)', truncation_side='right', special_tokens=\(special), clean_up_tokenization_spaces=\(t.cleanUpTokenizationSpaces ? "True" : "False")),  added_tokens_decoder={\n"
            + added.map { id, token in
                "\t\(id): AddedToken(\"\(token.content)\", rstrip=\(flag(token.rightStrip)), lstrip=\(flag(token.leftStrip)), single_word=\(flag(token.singleWord)), normalized=False, special=True),\n"
            }.joined()
            + "}"
    }

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        let a = try arguments.bind("__call__", ["text", "text_pair", "add_special_tokens", "padding", "truncation", "max_length",
                                                "return_tensors", "return_token_type_ids", "return_attention_mask",
                                                "pad_to_multiple_of", "padding_side", "stride", "return_overflowing_tokens", "return_offsets_mapping",
                                                "return_special_tokens_mask", "is_split_into_words", "text_target", "text_pair_target",
                                                "return_length", "verbose"])
        guard a[0].given != nil || a[16].given != nil else { throw PyError.value("You need to specify either `text` or `text_target`.") }
        let (options, tensors) = try Self.options(a)
        let splitIntoWords = try a[15]?.isTruthy() ?? false
        // a fast byte-level tokenizer reads words apart only with the space it puts before each (transformers asserts)
        if splitIntoWords, tokenizer.isFast, let byteLevel = tokenizer.backend.preTokenizer as? ByteLevel, !byteLevel.addPrefixSpace {
            throw PyError(.assertionError, "You need to instantiate \(tokenizer.className) with add_prefix_space=True to use it with pretokenized inputs.")
        }
        func encoded(_ text: Value, _ pair: Value?, by tokenizer: PreTrainedTokenizer) throws -> BatchEncoding {
            let (texts, batched) = try Self.inputs(text, splitIntoWords: splitIntoWords)
            // one text with an empty pair is encoded alone, as transformers' `if text_pair` reads it
            let pair = if case .str("")? = pair, !batched { nil as Value? } else { pair }
            let pairs = try pair.map { v -> [TextInput] in
                let (p, pairBatched) = try Self.inputs(v, splitIntoWords: splitIntoWords)
                guard pairBatched == batched else { throw PyError.value("text and text_pair must both be strings or both be lists") }
                return p
            }
            return try tokenizer.encode(inputs: texts, pairs: pairs, batched: batched, options: options)
        }
        // text_target= is encoded by the target tokenizer (Marian's target.spm) and becomes the labels
        let inputs = try a[0].given.map { try encoded($0, a[1].given, by: tokenizer) }
        let targets = try a[16].given.map { try encoded($0, a[17].given, by: tokenizer.targetTokenizer) }
        guard var encoding = inputs ?? targets else { return nil }
        if inputs != nil, let targets { encoding["labels"] = targets["input_ids"] }
        return .object(try EncodingObject(encoding, numpy: tensors == "np"))
    }

    /// The encoding options among `__call__`'s bound arguments, and the `return_tensors` kind.
    private static func options(_ a: [Value?]) throws -> (EncodingOptions, tensors: String?) {
        var options = EncodingOptions()
        options.addSpecialTokens = try a[2]?.isTruthy() ?? true
        options.padding = try padding(a[3])
        options.truncation = try truncation(a[4])
        options.maxLength = try Subscripts.optionalInt(a[5])
        let tensors = try returnTensors(a[6])
        options.returnTensors = tensors != nil
        options.returnTokenTypeIDs = try optionalBool(a[7])
        options.returnAttentionMask = try optionalBool(a[8])
        options.padToMultipleOf = try Subscripts.optionalInt(a[9])
        if let side = a[10], side.typeName != "NoneType" { options.paddingSide = try paddingSide(side) }
        options.stride = try a[11]?.asInt("stride") ?? 0
        options.returnOverflowingTokens = try a[12]?.isTruthy() ?? false
        options.returnOffsetsMapping = try a[13]?.isTruthy() ?? false
        options.returnSpecialTokensMask = try a[14]?.isTruthy() ?? false
        options.returnLength = try a[18]?.isTruthy() ?? false
        return (options, tensors)
    }

    /// The inputs of a call: texts, or with `is_split_into_words` lists of words (one list, or a batch of them).
    static func inputs(_ v: Value, splitIntoWords: Bool) throws -> ([TextInput], batched: Bool) {
        guard splitIntoWords else {
            let (texts, batched) = try texts(v)
            return (texts.map(TextInput.text), batched)
        }
        let items = try Iteration.materialize(v)
        if items.allSatisfy({ if case .str = $0 { true } else { false } }) {
            return ([.words(try items.map { try $0.asString("word") })], false)
        }
        return (try items.map { .words(try texts($0).0) }, true)
    }

    static func texts(_ v: Value) throws -> ([String], batched: Bool) {
        if case .str(let s) = v { return ([s], false) }
        if case .list = v, let items = try? Iteration.materialize(v).map({ try $0.asString("text") }) { return (items, true) }
        if case .tuple = v, let items = try? Iteration.materialize(v).map({ try $0.asString("text") }) { return (items, true) }
        throw PyError.value("text input must be of type `str` (single example), `List[str]` (batch or single pretokenized example) or `List[List[str]]` (batch of pretokenized examples).")
    }

    static func padding(_ v: Value?) throws -> Padding {
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

    /// `tokenizer.padding_side = "left"`, `tokenizer.pad_token = tokenizer.eos_token`; the other attributes are
    /// read-only.
    func setAttribute(_ name: String, _ value: Value) throws -> Bool {
        if name == "padding_side" { tokenizer.paddingSide = try Self.paddingSide(value); return true }
        guard let role = PreTrainedTokenizer.SpecialTokens.Role(rawValue: name) else { return false }
        do {
            try tokenizer.setSpecialToken(role, value.typeName == "NoneType" ? nil : try value.asString(name))
        } catch let error as TokenizerError { throw PyError.value(error.message) }
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

    /// The special token of `role`; None when the tokenizer has none (quietly, as transformers' tokenizers are
    /// unless made with `verbose=True`).
    private func specialToken(_ role: PreTrainedTokenizer.SpecialTokens.Role) -> String? { tokenizer.specialTokens[role] }

    /// `tokenizer.unk_token` and `tokenizer.unk_token_id`, for each special token role.
    private static let specialTokenMembers: [Member<TokenizerObject>] = PreTrainedTokenizer.SpecialTokens.Role.allCases.flatMap { role in
        [Member<TokenizerObject>.attribute(role.rawValue, "the special token of this role (assignable)") { $0.specialToken(role).map(Value.str) ?? .none },
         .attribute(role.rawValue + "_id", "its id") { o in o.specialToken(role).flatMap(o.tokenizer.id(forToken:)).map(Value.int) ?? .none }]
    }

    static let members = MemberTable<TokenizerObject>("PreTrainedTokenizerBase", specialTokenMembers + properties + methods)

    private static let properties: [Member<TokenizerObject>] = [
        .attribute("vocab_size", "the size of the model's vocabulary, without the added tokens it lacks (len(tokenizer) counts them)") { .int($0.tokenizer.backend.model.vocabulary.count) },
        .attribute("model_max_length", "the longest input the model takes (1e30 when the checkpoint sets none)") {
            $0.tokenizer.modelMaxLength.map(Value.int) ?? .float(1e30)
        },
        .attribute("model_input_names", "the fields a call returns for the model") {
            .list(PyList($0.tokenizer.family.modelInputNames.map(Value.str)))
        },
        .attribute("name_or_path", "the checkpoint it was loaded from") { .str($0.tokenizer.name) },
        .attribute("is_fast", "whether it stands for the Rust-backed class") { .bool($0.tokenizer.isFast) },
        .attribute("backend_tokenizer", "a fast tokenizer's huggingface/tokenizers Tokenizer: its normalizer and pre_tokenizer") { try backend($0) },
        .attribute("_tokenizer", "the same as backend_tokenizer") { try backend($0) },
        .attribute("padding_side", "where padding goes, 'right' or 'left' (assignable)") { .str($0.tokenizer.paddingSide.rawValue) },
        .attribute("all_special_tokens", "the special tokens") { o in .list(PyList(o.tokenizer.allSpecialTokens.map(Value.str))) },
        .attribute("all_special_ids", "their ids") { o in
            .list(PyList(o.tokenizer.allSpecialTokens.map { o.tokenizer.id(forToken: $0).map(Value.int) ?? .none }))
        },
        .attribute("special_tokens_map", "each special token by its role") { o in
            .dict(try PyDict(o.tokenizer.specialTokens.map.map { (.str($0.0), .str($0.1)) }))
        },
        .attribute("vocab", "token -> id, in id order") { try vocab($0.tokenizer) },
    ]

    private static let methods: [Member<TokenizerObject>] = [
        .method("get_vocab", "", "token -> id, in id order") { o, _ in try vocab(o.tokenizer) },
        .method("save_pretrained", "save_directory", "writes the tokenizer files transformers writes; returns their paths") { o, call in
            let directory = try call[0]!.asString("save_directory")
            let files = try o.tokenizer.save(to: URL(fileURLWithPath: directory))
            return .tuple(files.map { .str((directory as NSString).appendingPathComponent($0.lastPathComponent)) })
        },
        .method("tokenize", "text, pair=None, add_special_tokens=False", "the tokens of text") { o, call in
            let t = o.tokenizer
            let text = try call[0]!.asString("text"), pair = try call[1].flatMap { $0.typeName == "NoneType" ? nil : try $0.asString("pair") }
            let special = try call[2]?.isTruthy() ?? false
            // the slow class tokenizes the text alone, whatever else it is given (as transformers' does)
            guard t.isFast, pair != nil || special else { return .list(PyList(t.tokenize(text).map(Value.str))) }
            var options = EncodingOptions()
            options.addSpecialTokens = special
            let encoding = try t.encode([text], pairs: pair.map { [$0] }, batched: false, options: options)
            return .list(PyList(encoding.tokens[0].map(Value.str)))
        },
        .method("convert_tokens_to_string", "tokens", "the text the tokens make") { o, call in
            let tokens = try Iteration.materialize(call[0]!)
            return .str(o.tokenizer.convertTokensToString(try tokens.map { try $0.asString("token") }))
        },
        .method("encode_plus", "*args", "the same as calling the tokenizer") { o, call in try o.call(call.arguments, call.interpreter)! },
        .method("batch_encode_plus", "*args", "the same as calling the tokenizer on a batch") { o, call in
            try o.call(call.arguments, call.interpreter)!
        },
        .method("encode", "*args", "the input_ids a call gives") { o, call in
            guard case .object(let encoding as EncodingObject) = try o.call(call.arguments, call.interpreter)!,
                  let ids = encoding.mappingValue("input_ids") else { return .none }
            return ids
        },
        .method("convert_tokens_to_ids", "tokens", "the id of a token, or of each token of a list") { o, call in
            let t = o.tokenizer
            if case .str(let s) = call[0]! { return t.id(forToken: s).map(Value.int) ?? .none }
            return .list(PyList(try Iteration.materialize(call[0]!).map { t.id(forToken: try $0.asString("token")).map(Value.int) ?? .none }))
        },
        .method("convert_ids_to_tokens", "ids, skip_special_tokens=False", "the token of an id, or of each id") { o, call in
            let t = o.tokenizer
            let skip = try call[1]?.isTruthy() ?? false
            if let id = try? call[0]!.asInt("id") { return t.token(forID: id).map(Value.str) ?? .none }
            let ids = try ids(call[0]!).filter { !skip || !t.specialIDs.contains($0) }
            return .list(PyList(ids.map { t.token(forID: $0).map(Value.str) ?? .none }))
        },
        .method("decode", "token_ids, skip_special_tokens=False, clean_up_tokenization_spaces=None", "the text of the ids") { o, call in
            .str(o.tokenizer.decode(try ids(call[0]!), skipSpecialTokens: try call[1]?.isTruthy() ?? false,
                                    cleanUpTokenizationSpaces: try optionalBool(call[2])))
        },
        .method("train_new_from_iterator", "text_iterator, vocab_size, length=None, new_special_tokens=None, special_tokens_map=None",
                "a tokenizer of the same kind trained on the texts (or lists of texts)") { o, call in
            guard o.tokenizer.isFast else {  // a slow class has no such method
                throw PyError(.attributeError, "'\(o.tokenizer.className)' object has no attribute 'train_new_from_iterator'")
            }
            guard call[3].given == nil, call[4].given == nil else {
                throw PyError(.notImplementedError, "sbpl does not support train_new_from_iterator's new_special_tokens or special_tokens_map yet")
            }
            let texts = try TrainerObject.texts(call[0]!)
            let size = try call[1]!.asInt("vocab_size")
            guard size >= 0 else { throw PyError(.overflowError, "can't convert negative int to unsigned") }
            let trained = TokenizerObject(try o.tokenizer.trainedNew(on: texts, vocabularySize: size))
            // transformers' trainer shows its progress
            call.interpreter.write(TrainerObject.defaults(for: TokenizerModelObject(trained.tokenizer.backend.model).kind).progressLines)
            return .object(trained)
        },
        .method("get_special_tokens_mask", "token_ids_0, token_ids_1=None, already_has_special_tokens=False",
                "1 for each id of a special token, 0 for the others (ids that already hold them)") { o, call in
            guard try call[2]?.isTruthy() == true, call[1].given == nil else {
                throw PyError(.assertionError, "You cannot use ``already_has_special_tokens=False`` with this tokenizer. Please use a slow (full python) tokenizer to activate this argument. Or set `return_special_tokens_mask=True` when calling the encoding method to get the special tokens mask in any tokenizer. ")
            }
            let special = Set(o.tokenizer.allSpecialTokens.compactMap { o.tokenizer.id(forToken: $0) })
            return .list(PyList(try ids(call[0]!).map { .int(special.contains($0) ? 1 : 0) }))
        },
        .method("num_special_tokens_to_add", "pair=False", "how many special tokens encoding a text (or a pair) adds") { o, call in
            .int(o.tokenizer.backend.numSpecialTokensToAdd(isPair: try call[0]?.isTruthy() ?? false))
        },
        .method("batch_decode", "sequences, skip_special_tokens=False, clean_up_tokenization_spaces=None", "the text of each sequence") { o, call in
            let rows = try Iteration.materialize(call[0]!)
            return .list(PyList(try rows.map {
                .str(o.tokenizer.decode(try ids($0), skipSpecialTokens: try call[1]?.isTruthy() ?? false,
                                        cleanUpTokenizationSpaces: try optionalBool(call[2])))
            }))
        },
    ]

    /// `tokenizer.get_vocab()`: token -> id, in id order.
    /// `backend_tokenizer`: a slow (Python) tokenizer has none.
    private static func backend(_ o: TokenizerObject) throws -> Value {
        guard o.tokenizer.isFast else { throw PyError(.attributeError, "'\(o.typeName)' object has no attribute 'backend_tokenizer'") }
        return .object(BackendTokenizerObject(o.tokenizer.backend))
    }

    private static func vocab(_ t: PreTrainedTokenizer) throws -> Value {
        .dict(try PyDict((0..<t.vocabulary.count).compactMap { id in t.token(forID: id).map { (.str($0), .int(id)) } }))
    }

    /// Token ids from a list of ints or an int tensor.
    static func ids(_ v: Value) throws -> [Int] {
        let ids: [Int]
        if case .int(let id) = try v.indexValue {
            ids = [id]  // decode(101), as transformers takes a single id
        } else if case .tensor(let x) = v {
            guard x.rank <= 1 else { throw PyError.type("decode() takes one sequence of ids; use batch_decode for a batch") }
            guard x.dtype.isInteger else { throw PyError.type("argument 'ids': 'float' object cannot be interpreted as an integer") }
            ids = x.int64s().map { Int($0) }
        } else {
            ids = try Iteration.materialize(v).map { try $0.asInt("token id") }
        }
        // the Rust library takes ids as u32: a negative one (a label's -100) cannot be one
        if ids.contains(where: { $0 < 0 || $0 > Int(UInt32.max) }) { throw PyError(.overflowError, "out of range integral type conversion attempted") }
        return ids
    }
}
