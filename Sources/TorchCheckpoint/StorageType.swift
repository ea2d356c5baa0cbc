import Foundation
import TensorCore

/// The storage classes `torch.save` names (`torch.FloatStorage`, ...): each one's element size and the sbpl type
/// that holds its values (int16, int8 and uint8, which sbpl lacks, as int64).
enum StorageType: String, CaseIterable, Sendable {
    case FloatStorage, DoubleStorage, HalfStorage, BFloat16Storage, LongStorage, IntStorage, ShortStorage, CharStorage,
         ByteStorage, BoolStorage

    /// The storage class torch saves a tensor of `dtype` in.
    init(storing dtype: DType) {
        switch dtype {
        case .float32: self = .FloatStorage
        case .float64: self = .DoubleStorage
        case .float16: self = .HalfStorage
        case .bfloat16: self = .BFloat16Storage
        case .int64: self = .LongStorage
        case .int32: self = .IntStorage
        case .bool: self = .BoolStorage
        }
    }

    var width: Int {
        switch self {
        case .DoubleStorage, .LongStorage: 8
        case .FloatStorage, .IntStorage: 4
        case .HalfStorage, .BFloat16Storage, .ShortStorage: 2
        case .CharStorage, .ByteStorage, .BoolStorage: 1
        }
    }

    var dtype: DType {
        switch self {
        case .FloatStorage: .float32
        case .DoubleStorage: .float64
        case .HalfStorage: .float16
        case .BFloat16Storage: .bfloat16
        case .IntStorage: .int32
        case .BoolStorage: .bool
        case .LongStorage, .ShortStorage, .CharStorage, .ByteStorage: .int64
        }
    }

    /// A tensor of `shape` whose element `i` (row-major) is element `index(i)` of the storage at `raw`.
    func tensor(_ raw: UnsafeRawBufferPointer, shape: [Int], index: (Int) -> Int) -> Tensor {
        let count = shape.reduce(1, *)
        func read<T>(_ element: (Int) -> T) -> [T] { (0..<count).map { element(index($0)) } }
        func load<T>(_ type: T.Type, _ i: Int) -> T { raw.loadUnaligned(fromByteOffset: i * width, as: T.self) }
        switch self {
        case .FloatStorage: return Tensor(floats: read { load(Float.self, $0) }, shape: shape)
        case .DoubleStorage: return Tensor(doubles: read { load(Double.self, $0) }, shape: shape)
        case .HalfStorage: return Tensor(floats: read { Float(Float16(bitPattern: load(UInt16.self, $0))) }, shape: shape).to(.float16)
        case .BFloat16Storage: return Tensor(floats: read { Float(bitPattern: UInt32(load(UInt16.self, $0)) << 16) }, shape: shape).to(.bfloat16)
        case .LongStorage: return Tensor(ints: read { load(Int64.self, $0) }, shape: shape)
        case .IntStorage: return Tensor(ints: read { Int64(load(Int32.self, $0)) }, shape: shape, dtype: .int32)
        case .ShortStorage: return Tensor(ints: read { Int64(load(Int16.self, $0)) }, shape: shape)
        case .CharStorage: return Tensor(ints: read { Int64(load(Int8.self, $0)) }, shape: shape)
        case .ByteStorage: return Tensor(ints: read { Int64(load(UInt8.self, $0)) }, shape: shape)
        case .BoolStorage: return Tensor(bools: read { load(UInt8.self, $0) != 0 }, shape: shape)
        }
    }
}
