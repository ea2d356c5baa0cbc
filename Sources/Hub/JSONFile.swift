import Foundation
import PythonText

/// Reads the JSON files of a checkpoint with errors that name the file.
public enum JSONFile {
    /// The top-level object of the JSON file at `url`.
    public static func object(at url: URL) throws -> [String: Any] {
        let data = Data(try text(at: url).utf8)
        guard let parsed = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw JSONFileError(path: url.path, reason: "is not valid JSON")
        }
        guard let object = parsed as? [String: Any] else {
            throw JSONFileError(path: url.path, reason: "does not hold a JSON object")
        }
        return object
    }

    /// The top-level object of the JSON file at `url`, read as Python's `json.load` reads it (ints stay ints,
    /// keys keep their order).
    public static func jsonObject(at url: URL) throws -> JSONObject {
        let text = try text(at: url)
        guard let value = try? JSONValue(parsing: text) else {
            throw JSONFileError(path: url.path, reason: "is not valid JSON")
        }
        guard let object = value.object else {
            throw JSONFileError(path: url.path, reason: "does not hold a JSON object")
        }
        return object
    }

    /// The file's text, which must be UTF-8.
    private static func text(at url: URL) throws -> String {
        // a FIFO or device in a file's place would block the read, or never end it
        var info = stat()
        if stat(url.path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
            throw JSONFileError(path: url.path, reason: "is not a regular file")
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw JSONFileError(path: url.path, reason: "cannot be read (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw JSONFileError(path: url.path, reason: "is not UTF-8 text")
        }
        return text
    }
}

/// A JSON file that cannot be used, with its path.
public struct JSONFileError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let reason: String

    public var description: String { "\(path) \(reason)" }
}
