import Foundation

/// `open(path, mode)`: a text file as Python's `io.TextIOWrapper` reads and writes it (UTF-8): `read`, `readline`,
/// `readlines`, iteration by line, `write`, `writelines`, `close`, and `with open(...) as f:`. Writes go to disk
/// as they are made, so nothing written is lost if the program stops.
final class TextFileObject: IterableObject, MemberTableObject, ContextManager {
    let path: String
    let mode: String
    private var text: [Character] = []
    private var position = 0
    private var handle: FileHandle?
    private(set) var closed = false

    /// Opens `path` for reading (`r`), writing (`w`, truncating) or appending (`a`), with Python's errors.
    init(path: String, mode: String) throws {
        self.path = path
        self.mode = mode
        let kind = mode.replacingOccurrences(of: "t", with: "").replacingOccurrences(of: "+", with: "")
        guard !mode.contains("b") else { throw PyError.notImplemented("binary files (mode '\(mode)')") }
        guard ["r", "w", "a", "x"].contains(kind) else { throw PyError.value("invalid mode: '\(mode)'") }
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if isDirectory.boolValue { throw PyError(.isADirectoryError, "[Errno 21] Is a directory: '\(path)'") }
        switch kind {
        case "r":
            guard exists else { throw PyError(.fileNotFoundError, "[Errno 2] No such file or directory: '\(path)'") }
            guard let data = FileManager.default.contents(atPath: path) else { throw PyError(.permissionError, "[Errno 13] Permission denied: '\(path)'") }
            // universal newlines, as Python reads text: "\r\n" and "\r" become "\n"
            text = Array(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n"))
        default:
            if kind == "x" && exists { throw PyError(.fileExistsError, "[Errno 17] File exists: '\(path)'") }
            if kind != "a" || !exists {
                guard FileManager.default.createFile(atPath: path, contents: nil) else {
                    throw PyError(.fileNotFoundError, "[Errno 2] No such file or directory: '\(path)'")
                }
            }
            guard let opened = FileHandle(forWritingAtPath: path) else { throw PyError(.permissionError, "[Errno 13] Permission denied: '\(path)'") }
            if kind == "a" { opened.seekToEndOfFile() }
            handle = opened
        }
    }

    var typeName: String { "TextIOWrapper" }
    var qualifiedTypeName: String? { "_io.TextIOWrapper" }
    var repr: String { "<_io.TextIOWrapper name='\(path)' mode='\(mode)' encoding='UTF-8'>" }

    /// Iterating reads the remaining lines.
    var items: [Value] { (try? readLines().map(Value.str)) ?? [] }

    func enter() throws -> Value { .object(self) }
    func exit() { close() }

    static let members = MemberTable<TextFileObject>("TextIOWrapper", [
        .attribute("name", "the path it was opened with") { .str($0.path) },
        .attribute("mode", "the mode it was opened with") { .str($0.mode) },
        .attribute("closed", "whether it is closed") { .bool($0.closed) },
        .method("read", "size=-1", "the rest of the text (at most size characters)") { f, call in
            .str(try f.read(try call[0].given?.asInt("size") ?? -1))
        },
        .method("readline", "", "the next line, with its newline ('' at the end)") { f, _ in .str(try f.readLine()) },
        .method("readlines", "", "the remaining lines, each with its newline") { f, _ in .list(PyList(try f.readLines().map(Value.str))) },
        .method("write", "s", "writes the text; returns how many characters") { f, call in
            let s = try call[0]!.asString("write() argument")
            try f.write(s)
            return .int(s.count)
        },
        .method("writelines", "lines", "writes each string") { f, call in
            for line in try Iteration.materialize(call[0]!) { try f.write(try line.asString("writelines() item")) }
            return .none
        },
        .method("close", "", "closes the file") { f, _ in
            f.close()
            return .none
        },
    ])

    func read(_ size: Int) throws -> String {
        try checkReadable()
        let end = size < 0 ? text.count : min(text.count, position + size)
        defer { position = end }
        return String(text[position..<end])
    }

    func readLine() throws -> String {
        try checkReadable()
        let end = text[position...].firstIndex(of: "\n").map { $0 + 1 } ?? text.count
        defer { position = end }
        return String(text[position..<end])
    }

    func readLines() throws -> [String] {
        var lines = [String]()
        while case let line = try readLine(), !line.isEmpty { lines.append(line) }
        return lines
    }

    func write(_ s: String) throws {
        guard !closed else { throw PyError.value("I/O operation on closed file.") }
        guard let handle else { throw PyError(.osError, "not writable") }
        handle.write(Data(s.utf8))
    }

    func close() {
        try? handle?.close()
        handle = nil
        closed = true
    }

    private func checkReadable() throws {
        guard !closed else { throw PyError.value("I/O operation on closed file.") }
        guard handle == nil else { throw PyError(.osError, "not readable") }
    }
}
