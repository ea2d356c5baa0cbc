import Foundation

/// `shutil`: files and folder trees copied, moved and removed, as CPython's functions name their results and errors.
enum ShutilModule {
    static func make() -> PythonModule {
        PythonModule("shutil", [
            "rmtree": builtin("rmtree") { args in
                let path = try args.bind("rmtree", ["path"], required: 1)[0]!.asPath()
                guard isDirectory(path) != nil else { throw PyError.system(ENOENT, path: path) }
                guard isDirectory(path) == true else { throw PyError.system(ENOTDIR, path: path) }
                do { try FileManager.default.removeItem(atPath: path) } catch { throw PyError.fileOperation(error, path: path) }
                return .none
            },
            "copyfile": builtin("copyfile") { args in
                let a = try args.bind("copyfile", ["src", "dst"], required: 2)
                return .str(try copyFile(try a[0]!.asPath(), to: try a[1]!.asPath()))
            },
            "copy": builtin("copy") { args in
                let a = try args.bind("copy", ["src", "dst"], required: 2)
                let source = try a[0]!.asPath()
                return .str(try copyFile(source, to: into(try a[1]!.asPath(), named: source)))
            },
            "copytree": builtin("copytree") { args in
                let a = try args.bind("copytree", ["src", "dst"], required: 2)
                let (source, destination) = (try a[0]!.asPath(), try a[1]!.asPath())
                guard isDirectory(source) == true else { throw PyError.system(isDirectory(source) == nil ? ENOENT : ENOTDIR, path: source) }
                guard isDirectory(destination) == nil else { throw PyError.system(EEXIST, path: destination) }
                do { try FileManager.default.copyItem(atPath: source, toPath: destination) } catch {
                    throw PyError.fileOperation(error, path: source)
                }
                return .str(destination)
            },
            "move": builtin("move") { args in
                let a = try args.bind("move", ["src", "dst"], required: 2)
                let source = try a[0]!.asPath(), destination = into(try a[1]!.asPath(), named: source)
                guard isDirectory(source) != nil else { throw PyError.system(ENOENT, path: source) }
                do {
                    if isDirectory(destination) == false { try FileManager.default.removeItem(atPath: destination) }
                    try FileManager.default.moveItem(atPath: source, toPath: destination)
                } catch { throw PyError.fileOperation(error, path: source) }
                return .str(destination)
            },
        ])
    }

    /// Whether `path` is a folder; nil when nothing is there.
    private static func isDirectory(_ path: String) -> Bool? {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) ? directory.boolValue : nil
    }

    /// `destination`, or, when it is a folder, the path in it named as `source`'s last component.
    private static func into(_ destination: String, named source: String) -> String {
        isDirectory(destination) == true ? (destination as NSString).appendingPathComponent((source as NSString).lastPathComponent) : destination
    }

    /// Copies the file `source` over `destination` (replacing a file there); returns `destination`.
    private static func copyFile(_ source: String, to destination: String) throws -> String {
        guard let sourceIsDirectory = isDirectory(source) else { throw PyError.system(ENOENT, path: source) }
        guard !sourceIsDirectory else { throw PyError.system(EISDIR, path: source) }
        guard isDirectory(destination) != true else { throw PyError.system(EISDIR, path: destination) }
        do {
            if isDirectory(destination) == false { try FileManager.default.removeItem(atPath: destination) }
            try FileManager.default.copyItem(atPath: source, toPath: destination)
        } catch { throw PyError.fileOperation(error, path: destination) }
        return destination
    }
}
