import Foundation
import TestSupport
import Testing

/// One program of Fixtures/tasks: a pipeline-tour task (issue 17) as a learner runs it, on the tiny checkpoints of
/// Tests/ModelsTests/Fixtures/tasks, and what python + transformers 4.46.3 printed for it (task_goldens.py).
struct TaskProgramRow: Sendable, CustomTestStringConvertible {
    let name: String

    static let directory = Fixtures.url("Fixtures/tasks")
    static let checkpoints = Fixtures.repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/tasks")

    var testDescription: String { name }
    var source: String { get throws { try String(contentsOf: Self.directory.appendingPathComponent(name + ".sbpl"), encoding: .utf8) } }
    var expected: String { get throws { try String(contentsOf: Self.directory.appendingPathComponent(name + ".out"), encoding: .utf8) } }

    static func all() throws -> [TaskProgramRow] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sbpl") }.sorted()
            .map { TaskProgramRow(name: String($0.dropLast(".sbpl".count))) }
    }
}

/// Each task program prints what transformers printed: text exactly, numbers within print tolerance.
@Suite struct TaskProgramTests {
    @Test func taskProgramsFixtureHasEveryProgram() throws {
        #expect(try TaskProgramRow.all().map(\.name) == ["fill_mask", "heads", "ner", "offsets", "question_answering", "zero_shot"])
    }

    @Test(arguments: try TaskProgramRow.all())
    func taskPrintsWhatTransformersPrints(_ program: TaskProgramRow) throws {
        let result = runProgram(try program.source, file: program.name + ".sbpl", arguments: [TaskProgramRow.checkpoints.path])
        #expect(result.status == 0, "\(result.stderr)")
        let difference = PrintedText.difference(result.stdout, try program.expected, tolerance: .pipelines)
        #expect(difference == nil, "\(difference ?? "")")
    }
}
