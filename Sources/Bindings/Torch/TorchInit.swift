import Foundation
import Language
import TensorCore

/// `torch.nn.init`: a parameter's values drawn or set in place, without recording, as torch's initializers do:
/// `uniform_`, `normal_`, `constant_`, `zeros_`, `ones_`, `xavier_uniform_` / `xavier_normal_`,
/// `kaiming_uniform_` / `kaiming_normal_` (their bounds from the tensor's fan in and out), and `calculate_gain`.
enum TorchInit {
    static func make() -> PythonModule {
        PythonModule("torch.nn.init", [
            "uniform_": initializer("uniform_", ["a", "b"]) { t, a in try t.fillUniform(from: try a[0]?.asDouble("a") ?? 0, to: try a[1]?.asDouble("b") ?? 1) },
            "normal_": initializer("normal_", ["mean", "std"]) { t, a in try t.fillNormal(mean: try a[0]?.asDouble("mean") ?? 0, std: try a[1]?.asDouble("std") ?? 1) },
            "constant_": initializer("constant_", ["val"], required: 1) { t, a in try t.fill(try a[0]!.asScalar("val")) },
            "zeros_": initializer("zeros_", []) { t, _ in try t.fill(.int(0)) },
            "ones_": initializer("ones_", []) { t, _ in try t.fill(.int(1)) },
            "xavier_uniform_": initializer("xavier_uniform_", ["gain"]) { t, a in
                let bound = 3.0.squareRoot() * (try a[0]?.asDouble("gain") ?? 1) * (2 / Double(try fans(t).sum)).squareRoot()
                try t.fillUniform(from: -bound, to: bound)
            },
            "xavier_normal_": initializer("xavier_normal_", ["gain"]) { t, a in
                try t.fillNormal(mean: 0, std: (try a[0]?.asDouble("gain") ?? 1) * (2 / Double(try fans(t).sum)).squareRoot())
            },
            "kaiming_uniform_": initializer("kaiming_uniform_", ["a", "mode", "nonlinearity"]) { t, a in
                let bound = 3.0.squareRoot() * (try kaimingStd(t, a))
                try t.fillUniform(from: -bound, to: bound)
            },
            "kaiming_normal_": initializer("kaiming_normal_", ["a", "mode", "nonlinearity"]) { t, a in try t.fillNormal(mean: 0, std: try kaimingStd(t, a)) },
            "calculate_gain": builtin("calculate_gain") { args in
                let a = try args.bind("calculate_gain", ["nonlinearity", "param"], required: 1)
                return .float(try gain(try a[0]!.asString("nonlinearity"), a[1].given))
            },
        ])
    }

    /// `init.NAME(tensor, parameters...)`: `fill` run on the tensor with recording off; the tensor is the result.
    private static func initializer(_ name: String, _ parameters: [String], required: Int = 0,
                                    _ fill: @escaping (Tensor, [Value?]) throws -> Void) -> Value {
        builtin(name) { args in
            let bound = try args.bind(name, ["tensor"] + parameters, required: 1 + required)
            let t = try bound[0]!.asTensor("tensor")
            try GradMode.withoutRecording { try fill(t, Array(bound.dropFirst())) }
            return .tensor(t)
        }
    }

    /// torch's `_calculate_fan_in_and_fan_out`: the inputs and outputs one element of a weight connects.
    private static func fans(_ t: Tensor) throws -> (fanIn: Int, fanOut: Int, sum: Int) {
        guard t.rank >= 2 else { throw PyError.value("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions") }
        let receptive = t.shape.dropFirst(2).reduce(1, *)
        let (fanIn, fanOut) = (t.shape[1] * receptive, t.shape[0] * receptive)
        return (fanIn, fanOut, fanIn + fanOut)
    }

    /// `kaiming_*`'s standard deviation: the gain of its nonlinearity over the square root of the fan `mode` names.
    private static func kaimingStd(_ t: Tensor, _ a: [Value?]) throws -> Double {
        let mode = try a[1]?.asString("mode") ?? "fan_in"
        guard ["fan_in", "fan_out"].contains(mode) else { throw PyError.value("Mode \(mode) not supported, please use one of ['fan_in', 'fan_out']") }
        if t.count == 0 { return 0 }
        let fans = try fans(t)
        return try gain(try a[2]?.asString("nonlinearity") ?? "leaky_relu", a[0] ?? .int(0)) / Double(mode == "fan_in" ? fans.fanIn : fans.fanOut).squareRoot()
    }

    /// torch's `calculate_gain(nonlinearity, param)`.
    private static func gain(_ nonlinearity: String, _ param: Value?) throws -> Double {
        switch nonlinearity {
        case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid": return 1
        case "tanh": return 5.0 / 3
        case "relu": return 2.0.squareRoot()
        case "selu": return 3.0 / 4
        case "leaky_relu":
            let slope = try param.map { try $0.asDouble("param") } ?? 0.01
            return (2 / (1 + slope * slope)).squareRoot()
        default: throw PyError.value("Unsupported nonlinearity \(nonlinearity)")
        }
    }
}
