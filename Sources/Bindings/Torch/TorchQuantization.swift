import Language
import Models

/// `torch.ao.quantization` and its older name `torch.quantization`: `quantize_dynamic`, and the names it is called
/// with (`torch.qint8`, `torch.per_tensor_affine`).
extension TorchModule {
    /// `torch.qint8`, the one dtype `quantize_dynamic` makes in sbpl.
    static var qint8: Value { .object(TorchConstant("torch.qint8", type: "dtype")) }
    /// `torch.per_tensor_affine`, the scheme of its weights.
    static var perTensorAffine: Value { .object(TorchConstant("torch.per_tensor_affine", type: "qscheme")) }

    /// `torch.ao`, for its `quantization`.
    static func makeAO() -> PythonModule {
        PythonModule("torch.ao", ["quantization": .object(makeQuantization("torch.ao.quantization"))])
    }

    static func makeQuantization(_ name: String) -> PythonModule {
        PythonModule(name, ["quantize_dynamic": builtin("quantize_dynamic", quantizeDynamic)])
    }

    /// `quantize_dynamic(model, qconfig_spec={nn.Linear}, dtype=torch.qint8, inplace=False)`: a copy of a
    /// transformers model whose `nn.Linear` layers are `DynamicQuantizedLinear`.
    private static func quantizeDynamic(_ args: Arguments) throws -> Value {
        let a = try args.bind("quantize_dynamic", ["model", "qconfig_spec", "dtype", "mapping", "inplace"], required: 1)
        guard case .object(let model as ModelObject) = a[0]! else {
            throw PyError.notImplemented("quantize_dynamic of a \(a[0]!.typeName) (sbpl quantizes the linear layers of transformers models)")
        }
        if let spec = a[1].given {
            let types = try Iteration.materialize(spec)
            guard types.allSatisfy({ $0.repr == "<class 'torch.nn.modules.linear.Linear'>" }) else {
                throw PyError.notImplemented("quantize_dynamic of other layers than torch.nn.Linear (sbpl quantizes linear layers only)")
            }
            if types.isEmpty { return a[0]! }
        }
        if let dtype = a[2].given, dtype.repr != "torch.qint8" {
            throw PyError.notImplemented("quantize_dynamic to \(dtype.repr) (sbpl quantizes to torch.qint8)")
        }
        if try a[4]?.isTruthy() == true { throw PyError.notImplemented("quantize_dynamic(inplace=True) (sbpl returns a quantized copy)") }
        return .object(ModelObject(try model.model.dynamicallyQuantized()))
    }
}

/// A named torch constant that is not a tensor dtype sbpl computes in: `torch.qint8`, `torch.per_tensor_affine`.
final class TorchConstant: PyObject {
    let repr: String
    let typeName: String

    init(_ repr: String, type: String) {
        self.repr = repr
        typeName = type
    }

    var qualifiedTypeName: String? { "torch.\(typeName)" }
}
