import Foundation

/// An nbformat-4 notebook, as far as running it needs: its cells, each with its type and source.
public struct Notebook: Decodable, Sendable {
    public enum CellType: String, Decodable, Sendable { case code, markdown, raw }

    public struct Cell: Decodable, Sendable {
        public let cellType: CellType
        /// The source, joined when the file stores it as a list of lines.
        public let source: String

        enum CodingKeys: String, CodingKey { case cellType = "cell_type", source }

        public init(from decoder: any Decoder) throws {
            let values = try decoder.container(keyedBy: CodingKeys.self)
            cellType = try values.decode(CellType.self, forKey: .cellType)
            if let lines = try? values.decode([String].self, forKey: .source) {
                source = lines.joined()
            } else if let text = try? values.decode(String.self, forKey: .source) {
                source = text
            } else {
                throw DecodingError.dataCorruptedError(forKey: .source, in: values,
                                                       debugDescription: "a cell's source is neither a string nor a list of strings")
            }
        }
    }

    public let nbformat: Int
    public let cells: [Cell]

    /// The notebook at `path`, or a `NotebookError` naming the file and what is wrong with it.
    public static func read(_ path: String) throws -> Notebook {
        guard let data = FileManager.default.contents(atPath: path) else { throw NotebookError(path: path, problem: "no such readable file") }
        guard (try? JSONSerialization.jsonObject(with: data)) != nil else { throw NotebookError(path: path, problem: "not JSON") }
        struct Version: Decodable { let nbformat: Int? }
        let version = try? JSONDecoder().decode(Version.self, from: data)
        guard let format = version?.nbformat else { throw NotebookError(path: path, problem: "no nbformat version (is it a notebook?)") }
        guard format == 4 else { throw NotebookError(path: path, problem: "nbformat \(format); sbpl reads nbformat 4") }
        do {
            return try JSONDecoder().decode(Notebook.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw NotebookError(path: path, problem: "missing '\(key.stringValue)'\(Self.place(context.codingPath))")
        } catch let DecodingError.dataCorrupted(context) {
            throw NotebookError(path: path, problem: "\(context.debugDescription)\(Self.place(context.codingPath))")
        } catch let DecodingError.typeMismatch(_, context) {
            throw NotebookError(path: path, problem: "\(context.debugDescription)\(Self.place(context.codingPath))")
        } catch {
            throw NotebookError(path: path, problem: "\(error)")
        }
    }

    /// ` in cell N` for a path into `cells`.
    private static func place(_ path: [any CodingKey]) -> String {
        guard path.first?.stringValue == "cells", let index = path.dropFirst().first?.intValue else { return "" }
        return " in cell \(index + 1)"
    }
}

/// A notebook file that cannot be run; nothing in it has run.
public struct NotebookError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let problem: String
    public var description: String { "\(path): \(problem)" }
}
