import TensorCore

extension BertTokenizer {
    /// The number to print for `model_max_length` when the checkpoint sets none: Python's `int(1e30)`.
    public static let veryLargeIntegerText = "1000000000000000019884624838656"

    /// `tokenizer(texts, text_pair=pairs, ...)`. `batched` false means a single string was given: fields are
    /// flat lists, or tensors of shape `[1, length]`.
    public func encode(_ texts: [String], pairs: [String]? = nil, batched: Bool = true,
                       options: EncodingOptions = EncodingOptions()) throws -> BatchEncoding {
        if let pairs, pairs.count != texts.count {
            throw TokenizerError("batch length of `text`: \(texts.count) does not match batch length of `text_pair`: \(pairs.count).")
        }
        let plan = try strategies(options)
        var sequences = [Sequence]()
        for (i, text) in texts.enumerated() {
            let encodedFirst = idsAndWords(text), encodedSecond = pairs.map { idsAndWords($0[i]) }
            var first = encodedFirst.ids, second = encodedSecond?.ids
            let added = options.addSpecialTokens ? (second == nil ? 2 : 3) : 0
            if plan.truncation != .doNotTruncate, let maxLength = plan.maxLength, maxLength >= added {
                try Self.truncate(&first, &second, to: maxLength - added, plan.truncation)
            } else if let limit = modelMaxLength, first.count + (second?.count ?? 0) + added > limit {
                warn("Token indices sequence length is longer than the specified maximum sequence length for this model (\(first.count + (second?.count ?? 0) + added) > \(limit)). Running this sequence through the model will result in indexing errors")
            }
            // truncation only drops ids from the end, so the words of those kept are the first ones
            let words = (Array(encodedFirst.words.prefix(first.count)), encodedSecond.map { Array($0.words.prefix(second?.count ?? 0)) })
            sequences.append(assemble(first, second, words: words, addSpecialTokens: options.addSpecialTokens))
        }
        try pad(&sequences, plan)
        return try fields(sequences, batched: batched, options: options)
    }

    /// One encoded sequence before it becomes fields.
    struct Sequence {
        var ids: [Int]
        var typeIDs: [Int]
        var mask: [Int]
        /// Per token, the word it comes from and the sequence (0 or 1) it belongs to; nil for special tokens.
        var words: [Int?]
        var sequenceIDs: [Int?]
    }

    private struct Plan {
        var padding: Padding
        var truncation: Truncation
        var maxLength: Int?
        var multipleOf: Int?
        var side: PaddingSide
    }

    /// transformers' `_get_padding_truncation_strategies`.
    private func strategies(_ options: EncodingOptions) throws -> Plan {
        var truncation = options.truncation
        if options.maxLength != nil && options.padding == .doNotPad && truncation == nil {
            warn("Truncation was not explicitly activated but `max_length` is provided a specific value, please use `truncation=True` to explicitly truncate examples to max length. Defaulting to 'longest_first' truncation strategy. If you encode pairs of sequences (GLUE-style) with the tokenizer you can select this strategy more precisely by providing a specific strategy to `truncation`.")
            truncation = .longestFirst
        }
        var plan = Plan(padding: options.padding, truncation: truncation ?? .doNotTruncate, maxLength: options.maxLength,
                        multipleOf: options.padToMultipleOf, side: options.paddingSide ?? paddingSide)
        if plan.maxLength == nil {
            if plan.padding == .maxLength {
                if let limit = modelMaxLength { plan.maxLength = limit } else {
                    warn("Asking to pad to max_length but no maximum length is provided and the model has no predefined maximum length. Default to no padding.")
                    plan.padding = .doNotPad
                }
            }
            if plan.truncation != .doNotTruncate {
                if let limit = modelMaxLength { plan.maxLength = limit } else {
                    warn("Asking to truncate to max_length but no maximum length is provided and the model has no predefined maximum length. Default to no truncation.")
                    plan.truncation = .doNotTruncate
                }
            }
        }
        if let maxLength = plan.maxLength, maxLength < 0 {
            throw TokenizerError("max_length must be a non-negative integer, got \(maxLength)")
        }
        if let multiple = plan.multipleOf {
            guard multiple > 0 else { throw TokenizerError("pad_to_multiple_of must be a positive integer, got \(multiple)") }
            if plan.padding != .doNotPad, plan.truncation != .doNotTruncate, let maxLength = plan.maxLength, maxLength % multiple != 0 {
                throw TokenizerError("Truncation and padding are both activated but truncation length (\(maxLength)) is not a multiple of pad_to_multiple_of (\(multiple)).")
            }
        }
        return plan
    }

    /// The truncation of huggingface/tokenizers: `budget` is what is left for the two sequences' own tokens.
    static func truncate(_ first: inout [Int], _ second: inout [Int]?, to budget: Int, _ strategy: Truncation) throws {
        let total = first.count + (second?.count ?? 0)
        guard total > budget else { return }
        switch strategy {
        case .doNotTruncate:
            return
        case .longestFirst:
            guard var pair = second else { first.removeLast(total - budget); return }
            var (n1, n2) = (first.count, pair.count)
            let swap = n1 > n2
            if swap { (n1, n2) = (n2, n1) }
            n2 = n1 > budget ? n1 : Swift.max(n1, budget - n1)
            if n1 + n2 > budget { n1 = budget / 2; n2 = n1 + budget % 2 }
            if swap { (n1, n2) = (n2, n1) }
            first.removeLast(Swift.max(0, first.count - n1))
            pair.removeLast(Swift.max(0, pair.count - n2))
            second = pair
        case .onlyFirst, .onlySecond:
            let excess = total - budget
            if strategy == .onlyFirst {
                guard first.count > excess else { throw TokenizerError("Truncation error: Sequence to truncate too short to respect the provided max_length") }
                first.removeLast(excess)
            } else {
                guard var pair = second else { throw TokenizerError("Truncation error: Second sequence not provided") }
                guard pair.count > excess else { throw TokenizerError("Truncation error: Sequence to truncate too short to respect the provided max_length") }
                pair.removeLast(excess)
                second = pair
            }
        }
    }

    /// `[CLS] A [SEP]` or `[CLS] A [SEP] B [SEP]`, with token types 0 for A and 1 for B.
    private func assemble(_ first: [Int], _ second: [Int]?, words: ([Int], [Int]?), addSpecialTokens: Bool) -> Sequence {
        let cls = requiredID(specialTokens.classifier), sep = requiredID(specialTokens.separator)
        /// `body`, between `before` and `after` when special tokens are added.
        func framed<T>(_ body: [T], _ before: [T], _ after: [T]) -> [T] { addSpecialTokens ? before + body + after : body }
        var ids = framed(first, [cls], [sep])
        var types = [Int](repeating: 0, count: ids.count)
        var wordIDs = framed(words.0.map { Optional($0) }, [nil], [nil])
        var sequenceIDs = framed(first.map { _ in Optional(0) }, [nil], [nil])
        if let second {
            ids += framed(second, [], [sep])
            types += [Int](repeating: 1, count: ids.count - types.count)
            wordIDs += framed((words.1 ?? []).map { Optional($0) }, [], [nil])
            sequenceIDs += framed(second.map { _ in Optional(1) }, [], [nil])
        }
        return Sequence(ids: ids, typeIDs: types, mask: [Int](repeating: 1, count: ids.count), words: wordIDs, sequenceIDs: sequenceIDs)
    }

    /// Pads on the right with `[PAD]`, type 0 and mask 0, to the longest sequence or to `max_length`.
    private func pad(_ sequences: inout [Sequence], _ plan: Plan) throws {
        var target: Int
        switch plan.padding {
        case .doNotPad: return
        case .longest: target = sequences.map(\.ids.count).max() ?? 0
        case .maxLength: target = plan.maxLength ?? 0
        }
        if let multiple = plan.multipleOf, target % multiple != 0 {
            let rounded = target.addingReportingOverflow(multiple - target % multiple)
            try Tensor.checkAllocation(bytes: rounded.overflow ? nil : rounded.partialValue)
            target = rounded.partialValue
        }
        // ids, token types and mask, 8 bytes an entry, for every sequence
        try Tensor.checkAllocation([sequences.count, 3, target], dtype: .int64)
        let padID = requiredID(specialTokens.padding)
        func padded<T>(_ values: [T], with value: T, count n: Int) -> [T] {
            let padding = [T](repeating: value, count: n)
            return plan.side == .right ? values + padding : padding + values
        }
        for i in sequences.indices where sequences[i].ids.count < target {
            let n = target - sequences[i].ids.count
            sequences[i].ids = padded(sequences[i].ids, with: padID, count: n)
            sequences[i].typeIDs = padded(sequences[i].typeIDs, with: 0, count: n)
            sequences[i].mask = padded(sequences[i].mask, with: 0, count: n)
            sequences[i].words = padded(sequences[i].words, with: nil, count: n)
            sequences[i].sequenceIDs = padded(sequences[i].sequenceIDs, with: nil, count: n)
        }
    }

    private func fields(_ sequences: [Sequence], batched: Bool, options: EncodingOptions) throws -> BatchEncoding {
        var encoding = BatchEncoding(tokens: sequences.map { $0.ids.map { vocabulary.token($0) ?? wordPiece.unknownToken } },
                                     wordIDs: sequences.map(\.words), sequenceIDs: sequences.map(\.sequenceIDs))
        let names = family.modelInputNames
        var columns: [(String, [[Int]])] = [("input_ids", sequences.map(\.ids))]
        if options.returnTokenTypeIDs ?? names.contains("token_type_ids") { columns.append(("token_type_ids", sequences.map(\.typeIDs))) }
        if options.returnAttentionMask ?? names.contains("attention_mask") { columns.append(("attention_mask", sequences.map(\.mask))) }
        for (name, rows) in columns {
            if options.returnTensors {
                let width = rows.first?.count ?? 0
                guard rows.allSatisfy({ $0.count == width }) else {
                    throw TokenizerError("Unable to create tensor, you should probably activate truncation and/or padding with 'padding=True' 'truncation=True' to have batched tensors with the same length. Perhaps your features (`\(name)` in this case) have excessive nesting (inputs type `list` where type `int` is expected).")
                }
                encoding[name] = .tensor(Tensor(ints: rows.flatMap { $0.map(Int64.init) }, shape: [rows.count, width]))
            } else {
                encoding[name] = batched ? .batch(rows) : .ids(rows.first ?? [])
            }
        }
        return encoding
    }
}
