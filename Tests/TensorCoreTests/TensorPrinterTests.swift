import PythonText
import TensorCore
import TestSupport
import Testing

/// One row of Fixtures/print.jsonl: a tensor and how PyTorch printed it.
struct PrintRow: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let repr: String
    let tensor: TensorFixture

    private enum CodingKeys: String, CodingKey { case name, repr }

    /// The name and repr, and the tensor from the same object's dtype, shape and values.
    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        name = try fields.decode(String.self, forKey: .name)
        repr = try fields.decode(String.self, forKey: .repr)
        tensor = try TensorFixture(from: decoder)
    }

    var testDescription: String { name }

    static func all() throws -> [PrintRow] { try Fixtures.rows(PrintRow.self, in: Fixtures.url("Fixtures/print.jsonl")) }
}

/// Every tensor in Fixtures/print.jsonl must print exactly as PyTorch printed it.
@Suite struct TensorPrinterTests {
    @Test func printFixtureHasEveryRow() throws {
        #expect(try PrintRow.all().count == 36)
    }

    @Test(arguments: try PrintRow.all())
    func printsExactlyAsPyTorch(_ row: PrintRow) {
        #expect(row.tensor.tensor.description == row.repr)
    }

    @Test func torchSizePrintsLikeTorch() {
        #expect(TensorShape([2, 16, 768]).description == "torch.Size([2, 16, 768])")
        #expect(TensorShape([]).description == "torch.Size([])")
    }

    @Test(arguments: [
        (Double(Float(0.9598047137260437)), "0.9598047137260437"), (1e-05, "1e-05"), (1e16, "1e+16"),
        (123456789012345.0, "123456789012345.0"), (0.0001, "0.0001"), (100.0, "100.0"), (-2.5, "-2.5"),
        (1.5e-07, "1.5e-07"), (0.1, "0.1"), (.nan, "nan"), (-.infinity, "-inf"), (-0.0, "-0.0"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (Double.leastNonzeroMagnitude, "5e-324"), (12.0, "12.0"),
    ])
    func pythonFloatRepr(_ value: Double, _ expected: String) {
        #expect(pythonRepr(value) == expected)
    }
}

/// One row of Fixtures/numpy.jsonl (from tensor_goldens.py): an int64, float32 or bool array as numpy 2.4 shows it.
struct NumpyRow: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let repr: String
    let str: String
    let array: TensorFixture

    private enum CodingKeys: String, CodingKey { case name, repr, str }

    /// The name and texts, and the array from the same object's dtype, shape and values.
    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        name = try fields.decode(String.self, forKey: .name)
        repr = try fields.decode(String.self, forKey: .repr)
        str = try fields.decode(String.self, forKey: .str)
        array = try TensorFixture(from: decoder)
    }

    var testDescription: String { name }

    static func all() throws -> [NumpyRow] { try Fixtures.rows(NumpyRow.self, in: Fixtures.url("Fixtures/numpy.jsonl")) }
}

/// Arrays as numpy prints them: `repr` and `str`.
@Suite struct NumpyPrinterTests {
    @Test func numpyFixtureHasEveryRow() throws {
        #expect(try NumpyRow.all().count == 43)
    }

    @Test(arguments: try NumpyRow.all())
    func printsExactlyAsNumpy(_ row: NumpyRow) {
        let array = row.array.tensor
        #expect(NumpyPrinter.repr(array) == row.repr)
        #expect(NumpyPrinter.str(array) == row.str)
    }
}
