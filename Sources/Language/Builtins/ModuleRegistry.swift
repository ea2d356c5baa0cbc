import Foundation
import TensorCore

/// A module value: named attributes (`torch.softmax`, `math.pi`).
public final class PythonModule: PyObject {
    let name: String
    private(set) var members: [String: Value]
    /// Names the real module has that sbpl does not implement yet: looking one up is a NotImplementedError that
    /// says so, rather than the AttributeError of a misspelt name.
    private let planned: Set<String>

    public init(_ name: String, _ members: [String: Value], planned: Set<String> = []) {
        self.name = name
        self.members = members
        self.planned = planned
    }

    public var typeName: String { "module" }
    public var repr: String { "<module '\(name)'>" }
    public var attributeNames: [String] { members.keys.sorted() }

    /// What `from module import *` binds: the members whose names do not start with `_`.
    var publicMembers: [(String, Value)] { members.sorted { $0.key < $1.key }.filter { !$0.key.hasPrefix("_") }.map { ($0.key, $0.value) } }

    /// Makes the submodule `module` this module's attribute `name`, unless the module has one by that name.
    func adopt(_ name: String, _ module: PythonModule) {
        if members[name] == nil { members[name] = .object(module) }
    }

    public func attribute(_ attribute: String, _ interpreter: Interpreter) throws -> Value? {
        if let member = members[attribute] { return member }
        if planned.contains(attribute) { throw PyError(.notImplementedError, "sbpl does not support \(name).\(attribute) yet") }
        return nil
    }
}

/// The modules `import` finds: Python's own (a file each: sys, math, re, itertools, collections, heapq, warnings, ...) and numpy, and those the
/// bindings register (torch, transformers, ...).
public final class ModuleRegistry {
    private var loaded: [String: PythonModule] = [:]
    private var factories: [String: () -> PythonModule] = [:]
    /// The interpreter whose `sys.argv` the `sys` module shows.
    weak var interpreter: Interpreter?

    init() {
        factories = [
            "sys": { [unowned self] in SysModule.make(self.interpreter) },
            "math": MathModule.make, "time": TimeModule.make, "json": JSONModule.make, "os": OSModule.make, "pathlib": PathlibModule.make,
            "os.path": OSModule.makePath, "random": RandomModule.make, "itertools": ItertoolsModule.make, "typing": TypingModule.make,
            "collections": CollectionsModule.make, "functools": FunctoolsModule.make, "re": ReModule.make, "numpy": NumpyModule.make,
            "copy": CopyModule.make, "string": StringModule.make, "operator": OperatorModule.make,
            "heapq": HeapqModule.make, "bisect": BisectModule.make, "unicodedata": UnicodedataModule.make,
            "shutil": ShutilModule.make, "tempfile": TempfileModule.make,
            "warnings": WarningsModule.make, "dataclasses": DataclassesModule.make,
            "tqdm": TqdmModule.make("tqdm"), "tqdm.auto": TqdmModule.make("tqdm.auto"), "tqdm.notebook": TqdmModule.make("tqdm.notebook"),
        ]
    }

    /// Makes `import name` create the module with `make`, on first import.
    public func register(_ name: String, _ make: @escaping () -> PythonModule) { factories[name] = make }

    /// The module `name`, created on first import.
    public func module(_ name: String) throws -> Value { .object(try pythonModule(name)) }

    /// `module(name)` as the module object it is.
    func pythonModule(_ name: String) throws -> PythonModule {
        if let m = loaded[name] { return m }
        guard let make = factories[name] else {
            throw PyError(.moduleNotFoundError, "No module named '\(name)' (sbpl has \(factories.keys.sorted().joined(separator: ", ")))")
        }
        let m = make()
        loaded[name] = m
        // as Python's import does: `import safetensors.torch` makes `torch` an attribute of `safetensors`
        if let dot = name.lastIndex(of: "."), let parent = try? pythonModule(String(name[..<dot])) {
            parent.adopt(String(name[name.index(after: dot)...]), m)
        }
        return m
    }

    var names: [String] { factories.keys.sorted() }
}

enum TimeModule {
    static func make() -> PythonModule {
        PythonModule("time", [
            "perf_counter": builtin("perf_counter") { try $0.expectNone("perf_counter"); return .float(Double(DispatchTime.now().uptimeNanoseconds) / 1e9) },
            "time": builtin("time") { try $0.expectNone("time"); return .float(Date().timeIntervalSince1970) },
            "perf_counter_ns": builtin("perf_counter_ns") { try $0.expectNone("perf_counter_ns"); return .int(Int(DispatchTime.now().uptimeNanoseconds)) },
            "time_ns": builtin("time_ns") { args in
                try args.expectNone("time_ns")
                var now = timespec()
                clock_gettime(CLOCK_REALTIME, &now)
                return .int(now.tv_sec * 1_000_000_000 + now.tv_nsec)
            },
            "sleep": builtin("sleep") { args in
                let seconds = try args.bind("sleep", ["secs"], required: 1)[0]!.asDouble("secs")
                guard seconds >= 0 else { throw PyError.value("sleep length must be non-negative") }
                var remaining = seconds
                while remaining > 0 {
                    try Interrupt.check()
                    Thread.sleep(forTimeInterval: Swift.min(remaining, 0.05))
                    remaining -= 0.05
                }
                return .none
            },
        ])
    }
}
