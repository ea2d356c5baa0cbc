import Foundation
import TensorCore

/// Pickles a `SavedValue` as `torch.save` does (protocol 2): containers with their items, each tensor as a call of
/// `torch._utils._rebuild_tensor_v2` on a storage given by persistent id, whose bytes it collects in `storages`.
struct PickleWriter {
    private var bytes: [UInt8] = [0x80, 2]  // PROTO 2
    /// Each storage's key and bytes, in the order first written.
    private(set) var storages = [(key: String, bytes: Data)]()
    /// The storage key of each tensor already written, by where its elements lie (tied weights are one).
    private var keys = [ElementsKey: String]()

    private struct ElementsKey: Hashable {
        let data: Tensor.DataIdentity, dtype: DType, shape: [Int], strides: [Int]
    }

    /// The pickle, ended.
    func finished() -> Data { Data(bytes + [0x2E]) }  // STOP

    mutating func write(_ value: SavedValue) {
        switch value {
        case .none: bytes.append(0x4E)                                     // NONE
        case .bool(let b): bytes.append(b ? 0x88 : 0x89)                   // NEWTRUE, NEWFALSE
        case .int(let i): write(i)
        case .float(let x): bytes.append(0x47); append(x.bitPattern.bigEndian)  // BINFLOAT
        case .string(let s): write(s)
        case .tuple(let items):
            bytes.append(0x28)                                              // MARK
            items.forEach { write($0) }
            bytes.append(0x74)                                              // TUPLE
        case .list(let items):
            bytes += [0x5D, 0x28]                                           // EMPTY_LIST, MARK
            items.forEach { write($0) }
            bytes.append(0x65)                                              // APPENDS
        case .dict(let pairs, let ordered):
            if ordered { global("collections", "OrderedDict"); bytes += [0x29, 0x52] } else { bytes.append(0x7D) }  // EMPTY_TUPLE, REDUCE / EMPTY_DICT
            bytes.append(0x28)
            for (key, value) in pairs { write(key); write(value) }
            bytes.append(0x75)                                              // SETITEMS
        case .tensor(let tensor, let requiresGrad, let isParameter):
            guard isParameter else { return write(tensor, requiresGrad: requiresGrad) }
            global("torch._utils", "_rebuild_parameter")                    // _rebuild_parameter(tensor, requires_grad, OrderedDict())
            bytes.append(0x28)
            write(tensor, requiresGrad: false)
            write(.bool(requiresGrad))
            write(.dict([], ordered: true))
            bytes += [0x74, 0x52]
        }
    }

    /// `_rebuild_tensor_v2(storage, 0, size, stride, requires_grad, OrderedDict())`.
    private mutating func write(_ tensor: Tensor, requiresGrad: Bool) {
        let type = StorageType(storing: tensor.dtype)
        let elements = ElementsKey(data: tensor.dataIdentity, dtype: tensor.dtype, shape: tensor.shape, strides: tensor.strides)
        let key = keys[elements] ?? {
            let key = String(storages.count)
            storages.append((key, tensor.elementBytes()))
            keys[elements] = key
            return key
        }()
        global("torch._utils", "_rebuild_tensor_v2")
        bytes += [0x28, 0x28]                                               // the arguments, the persistent id: tuples
        write(.string("storage"))
        global("torch", type.rawValue)
        write(.string(key))
        write(.string("cpu"))
        write(.int(tensor.count))
        bytes += [0x74, 0x51]                                               // TUPLE, BINPERSID
        write(.int(0))
        write(.tuple(tensor.shape.map { .int($0) }))
        write(.tuple(Tensor.contiguousStrides(tensor.shape).map { .int($0) }))
        write(.bool(requiresGrad))
        write(.dict([], ordered: true))
        bytes += [0x74, 0x52]                                               // TUPLE, REDUCE
    }

    private mutating func write(_ i: Int) {
        switch i {
        case 0...0xFF: bytes += [0x4B, UInt8(i)]                           // BININT1
        case 0...0xFFFF: bytes.append(0x4D); append(UInt16(i).littleEndian)  // BININT2
        case Int(Int32.min)...Int(Int32.max): bytes.append(0x4A); append(Int32(i).littleEndian)  // BININT
        default: bytes += [0x8A, 8]; append(i.littleEndian)                // LONG1, eight bytes
        }
    }

    private mutating func write(_ s: String) {
        bytes.append(0x58)                                                  // BINUNICODE
        append(UInt32(s.utf8.count).littleEndian)
        bytes += Array(s.utf8)
    }

    /// `GLOBAL module name`.
    private mutating func global(_ module: String, _ name: String) {
        bytes.append(0x63)
        bytes += Array("\(module)\n\(name)\n".utf8)
    }

    private mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value) { bytes += $0 }
    }
}
