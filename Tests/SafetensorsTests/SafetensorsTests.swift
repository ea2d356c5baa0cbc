import Foundation
import Safetensors
import TensorCore
import TestSupport
import XCTest

final class SafetensorsReadingTests: XCTestCase {
    func testLoadsEveryDtypeTheReferenceWriterWrote() throws {
        let file = try SafetensorsFile(path: Fixtures.url("Fixtures/dtypes.safetensors").path)
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: Fixtures.url("Fixtures/dtypes.json"))) as! [String: [String: Any]]
        XCTAssertEqual(file.metadata, ["format": "pt"])
        XCTAssertEqual(Set(file.names), Set(expected.keys))
        for (name, object) in expected {
            let tensor = try file.tensor(name)
            XCTAssertEqual(tensor.description, Fixtures.tensor(object).description, name)
            XCTAssertEqual(tensor.doubles(), Fixtures.tensor(object).doubles(), name)
        }
    }

    func testReadsMiniLMWeightsInPlace() throws {
        let file = try SafetensorsFile(path: try Fixtures.miniLM().appendingPathComponent("model.safetensors").path)
        XCTAssertEqual(file.names.count, 104)
        let embeddings = try file.tensor("embeddings.word_embeddings.weight")
        XCTAssertEqual(embeddings.shape, [30522, 384])
        XCTAssertEqual(try embeddings.view(at: [.at(101), .slice(start: nil, stop: 4, step: nil)]).floats(),
                       [-0.01761939749121666, -0.007600549608469009, 0.047105543315410614, -0.08691827207803726])
        XCTAssertEqual(try file.tensor("encoder.layer.5.output.LayerNorm.bias").view(at: [.slice(start: nil, stop: 3, step: nil)]).floats(),
                       [-0.03630739822983742, 0.06616555154323578, 0.014946041628718376])
        XCTAssertEqual(try file.tensor("embeddings.position_ids").dtype, .int64)
    }

    func testWriterRoundTrips() throws {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("t.safetensors").path
        let tensors = ["b": Tensor(floats: [1.5, -2, 3.25], shape: [3, 1]), "a": Tensor(ints: [1, 2], shape: [2])]
        try SafetensorsWriter.write(tensors, metadata: ["format": "pt"], to: path)
        let file = try SafetensorsFile(path: path)
        XCTAssertEqual(file.names, ["a", "b"])
        XCTAssertEqual(try file.tensor("b").description, "tensor([[ 1.5000],\n        [-2.0000],\n        [ 3.2500]])")
        XCTAssertEqual(try file.tensor("a").int64s(), [1, 2])
    }
}

/// Each malformed file is refused with an error naming the file, the tensor where there is one, and the problem.
final class SafetensorsValidationTests: XCTestCase {
    private func file(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) throws -> String {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("bad.safetensors").path
        var bytes = [UInt8]()
        withUnsafeBytes(of: (declaredLength ?? UInt64(header.utf8.count)).littleEndian) { bytes += $0 }
        bytes += Array(header.utf8) + data
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func assertRefused(_ path: String, mentions parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SafetensorsFile(path: path), file: file, line: line) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix(path), message, file: file, line: line)
            for part in parts { XCTAssertTrue(message.contains(part), "\(message) lacks \(part)", file: file, line: line) }
        }
    }

    func testRefusesMalformedFiles() throws {
        let entry = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        assertRefused(try file(header: "", declaredLength: 200_000_000), mentions: ["HeaderTooLarge"])
        assertRefused(try file(header: entry, declaredLength: 5000), mentions: ["InvalidHeaderLength"])
        assertRefused(try file(header: "[1, 2]"), mentions: ["InvalidHeaderStart"])
        assertRefused(try file(header: "{not json"), mentions: ["InvalidHeaderDeserialization"])
        assertRefused(try file(header: #"{"w":{"dtype":"F8","shape":[2],"data_offsets":[0,2]}}"#, data: [0, 0]),
                      mentions: ["'w'", "unsupported dtype F8"])
        assertRefused(try file(header: #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)),
                      mentions: ["'w'", "TensorInvalidInfo"])
        assertRefused(try file(header: entry, data: Array(repeating: 0, count: 4)), mentions: ["'w'", "InvalidOffset"])
        assertRefused(try file(header: entry, data: Array(repeating: 0, count: 12)), mentions: ["MetadataIncompleteBuffer"])
        assertRefused(try file(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: Array(repeating: 0, count: 8)),
                      mentions: ["'a'", "InvalidOffset"])
        assertRefused(try file(header: #"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: Array(repeating: 0, count: 4)),
                      mentions: ["'w'", "non-negative"])
        assertRefused(try file(header: "{\"\u{FF}\":1}"), mentions: ["'\u{FF}'"])
        assertRefused("/nonexistent/model.safetensors", mentions: ["cannot open"])
    }

    func testRefusesANonUTF8Header() throws {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("bad.safetensors").path
        try Data([2, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFE]).write(to: URL(fileURLWithPath: path))
        assertRefused(path, mentions: ["UTF-8"])
    }
}
