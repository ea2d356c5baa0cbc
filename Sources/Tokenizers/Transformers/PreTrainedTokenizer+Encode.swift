import TensorCore

extension PreTrainedTokenizer {
    /// The number to print for `model_max_length` when the checkpoint sets none: Python's `int(1e30)`.
    public static let veryLargeIntegerText = "1000000000000000019884624838656"

    /// `tokenizer(texts, text_pair=pairs, ...)`. `batched` false means a single string was given: fields are
    /// flat lists, or tensors of shape `[1, length]`. The texts are encoded on every core if `parallel` (by default
    /// as `TOKENIZERS_PARALLELISM` says), with the same result.
    public func encode(_ texts: [String], pairs: [String]? = nil, batched: Bool = true, options: EncodingOptions = EncodingOptions(),
                       parallel: Bool = TokenizersParallelism.isEnabled) throws -> BatchEncoding {
        try encode(inputs: texts.map(TextInput.text), pairs: pairs?.map(TextInput.text), batched: batched, options: options, parallel: parallel)
    }

    /// `tokenizer(inputs, text_pair=pairs, ...)` for texts or texts split into words (`is_split_into_words=True`).
    public func encode(inputs texts: [TextInput], pairs: [TextInput]? = nil, batched: Bool = true, options: EncodingOptions = EncodingOptions(),
                       parallel: Bool = TokenizersParallelism.isEnabled) throws -> BatchEncoding {
        if let pairs, pairs.count != texts.count {
            throw TokenizerError("batch length of `text`: \(texts.count) does not match batch length of `text_pair`: \(pairs.count).")
        }
        let plan = try strategies(options)
        let added = options.addSpecialTokens ? backend.numSpecialTokensToAdd(isPair: pairs != nil) : 0
        // transformers' truncation lengths count the special tokens; one shorter than those leaves the text whole
        let truncation = plan.maxLength.flatMap { maxLength in
            plan.truncation != .doNotTruncate && maxLength >= added ? TruncationParams(maxLength: maxLength, strategy: plan.truncation, stride: options.stride) : nil
        }
        // one text (or pair) a task, as the Rust library's batches
        var encodings: [Encoding]
        let samples: [Int]
        if options.returnOverflowingTokens, let truncation {
            let windows = try TokenizersParallelism.map(texts.count, parallel: parallel) { i in
                try backend.encodeWindows(texts[i], pair: pairs?[i], truncation: truncation, addSpecialTokens: options.addSpecialTokens)
            }
            encodings = windows.flatMap { $0 }
            samples = windows.indices.flatMap { repeatElement($0, count: windows[$0].count) }
        } else {
            encodings = try TokenizersParallelism.map(texts.count, parallel: parallel) { i in
                try backend.encode(texts[i], pair: pairs?[i], truncation: truncation, addSpecialTokens: options.addSpecialTokens)
            }
            samples = Array(texts.indices)
        }
        if truncation == nil, let limit = modelMaxLength {
            for encoding in encodings where encoding.count > limit {
                warnOnce(.sequenceLongerThanMaximum, "Token indices sequence length is longer than the specified maximum sequence length for this model (\(encoding.count) > \(limit)). Running this sequence through the model will result in indexing errors")
            }
        }
        switch plan.padding {
        case .doNotPad: break
        case .longest: try backend.pad(&encodings, padding(.batchLongest, plan), parallel: parallel)
        case .maxLength: try backend.pad(&encodings, padding(.fixed(plan.maxLength ?? 0), plan), parallel: parallel)
        }
        var encoding = try fields(encodings, batched: batched || options.returnOverflowingTokens, options: options, parallel: parallel)
        if options.returnOverflowingTokens {
            encoding["overflow_to_sample_mapping"] = options.returnTensors
                ? .tensor(Tensor(ints: samples.map(Int64.init), shape: [samples.count])) : .ids(samples)
        }
        return encoding
    }

    /// The backend's padding for `strategy`, with the plan's side and multiple.
    private func padding(_ strategy: PaddingParams.Strategy, _ plan: Plan) -> PaddingParams {
        PaddingParams(strategy: strategy, direction: plan.side, padToMultipleOf: plan.multipleOf, padID: padID ?? 0)  // checked by the plan
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
            warnOnce(.truncationNotActivated, "Truncation was not explicitly activated but `max_length` is provided a specific value, please use `truncation=True` to explicitly truncate examples to max length. Defaulting to 'longest_first' truncation strategy. If you encode pairs of sequences (GLUE-style) with the tokenizer you can select this strategy more precisely by providing a specific strategy to `truncation`.")
            truncation = .longestFirst
        }
        var plan = Plan(padding: options.padding, truncation: truncation ?? .doNotTruncate, maxLength: options.maxLength,
                        multipleOf: options.padToMultipleOf, side: options.paddingSide ?? paddingSide)
        if plan.maxLength == nil {
            if plan.padding == .maxLength {
                if let limit = modelMaxLength { plan.maxLength = limit } else {
                    warnOnce(.padToMaxLengthWithoutOne, "Asking to pad to max_length but no maximum length is provided and the model has no predefined maximum length. Default to no padding.")
                    plan.padding = .doNotPad
                }
            }
            if plan.truncation != .doNotTruncate {
                if let limit = modelMaxLength { plan.maxLength = limit } else {
                    warnOnce(.truncateToMaxLengthWithoutOne, "Asking to truncate to max_length but no maximum length is provided and the model has no predefined maximum length. Default to no truncation.")
                    plan.truncation = .doNotTruncate
                }
            }
        }
        if plan.padding != .doNotPad && padID == nil { throw TokenizerError.noPaddingToken }
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

    /// The encodings as transformers' fields, in `model_input_names` order unless asked otherwise.
    private func fields(_ sequences: [Encoding], batched: Bool, options: EncodingOptions, parallel: Bool) throws -> BatchEncoding {
        var encoding = BatchEncoding(tokens: try TokenizersParallelism.map(sequences.count, parallel: parallel) { i in
                                         zip(sequences[i].ids.indices, tokens(sequences[i].ids)).map { sequences[i].matchedTexts[$0] ?? $1 }
                                     },
                                     wordIDs: sequences.map(\.wordIDs), sequenceIDs: sequences.map(\.sequenceIDs),
                                     offsets: sequences.map(\.offsets))
        let names = family.modelInputNames
        var columns: [(String, [[Int]])] = [("input_ids", sequences.map(\.ids))]
        if options.returnTokenTypeIDs ?? names.contains("token_type_ids") { columns.append(("token_type_ids", sequences.map(\.typeIDs))) }
        if options.returnAttentionMask ?? names.contains("attention_mask") { columns.append(("attention_mask", sequences.map(\.attentionMask))) }
        if options.returnSpecialTokensMask { columns.append(("special_tokens_mask", sequences.map { $0.sequenceIDs.map { $0 == nil ? 1 : 0 } })) }
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
        if options.returnOffsetsMapping {  // rows as long as input_ids', whose tensor was checked above
            let offsets = sequences.map(\.offsets)
            encoding["offset_mapping"] = options.returnTensors
                ? .tensor(Tensor(ints: offsets.flatMap { $0.flatMap { [Int64($0.lowerBound), Int64($0.upperBound)] } },
                                 shape: [offsets.count, offsets.first?.count ?? 0, 2]))
                : .offsets(offsets, batched: batched)
        }
        if options.returnLength {  // a list even for one text, as transformers leaves it
            let lengths = sequences.map(\.ids.count)
            encoding["length"] = options.returnTensors ? .tensor(Tensor(ints: lengths.map(Int64.init), shape: [lengths.count])) : .ids(lengths)
        }
        return encoding
    }
}
