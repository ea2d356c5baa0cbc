import PythonText
import TensorCore
import TestSupport
import XCTest

/// Every tensor in Fixtures/print.jsonl must print exactly as PyTorch printed it.
final class TensorPrinterTests: XCTestCase {
    func testPrintsExactlyAsPyTorch() throws {
        let cases = try Fixtures.jsonLines(Fixtures.url("Fixtures/print.jsonl"))
        XCTAssertGreaterThan(cases.count, 30)
        for row in cases {
            let tensor = Fixtures.tensor(row)
            XCTAssertEqual(tensor.description, row["repr"] as? String, "case \(row["name"]!)")
        }
    }

    func testTorchSizePrintsLikeTorch() {
        XCTAssertEqual(TensorShape([2, 16, 768]).description, "torch.Size([2, 16, 768])")
        XCTAssertEqual(TensorShape([]).description, "torch.Size([])")
    }

    func testPythonFloatRepr() {
        let cases: [(Double, String)] = [
            (Double(Float(0.9598047137260437)), "0.9598047137260437"), (1e-05, "1e-05"), (1e16, "1e+16"),
            (123456789012345.0, "123456789012345.0"), (0.0001, "0.0001"), (100.0, "100.0"), (-2.5, "-2.5"),
            (1.5e-07, "1.5e-07"), (0.1, "0.1"), (.nan, "nan"), (-.infinity, "-inf"), (-0.0, "-0.0"),
            (1.7976931348623157e308, "1.7976931348623157e+308"), (Double.leastNonzeroMagnitude, "5e-324"), (12.0, "12.0"),
        ]
        for (value, expected) in cases { XCTAssertEqual(pythonRepr(value), expected) }
    }
}

/// int64 arrays as numpy 2.4 prints them (Fixtures/numpy.jsonl, from tensor_goldens.py): `repr` and `str`.
final class NumpyPrinterTests: XCTestCase {
    func testPrintsExactlyAsNumpy() throws {
        for row in try Fixtures.jsonLines(Fixtures.url("Fixtures/numpy.jsonl")) {
            let name = row["name"] as! String
            let array = Tensor(ints: (row["values"] as! [Int]).map(Int64.init), shape: row["shape"] as! [Int])
            XCTAssertEqual(NumpyPrinter.repr(array), row["repr"] as? String, name)
            XCTAssertEqual(NumpyPrinter.str(array), row["str"] as? String, name)
        }
    }
}
