import Testing
import Tokenizers

/// Batches encoded on every core and on one give transformers' encodings (`TOKENIZERS_PARALLELISM`).
@Suite
struct BatchParallelismTests {
    @Test("TOKENIZERS_PARALLELISM read as huggingface/tokenizers reads it", arguments: [
        (nil, true), ("true", true), ("1", true), ("yes", true), ("anything", true),
        ("", false), ("false", false), ("FALSE", false), ("f", false), ("off", false), ("Off", false), ("no", false),
        ("n", false), ("0", false),
    ] as [(String?, Bool)])
    func parallelismVariable(value: String?, enabled: Bool) {
        #expect(TokenizersParallelism.isEnabled(value) == enabled)
    }

    @Test("Every parity text in one batch, on every core and on one: transformers' ids, words and offsets", arguments: [true, false])
    func parityBatch(parallel: Bool) throws {
        let rows = try FixtureRows.load("parity.jsonl") as [ParityRow]
        var options = EncodingOptions()
        options.addSpecialTokens = false
        options.returnOffsetsMapping = true
        let encoding = try Loaded.fromTokenizerJSON.get().encode(rows.map(\.text), options: options, parallel: parallel)
        guard case .batch(let ids)? = encoding["input_ids"] else { Issue.record("no input_ids rows"); return }
        #expect(ids == rows.map(\.ids))
        #expect(encoding.wordIDs == rows.map(\.words))
        #expect(encoding.offsets.map { $0.map { [$0.lowerBound, $0.upperBound] } } == rows.map(\.offsets))
    }

    @Test("Padded, truncated pairs with overflowing windows, on every core and on one, as transformers gives them", arguments: [true, false])
    func overflowingPairs(parallel: Bool) throws {
        var options = EncodingOptions()
        options.padding = .longest
        options.truncation = .onlySecond
        options.maxLength = 20
        options.stride = 3
        options.returnOverflowingTokens = true
        let encoding = try Loaded.fromTokenizerJSON.get().encode(
            ["What does sbpl run?", "Where is Zürich?", "Who wrote it?"],
            pairs: ["sbpl runs the Hugging Face course natively: tokenizers, models and pipelines, with the same outputs as transformers and PyTorch.",
                    "Zürich is the largest city in Switzerland, on Lake Zürich.", "日本語のテキスト and naïve café text."],
            options: options, parallel: parallel)
        // transformers 4.46.3: str(tokenizer(questions, contexts, truncation="only_second", max_length=20, stride=3,
        // return_overflowing_tokens=True, padding=True))
        #expect(encoding.description == "{'input_ids': [[101, 2054, 2515, 24829, 24759, 2448, 1029, 102, 24829, 24759, 3216, 1996, 17662, 2227, 2607, 3128, 2135, 1024, 19204, 102], [101, 2054, 2515, 24829, 24759, 2448, 1029, 102, 2135, 1024, 19204, 17629, 2015, 1010, 4275, 1998, 13117, 2015, 1010, 102], [101, 2054, 2515, 24829, 24759, 2448, 1029, 102, 13117, 2015, 1010, 2007, 1996, 2168, 27852, 2004, 19081, 1998, 1052, 102], [101, 2054, 2515, 24829, 24759, 2448, 1029, 102, 19081, 1998, 1052, 22123, 2953, 2818, 1012, 102, 0, 0, 0, 0], [101, 2073, 2003, 10204, 1029, 102, 10204, 2003, 1996, 2922, 2103, 1999, 5288, 1010, 2006, 2697, 10204, 1012, 102, 0], [101, 2040, 2626, 2009, 1029, 102, 1864, 1876, 1950, 1671, 30239, 30227, 30233, 30240, 1998, 15743, 7668, 3793, 1012, 102]], 'token_type_ids': [[0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0], [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]], 'attention_mask': [[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]], 'overflow_to_sample_mapping': [0, 0, 0, 0, 1, 2]}")
    }

    @Test("Of several failing pairs, the first one's error, on every core and on one", arguments: [true, false], [true, false])
    func firstError(parallel: Bool, strideFirst: Bool) throws {
        var options = EncodingOptions()
        options.truncation = .onlySecond
        options.maxLength = 12
        options.stride = 2
        options.returnOverflowingTokens = true
        // the context's windows would be 2 tokens long, no longer than the stride (a panic in huggingface/tokenizers),
        // or the question alone is longer than the 9 tokens left (its truncation error)
        let (narrow, long) = ("a b c d e f g", "a b c d e f g h i j")
        let questions = Array(repeating: "a b", count: 40) + [strideFirst ? narrow : long] + Array(repeating: "a b", count: 20) + [strideFirst ? long : narrow]
        let contexts = Array(repeating: "one two three four five six seven eight nine ten", count: questions.count)
        expectError(strideFirst ? "stride (2) must be less than the 2 tokens of the sequence each window can hold" : TokenizerError.sequenceTooShort.message) {
            _ = try Loaded.fromTokenizerJSON.get().encode(questions, pairs: contexts, options: options, parallel: parallel)
        }
    }
}
