import Foundation
import TestSupport
import Testing

/// The pipeline tour's tasks (issue 17) as a learner runs them: the programs of Fixtures/tasks, run on the tiny
/// checkpoints of Tests/ModelsTests/Fixtures/tasks (their folder is `sys.argv[1]`), against what python +
/// transformers 4.46.3 printed for them (task_goldens.py).
@Suite struct TaskProgramTests {
    static let directory = Fixtures.url("Fixtures/tasks")
    static let checkpoints = Fixtures.repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/tasks")

    @Test func taskProgramsFixtureHasEveryProgram() throws {
        #expect(try ProgramRow.all(in: Self.directory).map(\.name) == ["bart_outputs", "classification_options", "fill_mask", "gpt2_outputs", "heads", "hidden_states", "losses", "modules", "ner", "offsets", "quantized", "question_answering", "roberta", "summarization", "t5_outputs", "text_generation", "translation", "zero_shot"])
    }

    /// Text byte for byte, numbers within `NumberTolerance.pipelines`.
    @Test(arguments: try ProgramRow.all(in: directory))
    func taskPrintsWhatTransformersPrints(_ program: ProgramRow) throws {
        let result = runProgram(try program.source, file: program.name + ".sbpl", arguments: [Self.checkpoints.path])
        #expect(result.status == 0, "\(result.stderr)")
        let difference = PrintedText.difference(result.stdout, try program.expected, tolerance: .pipelines)
        #expect(difference == nil, "\(difference ?? "")")
    }
}
