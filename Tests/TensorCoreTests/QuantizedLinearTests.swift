import Foundation
@testable import TensorCore
import TestSupport
import Testing

/// The dynamically quantized linear layer against PyTorch's `quantize_dynamic` (quantized_linear.json, made by
/// scripts/fixtures/quantized_goldens.py): the same int8 weight and scale, and the same outputs.
@Suite struct QuantizedLinearTests {
    struct Row: Sendable {
        let weight: Tensor, bias: Tensor, input: Tensor, int8: [Int8], scale: Float, output: [Float]
    }

    static let rows: [Row] = {
        let url = Fixtures.url("Fixtures/quantized_linear.json")
        guard let data = try? Data(contentsOf: url), let json = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        func matrix(_ value: Any?) -> ([Float], [Int]) {
            let rows = (value as? [[Double]]) ?? []
            return (rows.flatMap { $0.map(Float.init) }, [rows.count, rows.first?.count ?? 0])
        }
        return json.map { row in
            let (w, ws) = matrix(row["weight"]), (x, xs) = matrix(row["input"]), (y, _) = matrix(row["output"])
            let bias = ((row["bias"] as? [Double]) ?? []).map(Float.init)
            return Row(weight: Tensor(floats: w, shape: ws), bias: Tensor(floats: bias, shape: [bias.count]),
                       input: Tensor(floats: x, shape: xs), int8: ((row["int8"] as? [[Int]]) ?? []).flatMap { $0.map { Int8($0) } },
                       scale: Float((row["scale"] as? Double) ?? 0), output: y)
        }
    }()

    @Test func theFixtureHasEveryLayer() { #expect(Self.rows.count == 4) }

    @Test(arguments: 0..<4)
    func weightsQuantizeAsPyTorchQuantizesThem(_ index: Int) throws {
        let row = try #require(Self.rows.dropFirst(index).first)
        let weight = QuantizedWeight(row.weight)
        #expect(weight.scale == row.scale)
        #expect(weight.values == row.int8)
    }

    @Test(arguments: 0..<4)
    func outputsMatchPyTorch(_ index: Int) throws {
        let row = try #require(Self.rows.dropFirst(index).first)
        guard QuantizedWeight.isAvailable else { return }
        let output = try row.input.quantizedLinear(QuantizedWeight(row.weight), bias: row.bias).floats()
        #expect(output.count == row.output.count)
        let worst = zip(output, row.output).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-5, "largest difference \(worst)")
    }

    /// A layer sbpl splits over the cores (its activations' range found in parts, its rows in parts), against
    /// PyTorch (quantized_linear_large.json: inputs and weights from integer formulas computed exactly both sides,
    /// the smallest input in the middle and the largest last; every 8th output row and the last).
    @Test func aLayerSplitOverTheCoresMatchesPyTorch() throws {
        guard QuantizedWeight.isAvailable else { return }
        let data = try Data(contentsOf: Fixtures.url("Fixtures/quantized_linear_large.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let (n, k, m) = try (#require(json["n"] as? Int), #require(json["k"] as? Int), #require(json["m"] as? Int))
        let sampled = try #require(json["rows"] as? [Int]), expected = try #require(json["output"] as? [[Double]])
        #expect(sampled.count == 66 && expected.count == sampled.count)
        let weight = (0..<(n * k)).map { Float(($0 / k * 31 + $0 % k * 17) % 255 - 127) / 512 }
        let bias = (0..<n).map { Float($0 % 7 - 3) / 8 }
        var x = (0..<(m * k)).map { Float($0 * 7919 % 2001 - 1000) / 256 }
        (x[(m / 2 + 1) * k + 5], x[m * k - 1]) = (-9.5, 12.25)
        let output = try Tensor(floats: x, shape: [m, k])
            .quantizedLinear(QuantizedWeight(Tensor(floats: weight, shape: [n, k])), bias: Tensor(floats: bias, shape: [n])).floats()
        let worst = zip(sampled, expected).flatMap { row, values in
            values.enumerated().map { abs(Double(output[row * n + $0.offset]) - $0.element) }
        }.max() ?? .infinity
        #expect(worst <= 1e-5, "largest difference \(worst)")
    }

    /// Weights that are not finite quantize as torch quantizes them (its observer's max is NaN or infinite, and a
    /// NaN product is 127), never trapping: a NaN makes the scale NaN and every value 127, an infinity makes the
    /// scale infinite, finite values 0 and the infinity 127.
    @Test func weightsThatAreNotFiniteQuantizeAsTorch() {
        let nan = QuantizedWeight(Tensor(floats: [0.5, .nan, -1, 2], shape: [2, 2]))
        #expect(nan.scale.isNaN && nan.values == [127, 127, 127, 127])
        let infinite = QuantizedWeight(Tensor(floats: [.infinity, 0.5, -1, 2], shape: [2, 2]))
        #expect(infinite.scale == .infinity && infinite.values == [127, 0, 0, 0])
    }

    /// Activations whose first value is NaN have no range (fbgemm's FindMinMax starts from it): ATen's RuntimeError;
    /// a NaN further on is passed over, as fbgemm passes it over.
    @Test func activationsWithANaNAreTorchsErrorOrPassedOver() throws {
        guard QuantizedWeight.isAvailable else { return }
        let weight = QuantizedWeight(Tensor(floats: [1, 0, 0, 1], shape: [2, 2]))
        #expect(throws: TensorError.self) { try Tensor(floats: [.nan, 1, 2, 3], shape: [2, 2]).quantizedLinear(weight, bias: nil) }
        let output = try Tensor(floats: [1, .nan, 2, 3], shape: [2, 2]).quantizedLinear(weight, bias: nil).floats()
        // torch: [[0.988235354423523, 6.0], [2.0, 2.9882354736328125]] (the NaN's own output is whatever its int8 became)
        #expect(output.count == 4, "\(output)")
        #expect([output[0], output[2], output[3]] == [0.988235354423523, 2.0, 2.9882354736328125], "\(output)")
        // a NaN where the second core's part of the range starts: that part's other values still count
        var values = (0..<32_768).map { Float($0 % 200) / 100 - 1 }
        (values[16_384], values[16_385]) = (.nan, -100)
        let activations = try Tensor(floats: values, shape: [2, 16_384]).quantizedActivations()
        let expected = try ActivationQuantization(range: (min: -100, max: 0.99))
        #expect(activations.quantization.scale == expected.scale && activations.quantization.zeroPoint == expected.zeroPoint)
    }

    /// Activations quantized once for the layers that read one input (an attention's query, key and value; kept by the
    /// input's storage) give each layer the bits quantizing them anew gives (torch quantizes the input in each), also
    /// after the input is written in place (quantized again then); only the latest inputs' quantizations are kept, and
    /// a freed input's never stands for another's; a layer of no inputs gives its bias (torch's own leaves its output
    /// uninitialized).
    @Test func sharedActivationsGiveEachLayersBits() throws {
        guard QuantizedWeight.isAvailable else { return }
        let x = Tensor(floats: (0..<(130 * 24)).map { Float($0 * 7919 % 2001 - 1000) / 256 }, shape: [130, 24])
        for written in [false, true] {
            if written { try x.update(with: try x.combined(.mul, .float(-3))) }
            for n in [5, 16, 40] {
                let weight = QuantizedWeight(Tensor(floats: (0..<(n * 24)).map { Float($0 * 31 % 17) / 16 - 0.5 }, shape: [n, 24]))
                let bias = Tensor(floats: (0..<n).map { Float($0) / 4 }, shape: [n])
                #expect(try x.quantizedLinear(weight, bias: bias).floats() == x.copy().quantizedLinear(weight, bias: bias).floats())
            }
            #expect(try x.quantizedActivations() === x.quantizedActivations(), "one quantization for the layers")
        }
        // only the latest inputs' forms are kept, not one per window over a tensor (or per input autograd keeps)
        let window = { (start: Int) in try x.view(at: [.slice(start: start, stop: start + 10, step: nil)]) }
        let first = try window(0).quantizedActivations()
        for start in 1...ActivationForms.capacity { _ = try window(start).quantizedActivations() }
        #expect(try window(0).quantizedActivations() !== first)
        // a tensor freed and another made in its memory (the buffer cache hands it out again) is not taken for it
        let scales = try (1...3).map { scale in
            try Tensor(floats: (0..<(512 * 512)).map { Float($0 % 97) * Float(scale) }, shape: [512, 512]).quantizedActivations().quantization.scale
        }
        #expect(try scales == (1...3).map { try ActivationQuantization(range: (min: 0, max: 96 * Float($0))).scale })
        let none = QuantizedWeight(Tensor(floats: [], shape: [3, 0]))
        let output = try Tensor(floats: [], shape: [2, 0]).quantizedLinear(none, bias: Tensor(floats: [1, 2, 3], shape: [3])).floats()
        #expect(output == [1, 2, 3, 1, 2, 3])
    }
}
