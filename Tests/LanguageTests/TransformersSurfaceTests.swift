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

    /// sbpl has no half-precision kernels: asking for them keeps float32 and says so once, never silently; the
    /// dtypes torch refuses for modules are refused with its TypeError.
    @Test func halfPrecisionModelsStayFloat32AndSaySo() throws {
        let tiny = Fixtures.repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/tasks/tiny-distilbert-nli").path
        let result = runProgram("""
            import torch
            from transformers import AutoModelForSequenceClassification
            model = AutoModelForSequenceClassification.from_pretrained('\(tiny)', torch_dtype=torch.bfloat16)
            print(model.to(torch.bfloat16) is model, model.half() is model, model.to("cpu", torch.float16) is model)
            print(model.dtype, model.float() is model)
            model.to(torch.int64)
            """, file: "t.sbpl")
        #expect(result.stdout == "True True True\ntorch.float32 True\n")
        #expect(result.stderr == """
            sbpl has no bfloat16 kernels yet: the model stays in float32 (its outputs are float32 tensors, at least as exact as torch.bfloat16's)
            sbpl has no float16 kernels yet: the model stays in float32 (its outputs are float32 tensors, at least as exact as torch.float16's)
            t.sbpl:6:6: TypeError: nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=torch.int64
                model.to(torch.int64)
                     ^

            """)
    }

    @Test func aScriptWithItsOwnTokenizerGetsNoShortFormForAMisspeltName() throws {
        let tiny = Fixtures.repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/tasks/tiny-distilbert-nli").path
        let result = runProgram("""
            from transformers import AutoTokenizer, AutoModelForSequenceClassification
            tok = AutoTokenizer.from_pretrained('\(tiny)')
            net = AutoModelForSequenceClassification.from_pretrained('\(tiny)')
            for name in ["tokenizer", "model"]:
                try:
                    eval_me = tokenizer if name == "tokenizer" else model
                except NameError as e:
                    print(e)
            """, file: "t.sbpl")
        #expect(result.stdout == """
            name 'tokenizer' is not defined (this script's tokenizer is 'tok'; sbpl's short form `tokenizer` loads a default checkpoint only in the shell or in a script that has no tokenizer of its own)
            name 'model' is not defined (this script's model is 'net'; sbpl's short form `model` loads a default checkpoint only in the shell or in a script that has no model of its own)

            """, "\(result.stderr)")
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

    /// What sbpl says where it differs from transformers (which can call any module): the blocks only a forward pass
    /// runs; and transformers' warning when output_attentions leaves SDPA.
    @Test func submodulesAndLayerOutputsSayWhatSbplDoesNotDoYet() throws {
        let tasks = Fixtures.repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/tasks").path
        let result = runProgram("""
            import torch
            from transformers import AutoTokenizer, AutoModelForSequenceClassification
            model = AutoModelForSequenceClassification.from_pretrained('\(tasks)/tiny-distilbert-nli')
            for module in [model.distilbert.transformer.layer[0], model.distilbert.transformer, model.distilbert.embeddings]:
                try:
                    module(torch.ones(1, 2, 32))
                except NotImplementedError as e:
                    print(e)
            try:
                model.classifier(torch.ones(1, 32), torch.ones(1, 32))
            except TypeError as e:
                print(e)
            print("distilbert" in dir(model), "classifier" in dir(model), "weight" in dir(model.classifier))
            tokenizer = AutoTokenizer.from_pretrained('\(tasks)/tiny-distilbert-nli')
            outputs = model(**tokenizer("Hello", return_tensors="pt"), output_attentions=True)
            outputs = model(**tokenizer("Hello", return_tensors="pt"), output_attentions=True)
            """, file: "t.sbpl")
        #expect(result.stdout == """
            sbpl does not support calling TransformerBlock modules yet
            sbpl does not support calling Transformer modules yet
            sbpl does not support calling Embeddings modules yet
            Linear.forward() takes one tensor
            True True True

            """)
        // transformers' warning on falling back to eager attention, once
        let warning = "DistilBertSdpaAttention is used but `torch.nn.functional.scaled_dot_product_attention` does not support `output_attentions=True` or `head_mask`."
        #expect(result.stderr.components(separatedBy: warning).count == 2, "\(result.stderr)")
    }
}
