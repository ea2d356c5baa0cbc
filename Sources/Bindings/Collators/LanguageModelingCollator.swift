import Language
import TensorCore
import Tokenizers

/// transformers' `DataCollatorForLanguageModeling(tokenizer, mlm=True, mlm_probability=0.15, pad_to_multiple_of=None,
/// tf_experimental_compile=False, return_tensors="pt")`: examples (dicts, or lists of ids) padded into a batch whose
/// `labels` are, for masked language modeling, the ids of the tokens picked for prediction (each non-special token
/// with `mlm_probability`; -100 elsewhere), those inputs replaced 80% by the mask token, 10% by a random token; for
/// causal language modeling (`mlm=False`), the inputs themselves with padding as -100. The draws are torch's, in its
/// order, so a seeded run picks what transformers picks.
final class LanguageModelingCollator: DataCollator {
    static let name = "DataCollatorForLanguageModeling"
    let tokenizer: TokenizerObject
    private let mlm: Bool
    private let probability: Double
    private let padToMultipleOf: Int?
    private let compiled: Bool

    init(_ arguments: Arguments) throws {
        let a = try arguments.bind(Self.name, ["tokenizer", "mlm", "mlm_probability", "pad_to_multiple_of", "tf_experimental_compile", "return_tensors"],
                                   required: 1)
        tokenizer = try Self.tokenizer(a[0]!)
        mlm = try a[1]?.isTruthy() ?? true
        probability = try a[2]?.asDouble("mlm_probability") ?? 0.15
        padToMultipleOf = try a[3].given?.asInt("pad_to_multiple_of")
        compiled = try a[4]?.isTruthy() ?? false
        try Self.checkTensors(a[5])
        if mlm && tokenizer.tokenizer.specialTokens[.mask] == nil {
            throw PyError.value("This tokenizer does not have a mask token which is necessary for masked language modeling. You should pass `mlm=False` to train on causal language modeling instead.")
        }
    }

    var settings: [(name: String, repr: String)] {
        [("mlm", mlm ? "True" : "False"), ("mlm_probability", Value.float(probability).repr),
         ("pad_to_multiple_of", padToMultipleOf.map(String.init) ?? "None"), ("tf_experimental_compile", compiled ? "True" : "False"),
         ("return_tensors", "'pt'")]
    }

    static let members = MemberTable<LanguageModelingCollator>(name, [
        .attribute("tokenizer", "the tokenizer whose pad and mask tokens it uses") { .object($0.tokenizer) },
        .attribute("mlm", "whether it masks tokens to predict (else labels are the inputs)") { .bool($0.mlm) },
        .attribute("mlm_probability", "how likely each token is picked for prediction") { .float($0.probability) },
    ])

    /// Lists of ids (not dicts) are stacked, padded when their lengths differ, into `input_ids` alone.
    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        let features = try arguments.bind(Self.name, ["features"], required: 1)[0]!
        let items = try Iteration.materialize(features)
        guard let first = items.first else { throw PyError.index("list index out of range") }
        switch first {
        case .dict, .object(_ as MappingObject): return try collate(try CollatorExample.all(features, collator: Self.name), interpreter)
        default:
            let batch = try PyDict([(.str("input_ids"), .tensor(try stacked(items)))])
            try complete(batch)
            return .dict(batch)
        }
    }

    func collate(_ examples: [CollatorExample], _ interpreter: Interpreter) throws -> Value {
        let padder = FeaturePadder(tokenizer: tokenizer, padding: .longest, maxLength: nil, padToMultipleOf: padToMultipleOf)
        let batch = try EncodingObject(BatchEncoding(tensors: try padder.pad(examples)))
        try complete(batch.data)
        return .object(batch)
    }

    /// The batch's inputs masked and its `labels` added, `special_tokens_mask` taken out.
    private func complete(_ batch: PyDict) throws {
        var special: Tensor?
        if case .tensor(let t)? = try batch.get(.str("special_tokens_mask")) { special = t }
        _ = try batch.remove(.str("special_tokens_mask"))
        guard case .tensor(let inputs)? = try batch.get(.str("input_ids")) else { return }
        if mlm {
            let (masked, labels) = try masking(inputs, special: special)
            try batch.set(.str("input_ids"), .tensor(masked))
            try batch.set(.str("labels"), .tensor(labels))
        } else {
            let pad = tokenizer.tokenizer.padID.map(Int64.init)
            try batch.set(.str("labels"), .tensor(Tensor(ints: inputs.int64s().map { $0 == pad ? -100 : $0 }, shape: inputs.shape)))
        }
    }

    /// transformers' `torch_mask_tokens`: which tokens to predict, then which of them become the mask token and
    /// which a random one, each a bernoulli draw over the whole batch, then the random tokens.
    private func masking(_ inputs: Tensor, special: Tensor?) throws -> (inputs: Tensor, labels: Tensor) {
        var ids = inputs.int64s()
        let specialIDs = Set(tokenizer.tokenizer.allSpecialTokens.compactMap { tokenizer.tokenizer.id(forToken: $0) }.map(Int64.init))
        let isSpecial = special?.bools() ?? ids.map { specialIDs.contains($0) }
        let p = Float(probability)
        let picked = RandomGenerator.bernoulli(probabilities: isSpecial.map { $0 ? 0 : p })
        let labels = zip(ids, picked).map { $1 ? $0 : -100 }
        let replaced = zip(RandomGenerator.bernoulli(probabilities: [Float](repeating: 0.8, count: ids.count)), picked).map { $0 && $1 }
        let halves = RandomGenerator.bernoulli(probabilities: [Float](repeating: 0.5, count: ids.count))
        let words = RandomGenerator.integers(ids.count, low: 0, high: Int64(tokenizer.length))
        let mask = Int64(tokenizer.tokenizer.specialTokens[.mask].flatMap { tokenizer.tokenizer.id(forToken: $0) } ?? 0)
        for i in ids.indices {
            if replaced[i] { ids[i] = mask } else if halves[i] && picked[i] { ids[i] = words[i] }
        }
        return (Tensor(ints: ids, shape: inputs.shape), Tensor(ints: labels, shape: inputs.shape))
    }

    /// transformers' `_torch_collate_batch`: lists of ids as one tensor, padded with the pad token (on the
    /// tokenizer's side) when their lengths differ or are not a multiple of `pad_to_multiple_of`.
    private func stacked(_ items: [Value]) throws -> Tensor {
        let rows = try items.map { try Iteration.materialize($0) }
        let longest = rows.map(\.count).max() ?? 0
        let length = FeaturePadder.rounded(longest, toMultipleOf: padToMultipleOf)
        if rows.allSatisfy({ $0.count == length }) { return try TorchModule.tensor(from: .list(PyList(rows.map { .list(PyList($0)) })), dtype: nil) }
        guard let pad = tokenizer.tokenizer.padID else {
            throw PyError.value("You are attempting to pad samples but the tokenizer you are using (\(tokenizer.typeName)) does not have a pad token.")
        }
        let padder = FeaturePadder(tokenizer: tokenizer, padding: .longest, maxLength: nil, padToMultipleOf: padToMultipleOf)
        return try TorchModule.tensor(from: .list(PyList(try rows.map { try padder.padded(.list(PyList($0)), with: pad, by: length - $0.count) })), dtype: .int64)
    }
}
