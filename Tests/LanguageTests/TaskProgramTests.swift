import Bindings
import Foundation
import Language
import Synchronization
import TestSupport
import Testing

/// The pipeline tour's tasks (issue 17) as a learner runs them: the programs of Fixtures/tasks, run on the tiny
/// checkpoints of Tests/ModelsTests/Fixtures/tasks (their folder is `sys.argv[1]`), against what python +
/// transformers 4.46.3 printed for them (task_goldens.py).
@Suite struct TaskProgramTests {
    static let directory = Fixtures.url("Fixtures/tasks")
    static let checkpoints = Fixtures.repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/tasks")

    @Test func taskProgramsFixtureHasEveryProgram() throws {
        #expect(try ProgramRow.all(in: Self.directory).map(\.name) == ["bart_outputs", "bpe_by_hand", "classification_options", "fill_mask", "gpt2_outputs", "heads", "hidden_states", "losses", "marian_outputs", "marian_translation", "modules", "ner", "normalization", "offsets", "quantized", "question_answering", "reduced_precision", "roberta", "summarization", "t5_outputs", "text_generation", "tokenizers_library", "train_new_tokenizer", "train_new_unigram", "translation", "unigram_by_hand", "wordpiece_by_hand", "zero_shot"])
    }

    /// Text byte for byte, numbers within `NumberTolerance.pipelines`.
    @Test(arguments: try ProgramRow.all(in: directory))
    func taskPrintsWhatTransformersPrints(_ program: ProgramRow) throws {
        let result = runProgram(try program.source, file: program.name + ".sbpl", arguments: [Self.checkpoints.path])
        #expect(result.status == 0, "\(result.stderr)")
        let difference = PrintedText.difference(result.stdout, try program.expected, tolerance: .pipelines)
        #expect(difference == nil, "\(difference ?? "")")
    }

    /// In the shell and the kernel a generation shows its new text as it comes, with no `TextStreamer`; Ctrl-C
    /// (requested here as the first words show) stops it, and the result keeps what was generated.
    @Test func liveGenerationStreamsAndCtrlCKeepsWhatWasGenerated() throws {
        let source = """
            from transformers import pipeline
            g = pipeline("text-generation", model=sys.argv[1] + "/tiny-gpt2")
            partial = g("In this course, we will teach you how to", max_new_tokens=40)[0]["generated_text"]
            """
        // a Ctrl-C of this interpreter's own, so that tests running beside it are not interrupted
        let streamed = Mutex(""), pressed = Atomic(false), requested = Atomic(false)
        let interpreter = Interpreter(write: { text in
            streamed.withLock { $0 += text }
            if !pressed.exchange(true, ordering: .relaxed) { requested.store(true, ordering: .relaxed) }
        })
        interpreter.checkInterrupt = { if requested.exchange(false, ordering: .relaxed) { throw PyError(.keyboardInterrupt, "") } }
        Bindings.install(into: interpreter)
        interpreter.arguments = ["live.sbpl", Self.checkpoints.path]
        interpreter.streamsGeneration = true
        #expect(ScriptRunner.onLargeStack { ScriptRunner.run("import sys\n" + source, file: "live.sbpl", in: interpreter) } == 0)
        let full = runProgram("import sys\n" + source + "\nprint(partial)", arguments: [Self.checkpoints.path])
        let partial = try #require(interpreter.globals.values["partial"]).str
        let complete = full.stdout.dropLast()
        #expect(partial.count < complete.count && complete.hasPrefix(partial), "\(partial) | \(complete)")
        let shown = streamed.withLock { $0 }
        #expect(shown.hasSuffix("\n") && partial.hasSuffix(shown.dropLast()), "\(shown)")
    }
}
