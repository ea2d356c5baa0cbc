/// `sys`: the script's `argv`, the version sbpl's language is (Python 3.11), the platform's limits, `sys.exit`, and
/// `sys.stdout` / `sys.stderr` for `print(..., file=sys.stderr)` and `.write(...)`.
enum SysModule {
    static func make(_ interpreter: Interpreter?) -> PythonModule {
        PythonModule("sys", [
            "argv": .list(PyList((interpreter?.arguments ?? []).map(Value.str))),
            "version_info": .object(NamedTuple("sys.version_info", [("major", .int(3)), ("minor", .int(11)), ("micro", .int(0)),
                                                                   ("releaselevel", .str("final")), ("serial", .int(0))],
                                               fieldPerLine: false)),
            "version": .str("3.11.0 (sbpl: the Python language natively, in Swift)"),
            "platform": .str("linux"), "byteorder": .str("little"), "maxsize": .int(Int.max),
            "stdout": .object(StandardStream(name: "<stdout>") { [weak interpreter] in try interpreter?.writeOutput($0) }),
            "stderr": .object(StandardStream(name: "<stderr>") { [weak interpreter] in interpreter?.writeError($0) }),
            "exit": builtin("exit") { args in throw PyError.systemExit(try args.bind("exit", ["status"])[0] ?? .none) },
            "getrecursionlimit": builtin("getrecursionlimit") { args in try args.expectNone("getrecursionlimit"); return .int(1000) },
        ], planned: ["path", "modules", "executable", "stdin", "setrecursionlimit", "getsizeof", "exc_info", "float_info"])
    }
}

/// `sys.stdout` and `sys.stderr`: text streams that `print(file=...)` and `.write(s)` write to (the program's output,
/// or the process's standard error).
final class StandardStream: MemberTableObject {
    let name: String
    fileprivate let write: (String) throws -> Void

    init(name: String, _ write: @escaping (String) throws -> Void) {
        self.name = name
        self.write = write
    }

    var typeName: String { "TextIOWrapper" }
    var repr: String { "<_io.TextIOWrapper name='\(name)' mode='w' encoding='utf-8'>" }

    static let members = MemberTable<StandardStream>("TextIOWrapper", [
        .method("write", "text, /", "writes text; returns how many characters it had") { stream, call in
            let text = try call[0]!.asString("write() argument")
            try stream.write(text)
            return .int(text.unicodeScalars.count)
        },
        .method("flush", "/", "does nothing: sbpl writes as it goes") { _, _ in .none },
    ])
}
