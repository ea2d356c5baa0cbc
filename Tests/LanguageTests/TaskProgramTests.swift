import Foundation
import TestSupport
import Testing

/// The pipeline tour's tasks (issue 17) as a learner runs them: the programs of Fixtures/tasks, run on the tiny
/// checkpoints of Tests/ModelsTests/Fixtures/tasks (their folder is `sys.argv[1]`), against what python +
/// transformers 4.46.3 printed for them (task_goldens.py).
@Suite struct TaskProgramTests {
    static let directory = Fixtures.url("Fixtures/tasks")
    static let checkpoints = Fixtures.repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/tasks")
    /// Programs whose goldens are made ahead of what sbpl lacks to run them: `marian_translation` (the course's
    /// opus-mt pipeline) waits for MarianTokenizer (`source.spm`, `target.spm`). Once it lands, move it to the list.
    static let waiting: Set = ["marian_translation"]

    static func programs() throws -> [ProgramRow] { try ProgramRow.all(in: directory).filter { !waiting.contains($0.name) } }

    @Test func taskProgramsFixtureHasEveryProgram() throws {
        #expect(try Self.programs().map(\.name) == ["bart_outputs", "classification_options", "fill_mask", "gpt2_outputs", "heads", "hidden_states", "losses", "marian_outputs", "modules", "ner", "offsets", "quantized", "question_answering", "roberta", "summarization", "t5_outputs", "text_generation", "translation", "zero_shot"])
    }

    /// A waiting program stops at what sbpl lacks, saying what it is.
    @Test func marianTranslationWaitsForMarianTokenizer() throws {
        let program = ProgramRow(directory: Self.directory, name: "marian_translation")
        let result = runProgram(try program.source, file: program.name + ".sbpl", arguments: [Self.checkpoints.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("ValueError: sbpl does not support SentencePiece .spm tokenizers (Marian) yet"), "\(result.stderr)")
    }

    /// Text byte for byte, numbers within `NumberTolerance.pipelines`.
    @Test(arguments: try programs())
    func taskPrintsWhatTransformersPrints(_ program: ProgramRow) throws {
        let result = runProgram(try program.source, file: program.name + ".sbpl", arguments: [Self.checkpoints.path])
        #expect(result.status == 0, "\(result.stderr)")
        let difference = PrintedText.difference(result.stdout, try program.expected, tolerance: .pipelines)
        #expect(difference == nil, "\(difference ?? "")")
    }
}
