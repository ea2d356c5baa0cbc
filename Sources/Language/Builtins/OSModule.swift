import Foundation

/// Python's `os` and `os.path` basics: paths joined and split as `posixpath` does, files and folders looked at and
/// made, the working directory and the environment.
enum OSModule {
    static func make() -> PythonModule {
        PythonModule("os", [
            "path": .object(makePath()),
            "sep": .str("/"),
            "getcwd": builtin("getcwd") { try $0.expectNone("getcwd"); return .str(FileManager.default.currentDirectoryPath) },
            "getpid": builtin("getpid") { try $0.expectNone("getpid"); return .int(Int(ProcessInfo.processInfo.processIdentifier)) },
            "listdir": builtin("listdir") { args in
                let path = try args.bind("listdir", ["path"])[0].given?.asPath() ?? "."
                do {
                    return .list(PyList(try FileManager.default.contentsOfDirectory(atPath: path).map(Value.str)))
                } catch {
                    throw PyError(.fileNotFoundError, "[Errno 2] No such file or directory: '\(path)'")
                }
            },
            "makedirs": builtin("makedirs") { args in
                let a = try args.bind("makedirs", ["name", "mode", "exist_ok"], required: 1)
                let path = try a[0]!.asPath()
                if FileManager.default.fileExists(atPath: path) {
                    guard try a[2]?.isTruthy() ?? false else { throw PyError(.fileExistsError, "[Errno 17] File exists: '\(path)'") }
                    return .none
                }
                do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                    throw PyError(.osError, "cannot create '\(path)': \(error.localizedDescription)")
                }
                return .none
            },
            "remove": builtin("remove") { args in
                let path = try args.bind("remove", ["path"], required: 1)[0]!.asPath()
                guard FileManager.default.fileExists(atPath: path) else { throw PyError(.fileNotFoundError, "[Errno 2] No such file or directory: '\(path)'") }
                try? FileManager.default.removeItem(atPath: path)
                return .none
            },
            "rmdir": builtin("rmdir") { args in
                let path = try args.bind("rmdir", ["path"], required: 1)[0]!.asPath()
                guard Glibc.rmdir(path) == 0 else { throw PyError.system(errno, path: path) }
                return .none
            },
            "environ": .dict((try? PyDict(ProcessInfo.processInfo.environment.sorted { $0.key < $1.key }.map { (.str($0.key), .str($0.value)) })) ?? PyDict()),
            "getenv": builtin("getenv") { args in
                let a = try args.bind("getenv", ["key", "default"], required: 1)
                return ProcessInfo.processInfo.environment[try a[0]!.asString("key")].map(Value.str) ?? a[1] ?? .none
            },
        ])
    }

    static func makePath() -> PythonModule {
        PythonModule("os.path", [
            "join": builtin("join") { args in
                guard let first = args.positional.first else { throw PyError.type("join() missing 1 required positional argument: 'a'") }
                return .str(try args.positional.dropFirst().reduce(try first.asPath()) { path, next in
                    let part = try next.asPath()
                    if part.hasPrefix("/") { return part }
                    return path.isEmpty || path.hasSuffix("/") ? path + part : path + "/" + part
                })
            },
            "exists": pathTest("exists") { FileManager.default.fileExists(atPath: $0) },
            "isfile": pathTest("isfile") { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
            },
            "isdir": pathTest("isdir") { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            },
            "isabs": pathTest("isabs") { $0.hasPrefix("/") },
            "basename": pathPart("basename") { split($0).tail },
            "dirname": pathPart("dirname") { split($0).head },
            "abspath": pathPart("abspath") { path in
                normalized(path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path)
            },
            "normpath": pathPart("normpath") { normalized($0) },
            "expanduser": pathPart("expanduser") { path in
                guard path == "~" || path.hasPrefix("~/") else { return path }
                let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
                return home + path.dropFirst()
            },
            "splitext": builtin("splitext") { args in
                let path = try args.bind("splitext", ["p"], required: 1)[0]!.asPath()
                let (root, ext) = splitExtension(path)
                return .tuple([.str(root), .str(ext)])
            },
            "split": builtin("split") { args in
                let (head, tail) = split(try args.bind("split", ["p"], required: 1)[0]!.asPath())
                return .tuple([.str(head), .str(tail)])
            },
            "getsize": builtin("getsize") { args in
                let path = try args.bind("getsize", ["filename"], required: 1)[0]!.asPath()
                guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else {
                    throw PyError(.fileNotFoundError, "[Errno 2] No such file or directory: '\(path)'")
                }
                return .int(size)
            },
            "sep": .str("/"),
        ])
    }

    /// `posixpath.split`: everything up to the last slash (trailing slashes stripped unless it is all slashes) and
    /// the rest.
    static func split(_ path: String) -> (head: String, tail: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        var head = String(path[...slash])
        let tail = String(path[path.index(after: slash)...])
        if head.contains(where: { $0 != "/" }) { while head.hasSuffix("/") { head.removeLast() } }
        return (head, tail)
    }

    /// `posixpath.splitext`: the extension from the last dot of the last component, unless it leads the name.
    static func splitExtension(_ path: String) -> (String, String) {
        let tail = split(path).tail
        guard let dot = tail.lastIndex(of: "."), tail[..<dot].contains(where: { $0 != "." }) else { return (path, "") }
        let ext = String(tail[dot...])
        return (String(path.dropLast(ext.count)), ext)
    }

    /// `posixpath.normpath`: `.` and `..` resolved, repeated slashes merged.
    static func normalized(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts = [Substring]()
        for part in path.split(separator: "/") where part != "." {
            if part == "..", let last = parts.last, last != ".." { parts.removeLast() } else if part != ".." || !absolute { parts.append(part) }
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    private static func pathTest(_ name: String, _ test: @escaping (String) -> Bool) -> Value {
        builtin(name) { args in .bool(test(try args.bind(name, ["path"], required: 1)[0]!.asPath())) }
    }

    private static func pathPart(_ name: String, _ part: @escaping (String) -> String) -> Value {
        builtin(name) { args in .str(part(try args.bind(name, ["p"], required: 1)[0]!.asPath())) }
    }
}
