import Foundation
import Safetensors
import TensorCore
import TestSupport
import Testing

/// One tensor of Fixtures/dtypes.safetensors, with the values the reference writer stored (Fixtures/dtypes.json).
struct DTypeRow: Sendable, CustomTestStringConvertible {
    let name: String
    let expected: TensorFixture

    var testDescription: String { name }

    static let file = Fixtures.url("Fixtures/dtypes.safetensors")

    static func all() throws -> [DTypeRow] {
        try Fixtures.decode([String: TensorFixture].self, from: Fixtures.url("Fixtures/dtypes.json"))
            .sorted { $0.key < $1.key }.map { DTypeRow(name: $0.key, expected: $0.value) }
    }
}

@Suite struct SafetensorsReadingTests {
    @Test func dtypesFixtureHasEveryRow() throws {
        #expect(try DTypeRow.all().count == 10)
    }

    @Test func readsTheHeaderOfTheReferenceWriter() throws {
        let file = try SafetensorsFile(path: DTypeRow.file.path)
        #expect(file.metadata == ["format": "pt"])
        #expect(file.names == (try DTypeRow.all().map(\.name)))
    }

    @Test(arguments: try DTypeRow.all())
    func loadsEachDtypeTheReferenceWriterWrote(_ row: DTypeRow) throws {
        let tensor = try SafetensorsFile(path: DTypeRow.file.path).tensor(row.name)
        #expect(tensor.description == row.expected.tensor.description)
        #expect(tensor.doubles() == row.expected.tensor.doubles())
    }

    @Test func readsMiniLMWeightsInPlace() throws {
        let file = try SafetensorsFile(path: try Fixtures.miniLM().appendingPathComponent("model.safetensors").path)
        #expect(file.names.count == 104)
        let embeddings = try file.tensor("embeddings.word_embeddings.weight")
        #expect(embeddings.shape == [30522, 384])
        #expect(try embeddings.view(at: [.at(101), .slice(start: nil, stop: 4, step: nil)]).floats()
            == [-0.01761939749121666, -0.007600549608469009, 0.047105543315410614, -0.08691827207803726])
        #expect(try file.tensor("encoder.layer.5.output.LayerNorm.bias").view(at: [.slice(start: nil, stop: 3, step: nil)]).floats()
            == [-0.03630739822983742, 0.06616555154323578, 0.014946041628718376])
        #expect(try file.tensor("embeddings.position_ids").dtype == .int64)
    }

    @Test func writerRoundTrips() throws {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("t.safetensors").path
        let tensors = ["b": Tensor(floats: [1.5, -2, 3.25], shape: [3, 1]), "a": Tensor(ints: [1, 2], shape: [2])]
        try SafetensorsWriter.write(tensors, metadata: ["format": "pt"], to: path)
        let file = try SafetensorsFile(path: path)
        #expect(file.names == ["a", "b"])
        #expect(try file.tensor("b").description == "tensor([[ 1.5000],\n        [-2.0000],\n        [ 3.2500]])")
        #expect(try file.tensor("a").int64s() == [1, 2])
    }

    /// Writing over the file a tensor was loaded from leaves the loaded tensor as it was (a new file is renamed into
    /// place; rewriting the mapped file in place changed the tensor, or cut it short).
    @Test func writingOverALoadedFileLeavesItsTensorsAlone() throws {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("same.safetensors").path
        let values = (0..<4096).map { Float($0) }
        try SafetensorsWriter.write(["w": Tensor(floats: values, shape: [4096])], to: path)
        let loaded = try SafetensorsFile(path: path).tensor("w")
        try SafetensorsWriter.write(["v": Tensor(floats: [1, 2], shape: [2])], to: path)
        #expect(loaded.floats() == values)
        #expect(try SafetensorsFile(path: path).tensor("v").floats() == [1, 2])
    }

    /// A mapped weight a linear layer has packed leaves memory (its pages are read again from the file when the
    /// weight itself is read), so a checkpoint is not held twice; a weight written in place keeps its pages.
    @Test func aPackedWeightsMappedPagesAreReleased() throws {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("w.safetensors").path
        let values = (0..<(256 * 1024)).map { Float($0 % 1000) / 1000 }
        try SafetensorsWriter.write(["w": Tensor(floats: values, shape: [256, 1024])], to: path)
        let file = try SafetensorsFile(path: path)
        let weight = try file.tensor("w")
        let address = weight.withFloatPointer { Int(bitPattern: $0) }
        #expect(weight.floats() == values)  // every page read: resident
        let before = ResidentMemory.kibibytes(at: address)
        #expect(before >= 1_000, "\(before)")
        let x = Tensor(floats: [Float](repeating: 1, count: 1024), shape: [1, 1024])
        let y = try x.linear(weight: weight, bias: nil)
        #expect(ResidentMemory.kibibytes(at: address) <= 8, "only the pages the weight shares with the header stay")
        #expect(weight.floats() == values)
        #expect(y.floats()[0] == (0..<1024).reduce(Float(0)) { $0 + values[$1] })
    }
}

/// A malformed file: its header, the data after it, the length its first 8 bytes declare, and what the error
/// must mention.
struct MalformedFile: Sendable, CustomTestStringConvertible {
    let problem: String
    let header: String
    var data: [UInt8] = []
    var declaredLength: UInt64?
    let mentions: [String]

    var testDescription: String { problem }

    /// Writes the file into a fresh temporary directory and returns its path.
    func write() throws -> String {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("bad.safetensors").path
        var bytes = [UInt8]()
        withUnsafeBytes(of: (declaredLength ?? UInt64(header.utf8.count)).littleEndian) { bytes += $0 }
        bytes += Array(header.utf8) + data
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let entry = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
    static let all = [
        MalformedFile(problem: "header too large", header: "", declaredLength: 200_000_000, mentions: ["HeaderTooLarge"]),
        MalformedFile(problem: "header past the end", header: entry, declaredLength: 5000, mentions: ["InvalidHeaderLength"]),
        MalformedFile(problem: "header not an object", header: "[1, 2]", mentions: ["InvalidHeaderStart"]),
        MalformedFile(problem: "header not JSON", header: "{not json", mentions: ["InvalidHeaderDeserialization"]),
        MalformedFile(problem: "unknown dtype", header: #"{"w":{"dtype":"F8","shape":[2],"data_offsets":[0,2]}}"#, data: [0, 0],
                      mentions: ["'w'", "unsupported dtype F8"]),
        MalformedFile(problem: "shape and offsets disagree", header: #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#,
                      data: Array(repeating: 0, count: 8), mentions: ["'w'", "TensorInvalidInfo"]),
        MalformedFile(problem: "data shorter than the offsets", header: entry, data: Array(repeating: 0, count: 4),
                      mentions: ["'w'", "InvalidOffset"]),
        MalformedFile(problem: "data longer than the tensors", header: entry, data: Array(repeating: 0, count: 12),
                      mentions: ["MetadataIncompleteBuffer"]),
        MalformedFile(problem: "a gap before the first tensor", header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
                      data: Array(repeating: 0, count: 8), mentions: ["'a'", "InvalidOffset"]),
        MalformedFile(problem: "negative dimension", header: #"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#,
                      data: Array(repeating: 0, count: 4), mentions: ["'w'", "non-negative"]),
        MalformedFile(problem: "entry not an object", header: "{\"\u{FF}\":1}", mentions: ["'\u{FF}'"]),
        MalformedFile(problem: "negative offset", header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}}"#,
                      mentions: ["'w'", "non-negative"]),
        MalformedFile(problem: "missing dtype", header: #"{"w":{"shape":[2],"data_offsets":[0,8]}}"#,
                      data: Array(repeating: 0, count: 8), mentions: ["'w'", "missing dtype"]),
        MalformedFile(problem: "metadata not strings", header: #"{"__metadata__":{"format":1}}"#, mentions: ["__metadata__"]),
        MalformedFile(problem: "size overflows", header: #"{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}"#,
                      data: Array(repeating: 0, count: 8), mentions: ["'w'", "TensorInvalidInfo"]),
    ]
}

/// Each malformed file is refused with an error naming the file, the tensor where there is one, and the problem.
@Suite struct SafetensorsValidationTests {
    private func expectRefused(_ path: String, mentions parts: [String]) {
        #expect {
            try SafetensorsFile(path: path)
        } throws: { error in
            let message = "\(error)"
            return message.hasPrefix(path) && parts.allSatisfy { message.contains($0) }
        }
    }

    @Test(arguments: MalformedFile.all)
    func refusesMalformedFile(_ file: MalformedFile) throws {
        expectRefused(try file.write(), mentions: file.mentions)
    }

    @Test func refusesAMissingFile() {
        expectRefused("/nonexistent/model.safetensors", mentions: ["cannot open"])
    }

    @Test func refusesANonUTF8Header() throws {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("bad.safetensors").path
        try Data([2, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFE]).write(to: URL(fileURLWithPath: path))
        expectRefused(path, mentions: ["UTF-8"])
    }
}
