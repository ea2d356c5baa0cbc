import Foundation

/// Reads the JSON files of a checkpoint with errors that name the file.
public enum JSONFile {
    /// The top-level object of the JSON file at `url`.
    public static func object(at url: URL) throws -> [String: Any] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw JSONFileError(path: url.path, reason: "cannot be read (\(error.localizedDescription))")
        }
        guard String(data: data, encoding: .utf8) != nil else {
            throw JSONFileError(path: url.path, reason: "is not UTF-8 text")
        }
        guard let parsed = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw JSONFileError(path: url.path, reason: "is not valid JSON")
        }
        guard let object = parsed as? [String: Any] else {
            throw JSONFileError(path: url.path, reason: "does not hold a JSON object")
        }
        return object
    }
}

/// A JSON file that cannot be used, with its path.
public struct JSONFileError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let reason: String

    public var description: String { "\(path) \(reason)" }
}
