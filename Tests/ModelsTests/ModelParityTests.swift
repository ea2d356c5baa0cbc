import Foundation
import Hub
import Models
import PythonText
import TensorCore
import TestSupport
import Testing
import Tokenizers

/// Forward passes against what PyTorch + transformers computed (expected.json, made by
/// scripts/fixtures/model_goldens.py), one test case per output tensor.
struct ModelParityTests {
    @Test func everyOutputOfTheFixtureIsCompared() {
        #expect(ParityRow.all.count == 9)
        #expect(Set(ParityRow.expected.keys) == Set(ParityRow.all.map(\.checkpoint) + ["tiny_inputs", "pipeline"]))
    }

    @Test(arguments: ParityRow.all)
    func outputsMatchPyTorch(row: ParityRow) throws {
        let (checkpoint, inputs) = try row.checkpointAndInputs()
        let output = try #require(try AutoModel.load(checkpoint, task: row.task)(inputs)[row.output])
        let golden = Fixtures.floatTensor(try #require(row.golden))
        guard row.output == "last_hidden_state", let mask = inputs.attentionMask, output.shape == golden.shape else {
            return expectClose(output, golden, tolerance: row.tolerance)
        }
        // the padding positions' states, which nothing reads, drift further from PyTorch's than the tokens' (MiniLM:
        // 1.0e-4 against 2.3e-6), their float32 differences amplified through the layers
        let width = output.shape[2], real = mask.int64s().flatMap { Array(repeating: $0 != 0, count: width) }
        let differences = zip(output.doubles(), golden.doubles()).map { Swift.abs($0 - $1) }
        #expect(real.count == differences.count)
        let tokens = zip(real, differences).filter(\.0).map(\.1).max() ?? 0
        let padding = zip(real, differences).filter { !$0.0 }.map(\.1).max() ?? 0
        #expect(tokens <= 1e-5 && padding <= 1.5 * row.tolerance, "max abs difference: tokens \(tokens), padding \(padding)")
    }

    @Test(arguments: [
        ("tiny-distilbert-sst2", ModelTask.sequenceClassification, "DistilBertForSequenceClassification", "SequenceClassifierOutput"),
        ("tiny-distilbert-sst2", .base, "DistilBertModel", "BaseModelOutput"),
        ("tiny-bert-cls-f16", .sequenceClassification, "BertForSequenceClassification", "SequenceClassifierOutput"),
        ("tiny-bert-sharded", .base, "BertModel", "BaseModelOutputWithPoolingAndCrossAttentions"),
    ])
    func autoModelsChooseTheClassFromTheConfig(checkpoint: String, task: ModelTask, className: String, outputType: String) throws {
        let row = ParityRow(checkpoint: checkpoint, output: "")
        let (located, inputs) = try row.checkpointAndInputs()
        let model = try AutoModel.load(located, task: task)
        #expect(model.className == className)
        #expect(try model(inputs).typeName == outputType)
    }

    @Test func labelsComeFromTheConfig() throws {
        let model = try AutoModel.load(Checkpoint.locate(Fixtures.url("Fixtures/tiny-bert-cls-f16").path), task: .sequenceClassification)
        #expect(model.config.id2label == [0: "a", 1: "b", 2: "c"])
    }
}

/// One output tensor of expected.json: a checkpoint (a tiny fixture, `minilm`, or `minilm_as_distilbert`) and the
/// field of its model output.
struct ParityRow: Sendable, CustomTestStringConvertible {
    let checkpoint: String
    /// `logits` (through the classification class), `last_hidden_state` or `pooler_output` (the base class).
    let output: String

    var testDescription: String { "\(checkpoint) \(output)" }

    nonisolated(unsafe) static let expected: [String: Any] = (try? JSONSerialization.jsonObject(
        with: Data(contentsOf: Fixtures.url("Fixtures/expected.json")))) as? [String: Any] ?? [:]

    /// Every output tensor in the file, in a stable order.
    static let all: [ParityRow] = expected.keys.sorted().flatMap { checkpoint -> [ParityRow] in
        guard !["tiny_inputs", "pipeline"].contains(checkpoint), let fields = expected[checkpoint] as? [String: Any] else { return [] }
        return fields.keys.sorted().filter { $0 != "sentences" }.map { ParityRow(checkpoint: checkpoint, output: $0) }
    }

    var task: ModelTask { output == "logits" ? .sequenceClassification : .base }
    var golden: Any? { (Self.expected[checkpoint] as? [String: Any])?[output] }
    /// Real weights accumulate over 384-wide rows: a looser bound than the tiny checkpoints'.
    var tolerance: Double { checkpoint.hasPrefix("minilm") ? 1e-4 : 1e-5 }

    /// The checkpoint and the inputs PyTorch was given: the fixed tiny inputs (with token types for the float16
    /// BERT classifier only), or the sentences tokenized by the checkpoint's own tokenizer.
    func checkpointAndInputs() throws -> (Checkpoint, ModelInputs) {
        switch checkpoint {
        case "minilm":
            let located = try Checkpoint.locate(Fixtures.miniLM().path)
            return (located, try encode(located, tokenTypes: true))
        case "minilm_as_distilbert":
            let located = try Checkpoint.locate(TestingSupport.miniLMAsDistilBert().path)
            return (located, try encode(located, tokenTypes: false))
        default:
            let raw = try #require(Self.expected["tiny_inputs"] as? [String: Any])
            func ints(_ key: String) throws -> Tensor {
                let rows = try #require(raw[key] as? [[Int]])
                return Tensor(ints: rows.flatMap { $0.map(Int64.init) }, shape: [rows.count, rows.first?.count ?? 0])
            }
            return (try Checkpoint.locate(Fixtures.url("Fixtures/\(checkpoint)").path),
                    ModelInputs(inputIDs: try ints("input_ids"), attentionMask: try ints("attention_mask"),
                                tokenTypeIDs: checkpoint == "tiny-bert-cls-f16" ? try ints("token_type_ids") : nil))
        }
    }

    /// The row's sentences, padded and truncated as `tokenizer(sentences, padding=True, truncation=True)`.
    private func encode(_ checkpoint: Checkpoint, tokenTypes: Bool) throws -> ModelInputs {
        let sentences = try #require((Self.expected[self.checkpoint] as? [String: Any])?["sentences"] as? [String])
        var options = EncodingOptions()
        (options.padding, options.truncation, options.returnTensors) = (.longest, .longestFirst, true)
        let encoding = try PreTrainedTokenizer.load(checkpoint).encode(sentences, options: options)
        func tensor(_ key: String) throws -> Tensor { try #require(encoding[key]).asTensor() }
        return ModelInputs(inputIDs: try tensor("input_ids"), attentionMask: try tensor("attention_mask"),
                           tokenTypeIDs: tokenTypes ? try tensor("token_type_ids") : nil)
    }
}
