import Foundation

extension Tensor {
    /// The elements in row-major order as the bytes of their own type, little-endian (float16 and bfloat16 two bytes
    /// each, bool one): what checkpoint files store (`torch.save`'s storages, safetensors).
    public func elementBytes() -> Data {
        let t = contiguous()
        switch t.dtype {
        case .float32: return t.floats().withUnsafeBytes { Data($0) }
        case .float64: return t.doubles().withUnsafeBytes { Data($0) }
        case .float16: return t.floats().map { Float16($0).bitPattern }.withUnsafeBytes { Data($0) }
        case .bfloat16: return t.floats().map { UInt16($0.bitPattern >> 16) }.withUnsafeBytes { Data($0) }
        case .int64: return t.int64s().withUnsafeBytes { Data($0) }
        case .int32: return t.int64s().map { Int32(truncatingIfNeeded: $0) }.withUnsafeBytes { Data($0) }
        case .bool: return Data(t.bools().map { $0 ? 1 : 0 })
        }
    }
}
