import Foundation
import PythonText

/// Python's `pathlib` basics: `Path` (a `PosixPath`), joined with `/`, its parts (`name`, `stem`, `suffix`,
/// `parent`, `parts`), and the file operations learners use (`exists`, `is_file`, `is_dir`, `read_text`,
/// `write_text`, `mkdir`, `iterdir`, `open`, `unlink`). Paths are accepted wherever sbpl takes a file name.
enum PathlibModule {
    static func make() -> PythonModule {
        let path = TypeObject("Path", qualified: "pathlib.Path") { args in
            .object(PathObject(try args.positional.map { try $0.asPath() }))
        }
        return PythonModule("pathlib", ["Path": .object(path), "PosixPath": .object(path)])
    }
}

/// A `pathlib.PosixPath`: the path normalised as `PurePosixPath` does (no empty or `.` segments, no trailing `/`).
final class PathObject: MemberTableObject, NativeOperand {
    let path: String

    init(_ path: String) {
        let absolute = path.hasPrefix("/")
        let segments = path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
        self.path = absolute ? "/" + segments : segments.isEmpty ? "." : segments
    }

    convenience init(_ parts: [String]) {
        self.init(parts.reduce("") { PathObject.joined($0, $1) })
    }

    private static func joined(_ base: String, _ part: String) -> String {
        part.hasPrefix("/") || base.isEmpty ? part : base + "/" + part
    }

    var typeName: String { "PosixPath" }
    var qualifiedTypeName: String? { "pathlib.PosixPath" }
    var repr: String { "PosixPath(\(Value.quoted(path)))" }
    var str: String { path }

    var name: String { path == "/" || path == "." ? "" : String(path.split(separator: "/").last ?? "") }
    /// Where the suffix starts in `name`, as `PurePath.suffix` finds it: the last dot, not first nor last.
    private var suffixStart: String.Index? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex, name.index(after: dot) != name.endIndex else { return nil }
        return dot
    }
    var suffix: String { suffixStart.map { String(name[$0...]) } ?? "" }
    var stem: String { suffixStart.map { String(name[..<$0]) } ?? name }
    var parent: PathObject {
        guard !name.isEmpty, let slash = path.lastIndex(of: "/") else { return PathObject(path == "/" ? "/" : ".") }
        return PathObject(slash == path.startIndex ? "/" : String(path[..<slash]))
    }

    /// `path / other` and `other / path`.
    func binary(_ op: BinaryOperator, _ other: Value, reflected: Bool) throws -> Value? {
        guard op == .divide, let part = try? other.asPath() else { return nil }
        return .object(PathObject(reflected ? [part, path] : [path, part]))
    }

    func isEqual(to other: Value) -> Bool? {
        guard case .object(let other as PathObject) = other else { return nil }
        return other.path == path
    }

    static let members = MemberTable<PathObject>("PosixPath", [
        .attribute("name", "the last component") { .str($0.name) },
        .attribute("stem", "the name without its suffix") { .str($0.stem) },
        .attribute("suffix", "the name's last extension, with its dot") { .str($0.suffix) },
        .attribute("suffixes", "the name's extensions") { p in
            let name = p.name
            guard !name.hasSuffix(".") else { return .list(PyList([])) }
            let trimmed = name.drop { $0 == "." }
            return .list(PyList(trimmed.split(separator: ".", omittingEmptySubsequences: false).dropFirst().map { .str("." + $0) }))
        },
        .attribute("parent", "the path without its last component") { .object($0.parent) },
        .attribute("parts", "the components, the root first") { p in
            let parts = p.path.split(separator: "/").map { Value.str(String($0)) }
            return .tuple(p.path.hasPrefix("/") ? [.str("/")] + parts : p.path == "." ? [] : parts)
        },
        .method("joinpath", "*pathsegments", "this path joined with each segment") { p, call in
            .object(PathObject([p.path] + (try call.arguments.positional.map { try $0.asPath() })))
        },
        .method("with_suffix", "suffix", "the path with its suffix replaced") { p, call in
            let suffix = try call[0]!.asString("suffix")
            guard suffix.isEmpty || (suffix.hasPrefix(".") && suffix != "." && !suffix.contains("/")) else { throw PyError.value("Invalid suffix '\(suffix)'") }
            guard !p.name.isEmpty else { throw PyError.value("\(p.repr) has an empty name") }
            return .object(PathObject([p.parent.path, p.stem + suffix]))
        },
        .method("with_name", "name", "the path with its last component replaced") { p, call in
            guard !p.name.isEmpty else { throw PyError.value("\(p.repr) has an empty name") }
            return .object(PathObject([p.parent.path, try call[0]!.asString("name")]))
        },
        .method("as_posix", "", "the path as a string with forward slashes") { p, _ in .str(p.path) },
        .method("is_absolute", "", "whether the path starts at the root") { p, _ in .bool(p.path.hasPrefix("/")) },
        .method("absolute", "", "the path from the root, through the working directory") { p, _ in .object(p.absolute) },
        .method("resolve", "", "the absolute path with symbolic links and '..' resolved") { p, _ in
            .object(PathObject(URL(fileURLWithPath: p.absolute.path).resolvingSymlinksInPath().standardizedFileURL.path))
        },
        .method("expanduser", "", "the path with a leading ~ made the home folder") { p, _ in
            .object(PathObject((p.path as NSString).expandingTildeInPath))
        },
        .method("exists", "", "whether something is at the path") { p, _ in .bool(FileManager.default.fileExists(atPath: p.path)) },
        .method("is_file", "", "whether a file is at the path") { p, _ in .bool(p.kind == false) },
        .method("is_dir", "", "whether a folder is at the path") { p, _ in .bool(p.kind == true) },
        .method("read_text", "encoding=None", "the file's text") { p, _ in
            let file = try TextFileObject(path: p.path, mode: "r")
            defer { file.close() }
            return .str(try file.read(-1))
        },
        .method("write_text", "data, encoding=None", "writes the text to the file (replacing it) and returns its length") { p, call in
            let text = try call[0]!.asString("data")
            let file = try TextFileObject(path: p.path, mode: "w")
            try file.write(text)
            file.close()
            return .int(text.count)
        },
        .method("open", "mode='r'", "the file, as open(path, mode) opens it") { p, call in
            .object(try TextFileObject(path: p.path, mode: try call[0]?.asString("mode") ?? "r"))
        },
        .method("mkdir", "mode=511, parents=False, exist_ok=False", "makes the folder") { p, call in
            try p.makeDirectory(parents: try call[1]?.isTruthy() ?? false, existOK: try call[2]?.isTruthy() ?? false)
            return .none
        },
        .method("iterdir", "", "the paths in the folder") { p, _ in
            guard p.kind == true, let names = try? FileManager.default.contentsOfDirectory(atPath: p.path) else {
                throw p.kind == nil ? p.error(.fileNotFoundError, 2, "No such file or directory") : p.error(.osError, 20, "Not a directory")
            }
            return .list(PyList(names.map { .object(PathObject([p.path, $0])) }))
        },
        .method("unlink", "missing_ok=False", "removes the file") { p, call in
            guard p.kind == false else {
                if p.kind == nil, try call[0]?.isTruthy() ?? false { return .none }
                throw p.kind == nil ? p.error(.fileNotFoundError, 2, "No such file or directory") : p.error(.isADirectoryError, 21, "Is a directory")
            }
            try? FileManager.default.removeItem(atPath: p.path)
            return .none
        },
        .method("rmdir", "", "removes the empty folder") { p, _ in
            guard p.kind == true, (try? FileManager.default.contentsOfDirectory(atPath: p.path))?.isEmpty == true else {
                throw p.error(.osError, 39, "Directory not empty")
            }
            try? FileManager.default.removeItem(atPath: p.path)
            return .none
        },
    ])

    /// true for a folder, false for anything else there, nil when nothing is.
    private var kind: Bool? {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) ? isDirectory.boolValue : nil
    }

    /// The OSError CPython raises for this path: `[Errno 2] No such file or directory: 'p'`.
    private func error(_ kind: ExceptionKind, _ number: Int, _ reason: String) -> PyError {
        PyError(kind, "[Errno \(number)] \(reason): '\(path)'")
    }

    private var absolute: PathObject { path.hasPrefix("/") ? self : PathObject([FileManager.default.currentDirectoryPath, path]) }

    private func makeDirectory(parents: Bool, existOK: Bool) throws {
        if kind != nil {
            guard existOK && kind == true else { throw error(.fileExistsError, 17, "File exists") }
            return
        }
        guard parents || parent.kind == true else { throw error(.fileNotFoundError, 2, "No such file or directory") }
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: parents) } catch {
            throw PyError(.osError, "cannot create '\(path)': \(error.localizedDescription)")
        }
    }
}

/// A native object that takes part in a binary operator or `==` (`Path / "name"`); nil leaves it to the usual rules.
protocol NativeOperand: PyObject {
    func binary(_ op: BinaryOperator, _ other: Value, reflected: Bool) throws -> Value?
    func isEqual(to other: Value) -> Bool?
}

extension Value {
    /// A file name given as a `str` or a path object (`os.PathLike`), as `open()` and `os` take them.
    public func asPath() throws -> String {
        switch self {
        case .str(let s): return s
        case .object(let path as PathObject): return path.path
        default: throw PyError.type("expected str, bytes or os.PathLike object, not \(typeName)")
        }
    }
}
