import Foundation
import Language
import TensorCore
import TorchCheckpoint

/// `torch.save(obj, f)` and `torch.load(f)`: tensors and the dicts (a state dict), lists, tuples, numbers and
/// strings that hold them, in torch's own file format, read and written by `TorchArchive`.
enum TorchSerialization {
    static func functions() -> [String: Value] {
        [
            "save": builtin("save") { args in
                let a = try args.bind("save", ["obj", "f", "pickle_module", "pickle_protocol", "_use_new_zipfile_serialization"], required: 2)
                let path = try a[1]!.asPath()
                let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
                guard FileManager.default.fileExists(atPath: parent) else { throw PyError(.runtimeError, "Parent directory \(parent) does not exist.") }
                try TorchArchive.save(try saved(a[0]!), to: path)
                return .none
            },
            "load": builtin("load") { args in
                let a = try args.bind("load", ["f", "map_location", "pickle_module", "weights_only", "mmap"], required: 1)
                let path = try a[0]!.asPath()
                guard FileManager.default.fileExists(atPath: path) else {
                    throw PyError(.fileNotFoundError, "[Errno 2] No such file or directory: '\(path)'")
                }
                return try value(try TorchArchive.load(path))
            },
        ]
    }

    /// `value` as torch.save pickles it; what it cannot hold is a TypeError that says what to do instead.
    private static func saved(_ value: Value) throws -> SavedValue {
        switch value {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let x): return .float(x)
        case .str(let s): return .string(s)
        case .tuple(let items): return .tuple(try items.map(saved))
        case .list(let list): return .list(try list.items.map(saved))
        case .dict(let dict):
            let ordered: Bool
            switch dict.flavor {
            case .dict: ordered = false
            case .ordered: ordered = true
            default: throw PyError.type("sbpl's torch.save saves dicts and OrderedDicts, not a '\(value.typeName)'")
            }
            return .dict(try dict.items.map { (try saved($0.0), try saved($0.1)) }, ordered: ordered)
        case .tensor(let t): return .tensor(t.detached(), requiresGrad: t.requiresGrad, isParameter: t.isParameter)
        default: break
        }
        throw PyError.type("sbpl's torch.save saves tensors and the dicts, lists, tuples, numbers and strings that hold them, not a '\(value.typeName)' object: save a model with model.save_pretrained(path), or its weights with torch.save(model.state_dict(), path)")
    }

    /// What torch.load gives for `saved`: a state dict as an OrderedDict, a tensor saved requiring grad a leaf that
    /// requires it, a parameter a parameter.
    private static func value(_ saved: SavedValue) throws -> Value {
        switch saved {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let x): return .float(x)
        case .string(let s): return .str(s)
        case .tuple(let items): return .tuple(try items.map(value))
        case .list(let items): return .list(PyList(try items.map(value)))
        case .dict(let pairs, let ordered):
            let dict = PyDict(flavor: ordered ? .ordered : .dict)
            for (key, item) in pairs { try dict.set(try value(key), try value(item)) }
            return .dict(dict)
        case .tensor(let t, let requiresGrad, let isParameter):
            return .tensor(isParameter ? try t.asParameter(requiresGrad: requiresGrad) : try t.requiringGrad(requiresGrad))
        }
    }
}
