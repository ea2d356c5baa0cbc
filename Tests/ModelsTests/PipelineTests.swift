import Foundation
import Hub
import Models
import Pipelines
import PythonText
import TensorCore
import TestSupport
import Tokenizers
import XCTest

/// The text-classification pipeline against transformers' on the same checkpoint (MiniLM in DistilBERT's layout).
final class PipelineTests: XCTestCase {
    private static func classifier() throws -> TextClassificationPipeline {
        let dir = try Fixtures.temporaryDirectory()
        try MiniLMAsDistilBert.write(to: dir)
        let checkpoint = try Checkpoint.locate(dir.path)
        return TextClassificationPipeline(tokenizer: try BertTokenizer.load(checkpoint),
                                          model: try AutoModel.load(checkpoint, task: .sequenceClassification))
    }

    private func repr(_ r: ClassificationResult) -> String { "{'label': '\(r.label)', 'score': \(pythonRepr(r.score))}" }
    private func repr(_ rs: [ClassificationResult]) -> String { "[" + rs.map(repr).joined(separator: ", ") + "]" }

    func testScoresAndLabelsMatchTransformers() throws {
        let expected = ParityRow.expected["pipeline"] as! [String: Any]
        let sentences = (ParityRow.expected["minilm_as_distilbert"] as! [String: Any])["sentences"] as! [String]
        let classifier = try Self.classifier()
        assertPrintedClose(repr(try classifier([sentences[0]]).map { $0[0] }), expected["single"] as? String)
        assertPrintedClose(repr(try classifier(sentences).map { $0[0] }), expected["chapter"] as? String)
        assertPrintedClose(repr(try classifier([sentences[1]], topK: .all)[0]), expected["top_k_none"] as? String)
        assertPrintedClose("[" + (try classifier(sentences, topK: .count(1))).map(repr).joined(separator: ", ") + "]",
                       expected["top_k_1_list"] as? String)
        assertPrintedClose(repr(try classifier(expected["many"] as! [String], batchSize: 3).map { $0[0] }), expected["many_batched"] as? String)
    }

    func testTaskNames() {
        XCTAssertEqual(Pipeline.Task(name: "sentiment-analysis"), .textClassification)
        XCTAssertEqual(Pipeline.Task.textClassification.defaultCheckpoint, "distilbert/distilbert-base-uncased-finetuned-sst-2-english")
        XCTAssertNil(Pipeline.Task(name: "translation"))
    }
}
