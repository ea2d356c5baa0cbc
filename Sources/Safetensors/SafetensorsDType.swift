import TensorCore

/// The element types of the safetensors format, with how each loads into an sbpl tensor.
enum SafetensorsDType: String, CaseIterable {
    case F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL

    var size: Int {
        switch self {
        case .F64, .I64: return 8
        case .F32, .I32: return 4
        case .F16, .BF16, .I16: return 2
        case .I8, .U8, .BOOL: return 1
        }
    }

    /// The type that stores `dtype` as it is.
    init(storing dtype: DType) {
        switch dtype {
        case .float32: self = .F32
        case .float64: self = .F64
        case .float16: self = .F16
        case .bfloat16: self = .BF16
        case .int64: self = .I64
        case .int32: self = .I32
        case .bool: self = .BOOL
        }
    }

    /// The sbpl type that holds it as it is (`safetensors.torch.load_file`'s dtype): int16, int8 and uint8, which
    /// sbpl lacks, as int64.
    var tensorType: DType {
        switch self {
        case .F64: return .float64
        case .F32: return .float32
        case .F16: return .float16
        case .BF16: return .bfloat16
        case .I32: return .int32
        case .BOOL: return .bool
        case .I64, .I16, .I8, .U8: return .int64
        }
    }

    /// The sbpl type it loads as: floating types as float32, integer and bool types as int64.
    var loadedType: DType {
        switch self {
        case .F64, .F32, .F16, .BF16: return .float32
        default: return .int64
        }
    }

    /// Converts `count` elements at `source` into `destination`'s element type (float32 or int64).
    func convert(_ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutableRawPointer) {
        if loadedType == .float32 {
            let out = destination.assumingMemoryBound(to: Float.self)
            for i in 0..<count { out[i] = float(source, i) }
        } else {
            let out = destination.assumingMemoryBound(to: Int64.self)
            for i in 0..<count { out[i] = integer(source, i) }
        }
    }

    private func float(_ p: UnsafeRawPointer, _ i: Int) -> Float {
        switch self {
        case .F64: return Float(p.loadUnaligned(fromByteOffset: i * 8, as: Double.self))
        case .F32: return p.loadUnaligned(fromByteOffset: i * 4, as: Float.self)
        case .F16: return Float(Float16(bitPattern: p.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)))
        case .BF16: return Float(bitPattern: UInt32(p.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)) << 16)
        default: return 0
        }
    }

    private func integer(_ p: UnsafeRawPointer, _ i: Int) -> Int64 {
        switch self {
        case .I64: return p.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)
        case .I32: return Int64(p.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))
        case .I16: return Int64(p.loadUnaligned(fromByteOffset: i * 2, as: Int16.self))
        case .I8: return Int64(p.load(fromByteOffset: i, as: Int8.self))
        case .U8, .BOOL: return Int64(p.load(fromByteOffset: i, as: UInt8.self))
        default: return 0
        }
    }
}
