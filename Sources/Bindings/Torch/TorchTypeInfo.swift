import Foundation
import Language
import TensorCore

/// `torch.finfo(dtype)` and `torch.iinfo(dtype)`: a floating or integer type's limits, as torch gives them
/// (`torch.finfo(torch.float32).min` is the most negative float32, the mask value models use).
final class TypeInfoObject: PyObject {
    let dtype: DType
    /// The attributes in the order torch's repr lists them, with their values.
    private let fields: [(name: String, value: Value)]

    private init(_ dtype: DType, _ fields: [(String, Value)]) { (self.dtype, self.fields) = (dtype, fields) }

    /// `torch.finfo(dtype=torch.float32)`.
    static func floating(_ dtype: DType) throws -> TypeInfoObject {
        guard dtype.isFloatingPoint else {
            throw PyError.type("torch.finfo() requires a floating point input type. Use torch.iinfo to handle 'torch.finfo'")
        }
        let (bits, eps, max, tiny): (Int, Double, Double, Double) = switch dtype {
        case .float64: (64, Double.ulpOfOne, Double.greatestFiniteMagnitude, Double.leastNormalMagnitude)
        case .float16: (16, Double(Float16.ulpOfOne), Double(Float16.greatestFiniteMagnitude), Double(Float16.leastNormalMagnitude))
        case .bfloat16: (16, 0.0078125, Double(Float(bitPattern: 0x7F7F_0000)), Double(Float.leastNormalMagnitude))
        default: (32, Double(Float.ulpOfOne), Double(Float.greatestFiniteMagnitude), Double(Float.leastNormalMagnitude))
        }
        let resolution = pow(10, -(-log10(eps)).rounded(.down))
        return TypeInfoObject(dtype, [("resolution", .float(resolution)), ("min", .float(-max)), ("max", .float(max)), ("eps", .float(eps)),
                                      ("smallest_normal", .float(tiny)), ("tiny", .float(tiny)), ("bits", .int(bits))])
    }

    /// `torch.iinfo(dtype)`.
    static func integer(_ dtype: DType) throws -> TypeInfoObject {
        guard dtype == .int64 || dtype == .int32 else {
            throw PyError.type("torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'")
        }
        let bits = dtype == .int64 ? 64 : 32
        return TypeInfoObject(dtype, [("min", .int(bits == 64 ? Int.min : Int(Int32.min))), ("max", .int(bits == 64 ? Int.max : Int(Int32.max))),
                                      ("bits", .int(bits))])
    }

    var typeName: String { dtype.isFloatingPoint ? "finfo" : "iinfo" }
    var qualifiedTypeName: String? { "torch.\(typeName)" }
    /// `finfo(resolution=1e-06, min=-3.40282e+38, ..., dtype=float32)`: numbers as `%g`, without `bits`.
    var repr: String {
        let shown = fields.filter { $0.name != "bits" }.map { name, value -> String in
            let number: Double = switch value {
            case .int(let i): Double(i)
            case .float(let x): x
            default: 0
            }
            return "\(name)=" + String(format: "%g", number)
        }
        return "\(typeName)(" + (shown + ["dtype=\(dtype.name)"]).joined(separator: ", ") + ")"
    }
    var attributeNames: [String] { fields.map(\.name) + ["dtype"] }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        name == "dtype" ? .str(dtype.name) : fields.first { $0.name == name }?.value
    }
}
