import Foundation
import Language
import Safetensors
import TensorCore

/// The `safetensors` package, over sbpl's own reader and writer: `safetensors.torch.load_file` / `save_file` (a
/// dict of tensors from and to a file, names sorted as the library lists them) and `safe_open(path, framework)`, a
/// context manager that reads one tensor at a time (`f.keys()`, `f.get_tensor(name)`, `f.metadata()`).
enum SafetensorsModule {
    /// The release of the course's era (transformers 4.46.3 pinned `safetensors>=0.4.1`).
    static let version = "0.4.5"

    static func make() -> PythonModule {
        PythonModule("safetensors", [
            "__version__": .str(version),
            "safe_open": builtin("safe_open") { args in
                let a = try args.bind("safe_open", ["filename", "framework", "device"], required: 2)
                return .object(SafeOpenObject(try open(a[0]!)))
            },
            "SafetensorError": .object(ExceptionType(.safetensorError)),
        ])
    }

    static func makeTorch() -> PythonModule {
        PythonModule("safetensors.torch", [
            "load_file": builtin("load_file") { args in
                let file = try open(try args.bind("load_file", ["filename", "device"], required: 1)[0]!)
                return .dict(try tensors(of: file, named: file.names))
            },
            "save_file": builtin("save_file") { args in
                let a = try args.bind("save_file", ["tensors", "filename", "metadata"], required: 2)
                try save(a[0]!, to: try a[1]!.asPath(), metadata: a[2].given)
                return .none
            },
        ])
    }

    /// The file at `filename` (a str or a path), mapped and checked; the library's errors when it cannot be read.
    static func open(_ filename: Value) throws -> SafetensorsFile {
        let path = try filename.asPath()
        guard FileManager.default.fileExists(atPath: path) else { throw PyError(.fileNotFoundError, "No such file or directory: \"\(path)\"") }
        do { return try SafetensorsFile(path: path) } catch let error as SafetensorsError {
            throw PyError(.safetensorError, "Error while deserializing \(error.description)")
        }
    }

    /// The tensors `names` of `file`, as a dict in that order.
    static func tensors(of file: SafetensorsFile, named names: [String]) throws -> PyDict {
        let dict = PyDict()
        for name in names { try dict.set(.str(name), .tensor(try tensor(name, of: file))) }
        return dict
    }

    /// The tensor `name` of `file` in the type the file stores it in (a model loads every float as float32).
    static func tensor(_ name: String, of file: SafetensorsFile) throws -> Tensor {
        guard let entry = file.entries[name] else { throw PyError(.safetensorError, "File does not contain tensor \(name)") }
        return try file.tensor(name).to(entry.storedType)
    }

    /// `save_file(tensors, filename, metadata)`: the library's checks (str keys, tensors, contiguous, no two sharing
    /// memory, str metadata), then the file.
    private static func save(_ tensors: Value, to path: String, metadata: Value?) throws {
        guard case .dict(let dict) = tensors else { throw PyError.type("argument 'tensor_dict': '\(tensors.typeName)' object cannot be converted to 'PyDict'") }
        var named = [String: Tensor]()
        for (key, value) in dict.items {
            guard case .str(let name) = key else { throw PyError.type("argument 'tensor_dict': '\(key.typeName)' object cannot be converted to 'PyString'") }
            guard case .tensor(let tensor) = value else {
                throw PyError.value("Key `\(name)` is invalid, expected torch.Tensor but received <class '\(value.typeName)'>")
            }
            guard tensor.isContiguous else {
                throw PyError.value("You are trying to save a non contiguous tensor: `\(name)` which is not allowed. It either means you are trying to save tensors which are reference of each other in which case it's recommended to save only the full tensors, and reslice at load time, or simply call `.contiguous()` on your tensor to pack it before saving.")
            }
            named[name] = tensor
        }
        // names whose tensors overlap in memory, gathered in groups as safetensors' _find_shared_tensors does
        var groups = [[String]]()
        for name in named.keys.sorted() {
            let overlapping = groups.indices.filter { groups[$0].contains { named[$0]!.sharesElements(with: named[name]!) } }
            groups.append(overlapping.flatMap { groups[$0] } + [name])
            for i in overlapping.reversed() { groups.remove(at: i) }
        }
        let shared = groups.filter { $0.count > 1 }.map { "{" + $0.map { Value.str($0).repr }.joined(separator: ", ") + "}" }
        guard shared.isEmpty else {
            let indent = "\n" + String(repeating: " ", count: 12)   // the library's message keeps its source's indentation
            throw PyError(.runtimeError, [
                "", "Some tensors share memory, this will lead to duplicate memory on disk and potential differences when loading them again: [\(shared.joined(separator: ", "))].",
                "A potential way to correctly save your model is to use `save_model`.",
                "More information at https://huggingface.co/docs/safetensors/torch_shared_tensors", "",
            ].joined(separator: indent))
        }
        do { try SafetensorsWriter.write(named, metadata: try strings(metadata), to: path) } catch let error as SafetensorsError {
            throw PyError(.safetensorError, "Error while serializing: \(error.description)")
        }
    }

    /// `metadata=`: a dict of str to str, or None.
    private static func strings(_ metadata: Value?) throws -> [String: String] {
        guard let metadata else { return [:] }
        guard case .dict(let dict) = metadata else { throw PyError.type("argument 'metadata': '\(metadata.typeName)' object cannot be converted to 'PyDict'") }
        var strings = [String: String]()
        for (key, value) in dict.items {
            guard case .str(let k) = key, case .str(let v) = value else {
                let bad = { if case .str = key { value } else { key } }()
                throw PyError.type("argument 'metadata': '\(bad.typeName)' object cannot be converted to 'PyString'")
            }
            strings[k] = v
        }
        return strings
    }
}

/// `safe_open(filename, framework="pt")`: an open safetensors file, read a tensor at a time; `with` gives it back.
final class SafeOpenObject: ContextManager {
    let file: SafetensorsFile

    init(_ file: SafetensorsFile) { self.file = file }

    var typeName: String { "safe_open" }
    var qualifiedTypeName: String? { "builtins.safe_open" }
    var repr: String { "<builtins.safe_open object at \(objectAddress(self))>" }
    var attributeNames: [String] { Self.members.names }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? { try Self.members.value(of: name, for: self, interpreter) }

    func enter() throws -> Value { .object(self) }
    func exit() {}

    private static let members = MemberTable<SafeOpenObject>("safe_open", [
        .method("keys", "", "the tensors' names, sorted") { f, _ in .list(PyList(f.file.names.map(Value.str))) },
        .method("metadata", "", "the file's __metadata__ dict of str to str (None if it has none)") { f, _ in
            guard !f.file.metadata.isEmpty else { return .none }
            let dict = PyDict()
            for (key, value) in f.file.metadata.sorted(by: { $0.key < $1.key }) { try dict.set(.str(key), .str(value)) }
            return .dict(dict)
        },
        .method("get_tensor", "name", "the tensor called name") { f, call in
            .tensor(try SafetensorsModule.tensor(try call[0]!.asString("name"), of: f.file))
        },
    ])
}
