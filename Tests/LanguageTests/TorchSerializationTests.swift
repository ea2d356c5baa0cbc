import Foundation
import TestSupport
import Testing

/// `torch.save` and `torch.load`: files torch wrote read back as torch reads them, values sbpl saved loaded again,
/// a state dict moved between layers, and torch's errors.
@Suite struct TorchSerializationTests {
    /// Files torch saved, and programs.jsonl (scripts/fixtures/torch_save_goldens.py): what torch printed, saving in
    /// a folder written `{dir}` and loading the files from `{fixtures}`.
    static let fixtures = Fixtures.url("Fixtures/torch_save")

    @Test func everyProgramIsThere() throws {
        #expect(try GoldenProgram.all("Fixtures/torch_save/programs.jsonl").count == 6)
    }

    @Test(arguments: try GoldenProgram.all("Fixtures/torch_save/programs.jsonl"))
    func programPrintsWhatTorchPrints(_ row: GoldenProgram) throws {
        let directory = try Fixtures.temporaryDirectory().path
        func placed(_ text: String) -> String {
            text.replacingOccurrences(of: "{dir}", with: directory).replacingOccurrences(of: "{fixtures}", with: Self.fixtures.path)
        }
        let result = runProgram(placed(row.code), file: "save.sbpl")
        #expect(result.stdout == placed(row.stdout), "\(result.stderr)")
        if let error = row.error {
            #expect(result.status == 1 && result.stderr.contains(placed(error)), "\(result.stderr)")
        } else {
            #expect(result.status == 0, "\(result.stderr)")
        }
    }

    /// A file sbpl saves is a zip torch reads: stored entries under a folder named after the file, each storage's
    /// bytes on a 64-byte boundary, with their CRC-32.
    @Test func savedFilesAreTorchArchives() throws {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("weights.pt").path
        let result = runProgram("import torch\ntorch.save({'w': torch.ones(3)}, '\(path)')")
        #expect(result.status == 0, "\(result.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let name = "weights/data/0"
        let header = try #require(data.range(of: Data(name.utf8)))
        let extra = Int(data[header.lowerBound - 2]) | Int(data[header.lowerBound - 1]) << 8
        #expect((header.upperBound + extra) % 64 == 0, "the storage starts on a 64-byte boundary")
        #expect(data[(header.upperBound + extra)..<(header.upperBound + extra + 12)] == Data([0, 0, 128, 63, 0, 0, 128, 63, 0, 0, 128, 63]))
        let crc = data[(header.lowerBound - 16)..<(header.lowerBound - 12)]
        #expect(Array(crc) == [0x94, 0x4E, 0x7C, 0xDC], "zlib.crc32 of three float32 ones")
        for entry in ["weights/data.pkl", "weights/byteorder", "weights/version"] { #expect(data.range(of: Data(entry.utf8)) != nil) }
    }
}
