import Foundation
import Hub
import Models
import TensorCore
import TestSupport
import Testing

/// One checkpoint of `torchbin.json` (scripts/fixtures/torch_bin_goldens.py): the hidden states transformers
/// computed from its `pytorch_model.bin`, or the error reading it must give.
struct TorchBinRow: Decodable, Sendable, CustomTestStringConvertible {
    var name: String
    var ids: [[Int]]?
    var hidden: [[[Float]]]?
    var error: String?

    var testDescription: String { name }

    static let all: [TorchBinRow] = (try? JSONDecoder().decode([TorchBinRow].self, from: Data(contentsOf: Fixtures.url("Fixtures/torchbin.json")))) ?? []
}

/// `pytorch_model.bin` read as data: float32, float16, bfloat16, shards, the legacy OrderedDict with shared storages,
/// the ZIP64 layout, and a pickle that would run code, refused.
struct TorchCheckpointTests {
    @Test func fixtureHasEveryRow() { #expect(TorchBinRow.all.count == 8) }

    @Test(arguments: TorchBinRow.all)
    func loadsAsTransformersDoes(row: TorchBinRow) throws {
        let folder = Fixtures.url("Fixtures/torchbin/\(row.name)")
        do {
            let model = try AutoModel.load(Checkpoint.locate(folder.path))
            let ids = try #require(row.ids), expected = try #require(row.hidden)
            let hidden = try #require(try model(ModelInputs(inputIDs: Tensor(ints: ids.flatMap { $0.map(Int64.init) }, shape: [ids.count, ids[0].count])))["last_hidden_state"])
            let values = hidden.floats(), width = hidden.shape[2], length = hidden.shape[1]
            for (b, rows) in expected.enumerated() {
                for (t, row) in rows.enumerated() {
                    for (i, value) in row.enumerated() {
                        #expect(abs(values[(b * length + t) * width + i] - value) < 1e-4, "\(b), \(t), \(i)")
                    }
                }
            }
        } catch {
            let message = try #require(row.error, "\(error)")
            #expect("\(error)".hasSuffix(message))
        }
    }

    /// A ZIP64 archive whose locator (the 20 bytes before the end record) is damaged says so.
    @Test func damagedZip64LocatorIsAnError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sbpl-zip64-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: Fixtures.url("Fixtures/torchbin/zip64"), to: folder)
        let file = folder.appendingPathComponent("pytorch_model.bin")
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count - 22 - 20] = 0
        try bytes.write(to: file)
        #expect { try AutoModel.load(Checkpoint.locate(folder.path)) } throws: {
            "\($0)".hasSuffix("pytorch_model.bin has a damaged ZIP64 end-of-directory record")
        }
    }
}
