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
        return TextClassificationPipeline(tokenizer: try PreTrainedTokenizer.load(checkpoint),
                                          model: try AutoModel.load(checkpoint, task: .sequenceClassification))
    }

    private func repr(_ r: ClassificationResult) -> String { "{'label': '\(r.label)', 'score': \(pythonRepr(r.score))}" }
    private func repr(_ rs: [ClassificationResult]) -> String { "[" + rs.map(repr).joined(separator: ", ") + "]" }

    func testScoresAndLabelsMatchTransformers() throws {
        let expected = ParityRow.expected["pipeline"] as! [String: Any]
        let sentences = (ParityRow.expected["minilm_as_distilbert"] as! [String: Any])["sentences"] as! [String]
        let classifier = try Self.classifier()
        typealias Options = TextClassificationPipeline.Options
        assertPrintedClose(repr(try classifier([sentences[0]], options: Options()).map { $0[0] }), expected["single"] as? String)
        assertPrintedClose(repr(try classifier(sentences, options: Options()).map { $0[0] }), expected["chapter"] as? String)
        assertPrintedClose(repr(try classifier([sentences[1]], options: Options(topK: .all))[0]), expected["top_k_none"] as? String)
        assertPrintedClose("[" + (try classifier(sentences, options: Options(topK: .count(1)))).map(repr).joined(separator: ", ") + "]",
                       expected["top_k_1_list"] as? String)
        assertPrintedClose(repr(try classifier(expected["many"] as! [String], options: Options(), batchSize: 3).map { $0[0] }),
                           expected["many_batched"] as? String)
        // the keyword arguments people pass: truncation (which sbpl's long-input error advises), function_to_apply
        assertPrintedClose(repr(try classifier([expected["long"] as! String], options: Options(truncation: true)).map { $0[0] }),
                           expected["long_truncated"] as? String)
        assertPrintedClose(repr(try classifier(sentences, options: Options(function: .identity)).map { $0[0] }), expected["function_none"] as? String)
        assertPrintedClose(repr(try classifier([sentences[0]], options: Options(topK: .all, function: .sigmoid))[0]),
                           expected["function_sigmoid"] as? String)
    }

    /// What transformers 4.46 pins for each task it defaults (`SUPPORTED_TASKS`), and the names it knows.
    func testTaskDescriptors() {
        let info = TextClassificationPipeline.info
        XCTAssertTrue(info.answers(to: "sentiment-analysis"))
        XCTAssertEqual(info.defaultCheckpoint, "distilbert/distilbert-base-uncased-finetuned-sst-2-english")
        XCTAssertEqual(info.defaultRevision, "714eb0f")
        XCTAssertEqual(FeatureExtractionPipeline.info.defaultRevision, "6ea8117")
        XCTAssertEqual(TransformersTasks.names.count, 32)
        XCTAssertTrue(TransformersTasks.knows("translation_en_to_fr"))
        XCTAssertFalse(TransformersTasks.knows("sentiment"))
    }
}
