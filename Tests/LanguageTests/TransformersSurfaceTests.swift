import Foundation
import Language
import TestSupport
import Testing

/// Calls a learner makes right after the chapter, with what transformers 4.46.3 prints for them (values taken from
/// it on the same checkpoints).
@Suite struct TransformersSurfaceTests {
    @Test func tokenizerEncodingAndPipelineAnswerAsTransformers() throws {
        let miniLM = try Fixtures.miniLM().path
        let source = """
            from transformers import AutoTokenizer, pipeline
            tok = AutoTokenizer.from_pretrained('\(miniLM)')
            print(repr(tok.decode(101)), repr(tok.decode([101, 7592, 102])))
            enc = tok("hello", return_tensors="pt")
            print(type(enc.to("cpu")).__name__, enc.to("cpu") is enc)
            """
        let result = runProgram(source, file: "t.sbpl")
        #expect(result.stderr == "")
        #expect(result.stdout == "'[CLS]' '[CLS] hello [SEP]'\nBatchEncoding True\n")
    }

    @Test func aPipelineKnowsItsTypeAndTheTaskAsGiven() throws {
        let miniLM = try Fixtures.miniLM().path
        let tiny = Fixtures.repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/tiny-distilbert-sst2").path
        let result = runProgram("""
            from transformers import pipeline
            c = pipeline("sentiment-analysis", model='\(tiny)', tokenizer='\(miniLM)')
            print(type(c), c.task)
            """, file: "t.sbpl")
        #expect(result.stdout == "<class 'transformers.pipelines.text_classification.TextClassificationPipeline'> sentiment-analysis\n")
    }
}
