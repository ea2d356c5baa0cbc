import Foundation
import Hub
import Models
import Safetensors
import TestSupport
import Testing

/// `save_pretrained` of models with tied weights writes each shared tensor once, and Marian's leaves out its computed
/// sinusoid tables, as transformers does: the names it leaves out of model.safetensors are transformers'
/// (Fixtures/saved_keys.json, scripts/fixtures/saved_keys_goldens.py), and the folder loads back to the same state dict.
struct SavedWeightsTests {
    static let rows: [String: [SavedKeysRow]] = (try? JSONDecoder().decode([String: [SavedKeysRow]].self,
                                                                           from: Data(contentsOf: Fixtures.url("Fixtures/saved_keys.json")))) ?? [:]

    /// A row's `[task, [names]]` pair.
    enum SavedKeysRow: Decodable {
        case task(String), names([String])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let task = try? container.decode(String.self) { self = .task(task) } else { self = .names(try container.decode([String].self)) }
        }
    }

    @Test func fixtureHasEveryRow() { #expect(Self.rows.count == 7) }

    @Test(arguments: Self.rows.keys.sorted())
    func tiedWeightsAreSavedOnce(_ name: String) throws {
        let row = try #require(Self.rows[name])
        guard case .task(let taskName)? = row.first, case .names(let expected)? = row.last else { Issue.record("bad row \(name)"); return }
        let task = try #require(ModelTask.allCases.first { "\($0)" == taskName })
        let model = try AutoModel.load(Checkpoint.locate(Fixtures.url("Fixtures/tasks/\(name)").path), task: task)
        let directory = try Fixtures.temporaryDirectory().appendingPathComponent("saved")
        let files = try model.save(to: directory)
        let saved = Set(try SafetensorsFile(path: files[1].path).names)
        #expect(model.moduleTree.stateDict.map(\.name).filter { !saved.contains($0) }.sorted() == expected)
        let reloaded = try AutoModel.load(Checkpoint.locate(directory.path), task: task)
        for (a, b) in zip(model.moduleTree.stateDict, reloaded.moduleTree.stateDict) {
            #expect(a.name == b.name && a.tensor.floats() == b.tensor.floats(), "\(a.name) changed in the round trip")
        }
    }
}
