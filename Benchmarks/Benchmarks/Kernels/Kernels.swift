import Benchmark
import Foundation
import Hub
import Models
import PythonText
import TensorCore
import Tokenizers

/// sbpl's kernels at the sizes of a DistilBERT forward pass over a batch of 8 sequences of 128 tokens (dim 768,
/// 12 heads, feed-forward 3072): the linear layers' packed fp32 GEMM and int8 GEMM (on 128 rows, one sequence),
/// attention, softmax, sums and layer norm, one whole DistilBERT layer (with its embeddings) in float32 and int8, and the
/// MiniLM tokenizer's batch encode. Each reports wall clock, throughput (iterations per second) and mallocs per
/// iteration; inputs are made and weights packed in `setup`, outside what is measured. Each runs for
/// `SBPL_BENCH_SECONDS` (5 by default) or 1,000 iterations, whichever ends first.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .microseconds,
        warmupIterations: 2,
        maxDuration: .seconds(Int(ProcessInfo.processInfo.environment["SBPL_BENCH_SECONDS"] ?? "") ?? 5),
        maxIterations: 1_000,
        thresholds: Tolerance.thresholds)

    for outputs in [768, 3072] {
        let shape = "128x768 @ 768x\(outputs)"
        kernel("Linear fp32 (packed GEMM) \(shape)", setup: { try LinearInputs(rows: 128, inputs: 768, outputs: outputs) }) {
            try $0.x.linear(weight: $0.weight, bias: $0.bias)
        }
        kernel("Linear int8 (quantizedLinear) \(shape)", setup: { try LinearInputs(rows: 128, inputs: 768, outputs: outputs) }) {
            try $0.x.quantizedLinear($0.quantized, bias: $0.bias)
        }
    }
    kernel("softmax [8,12,128,128] dim -1", setup: { random([8, 12, 128, 128]) }) { try $0.softmax(dim: -1) }
    // in torch's summation order (CascadeSum), as a training step's gradients reduce: a bias's over the rows, a
    // softmax's and a layer norm's over each row
    kernel("sum [1024,768] dim 0", setup: { random([1024, 768]) }) { try $0.sum(dim: 0) }
    kernel("sum [8,12,128,128] dim -1", setup: { random([8, 12, 128, 128]) }) { try $0.sum(dim: -1) }
    kernel("layerNorm [8,128,768]", setup: { (random([8, 128, 768]), random([768]), random([768])) }) {
        try $0.0.layerNorm(weight: $0.1, bias: $0.2, eps: 1e-12)
    }
    kernel("scaledDotProductAttention [8,12,128,64]", setup: { (random([8, 12, 128, 64]), allOnes([8, 128])) }) {
        try Tensor.scaledDotProductAttention(query: $0.0, key: $0.0, value: $0.0, keyMask: $0.1, scale: 0.125)
    }
    for quantized in [false, true] {
        kernel("DistilBERT 1 layer forward 8x128 \(quantized ? "int8" : "fp32")", setup: { try OneLayerModel(quantized: quantized) }) {
            try $0.model($0.inputs)
        }
    }
    for parallel in [false, true] {
        kernel("tokenizer encode 1000 sentences (MiniLM) \(parallel ? "parallel" : "serial")", setup: { try TokenizerInputs() }) {
            try $0.tokenizer.encode($0.texts, options: $0.options, parallel: parallel)
        }
    }
}

/// Registers a benchmark whose iteration is `run` on what `setup` made once; grad recording is off, as under
/// `torch.no_grad()`.
func kernel<Input>(_ name: String, setup: @escaping () throws -> Input, run: @escaping (Input) throws -> Any) {
    Benchmark(name) { benchmark, input in
        GradMode.isEnabled = false
        for _ in benchmark.scaledIterations { blackHole(try run(input)) }
    } setup: {
        try setup()
    }
}

/// What counts as a regression when a run is checked against a baseline (`make bench-kernels-check`): more than
/// `timePercent` slower or less throughput, or more than 1% more mallocs (one more allocation in a kernel's 30 or so,
/// one more per text in the tokenizer's). Each metric is compared at its best iteration (p0: the fastest, the fewest
/// mallocs), which other work on the machine disturbs least; timings still compare only between runs under similar
/// load, while malloc counts do not depend on it.
enum Tolerance {
    /// The best iteration drifts by a few percent between runs on a quiet machine; a kernel regression is larger.
    static let timePercent = 15.0
    static var thresholds: [BenchmarkMetric: BenchmarkThresholds] {
        [
            .wallClock: BenchmarkThresholds(relative: [.p0: timePercent]),
            .throughput: BenchmarkThresholds(relative: [.p0: timePercent]),
            .mallocCountTotal: BenchmarkThresholds(relative: [.p0: 1]),
        ]
    }
}

/// A float32 tensor of `shape` with values uniform in [-1, 1).
func random(_ shape: [Int]) -> Tensor {
    Tensor(floats: RandomGenerator.uniform(shape.reduce(1, *), from: -1, to: 1), shape: shape)
}

/// An int64 tensor of ones: an attention mask that keeps every token.
func allOnes(_ shape: [Int]) -> Tensor {
    Tensor(ints: Array(repeating: 1, count: shape.reduce(1, *)), shape: shape)
}

/// A linear layer's input `[rows, inputs]`, its weight `[outputs, inputs]` packed for the fp32 kernel and
/// quantized for the int8 one, and its bias.
struct LinearInputs {
    let x: Tensor, weight: Tensor, bias: Tensor, quantized: QuantizedWeight

    init(rows: Int, inputs: Int, outputs: Int) throws {
        x = random([rows, inputs])
        weight = random([outputs, inputs])
        bias = random([outputs])
        quantized = QuantizedWeight(weight)
        _ = try x.linear(weight: weight, bias: bias)  // packs the weight, as a layer's first call does
    }
}

/// A DistilBERT of full width with one layer and fresh weights (`DistilBertModel(DistilBertConfig(n_layers=1))`),
/// in float32 or dynamically quantized, and a batch of 8 x 128 token ids.
struct OneLayerModel {
    let model: LoadedModel, inputs: ModelInputs

    init(quantized: Bool) throws {
        let config = try ModelConfig(json: ["model_type": "distilbert", "n_layers": 1], path: "DistilBertConfig(n_layers=1)")
        let model = try AutoModel.initialize("DistilBertModel", config: config)
        self.model = quantized ? try model.dynamicallyQuantized() : model
        let ids: [Int64] = (0..<(8 * 128)).map { Int64(1_000 + 7 * $0) }  // distinct word pieces
        inputs = ModelInputs(inputIDs: Tensor(ints: ids, shape: [8, 128]), attentionMask: allOnes([8, 128]))
    }
}

/// The MiniLM checkpoint's tokenizer (`make fixtures` fetches it; `SBPL_MINILM_DIR` says where), 1,000 sentences of
/// 5 to 29 words, English with accents, CJK and emoji mixed in, and `padding=True, truncation=True`.
struct TokenizerInputs {
    static let words = ("the a of to and in is it you that he was for on are with as his they be at one have this "
        + "from or had by word but what some we can out other were all there when up use your how said an each "
        + "Transformers tokenizer HuggingFace pipeline attention embedding softmax logits café naïve unbelievable "
        + "42 3.5 don't I've it's, hello! really? yes. Zürich déjà 北京 日本語のテキスト 안녕하세요 Привет 🤗").split(separator: " ")
    let tokenizer: PreTrainedTokenizer, texts: [String], options: EncodingOptions

    init() throws {
        let directory = ProcessInfo.processInfo.environment["SBPL_MINILM_DIR"] ?? UserHome.expand("~/.cache/sbpl/all-MiniLM-L6-v2")
        guard FileManager.default.fileExists(atPath: directory + "/tokenizer.json") else {
            throw MissingFixture(message: "no MiniLM tokenizer in \(directory): `make fixtures` fetches it")
        }
        tokenizer = try PreTrainedTokenizer.load(Checkpoint.locate(directory, fetching: .offline))
        let words = Self.words
        texts = (0..<1_000).map { i in
            (0..<(5 + i % 25)).map { j in words[(i * 7 + j * 13 + i * j) % words.count] }.joined(separator: " ")
        }
        var options = EncodingOptions()
        options.padding = .longest
        options.truncation = .longestFirst
        self.options = options
    }
}

/// A file a benchmark reads is not there.
struct MissingFixture: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
