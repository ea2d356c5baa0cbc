import PythonText
import Foundation

/// `tempfile`: folders made with a random name in the temporary directory, and `TemporaryDirectory`, which a
/// `with` block removes when it ends.
enum TempfileModule {
    static func make() -> PythonModule {
        PythonModule("tempfile", [
            "gettempdir": builtin("gettempdir") { try $0.expectNone("gettempdir"); return .str(temporaryDirectory) },
            "mkdtemp": builtin("mkdtemp") { args in .str(try makeDirectory(args, "mkdtemp")) },
            "TemporaryDirectory": builtin("TemporaryDirectory") { args in
                .object(TemporaryDirectoryObject(path: try makeDirectory(args, "TemporaryDirectory")))
            },
        ])
    }

    /// Where temporary folders go: `$TMPDIR`, else /tmp.
    static var temporaryDirectory: String { ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp" }

    /// `mkdtemp(suffix=None, prefix=None, dir=None)`: a new folder (mode 0700) named `prefix` (`tmp`), eight random
    /// characters and `suffix`, in `dir` (the temporary directory); its path.
    private static func makeDirectory(_ args: Arguments, _ name: String) throws -> String {
        let a = try args.bind(name, ["suffix", "prefix", "dir"])
        func text(_ value: Value?, _ what: String) throws -> String? {
            if case .none? = value { return nil }
            return try value.map { try $0.asString(what) }
        }
        let (suffix, prefix) = (try text(a[0], "suffix") ?? "", try text(a[1], "prefix") ?? "tmp")
        let folder = try text(a[2], "dir") ?? temporaryDirectory
        let characters = Array("abcdefghijklmnopqrstuvwxyz0123456789_")
        for _ in 0..<100 {
            let path = (folder as NSString).appendingPathComponent(prefix + String((0..<8).map { _ in characters.randomElement()! }) + suffix)
            if mkdir(path, 0o700) == 0 { return path }
            guard errno == EEXIST else { throw PyError.system(errno, path: path) }
        }
        throw PyError(.fileExistsError, "No usable temporary directory name found")
    }
}

/// `tempfile.TemporaryDirectory()`: its folder's path (`name`), which `with` gives and removes, with all it holds,
/// when the block ends, as `cleanup()` does.
final class TemporaryDirectoryObject: ContextManager, MemberTableObject {
    let path: String

    init(path: String) { self.path = path }

    var typeName: String { "TemporaryDirectory" }
    var repr: String { "<TemporaryDirectory \(Value.str(path).repr)>" }

    func enter() throws -> Value { .str(path) }
    func exit() { cleanup() }

    /// Removes the folder, if it is still there.
    func cleanup() { try? FileManager.default.removeItem(atPath: path) }

    static let members = MemberTable<TemporaryDirectoryObject>("TemporaryDirectory", [
        .attribute("name", "the folder's path") { .str($0.path) },
        .method("cleanup", "", "removes the folder and all it holds") { t, _ in
            t.cleanup()
            return .none
        },
    ])
}
