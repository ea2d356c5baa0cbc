import Foundation
import PythonText
import TensorCore

/// A position in a script: 1-based line and column.
public struct SourceLocation: Sendable, Equatable {
    public let line: Int
    public let column: Int
    /// The text the place is in, as its interpreter's `SourceTable` numbers it; 0 for text it does not know.
    public let source: Int

    public init(line: Int, column: Int, source: Int = 0) {
        self.line = line
        self.column = column
        self.source = source
    }
}

/// The texts an interpreter has run (scripts, REPL and notebook cells) by number, with the name each is reported
/// under, so that an error raised in a function defined by an earlier cell names that cell and shows its line.
public final class SourceTable: @unchecked Sendable {
    private var texts = [(name: String, text: String)]()
    private var numbers = [String: Int]()
    private let lock = NSLock()

    /// The number of `text` named `name` (the same number for the same text under the same name, as a loop of
    /// `run` calls makes).
    public func register(_ text: String, name: String) -> Int {
        lock.withLock {
            let key = name + "\u{0}" + text
            if let number = numbers[key] { return number }
            texts.append((name, text))
            numbers[key] = texts.count
            return texts.count
        }
    }

    /// The name and text numbered `number`, if it is one of this table's.
    public subscript(number: Int) -> (name: String, text: String)? {
        lock.withLock { texts.indices.contains(number - 1) ? texts[number - 1] : nil }
    }
}

/// A Python-style error (`SyntaxError`, `NameError`, `TypeError`, ...) with the place it happened, when known.
/// (`@unchecked Sendable`: the exception value it may carry belongs to the one interpreter that raised it.)
public struct PyError: PythonRaisable, @unchecked Sendable {
    /// The exception class, e.g. `TypeError`.
    public let kind: ExceptionKind
    public let message: String
    public var location: SourceLocation?
    /// The exception as Python code sees it (`except ... as e`), when it has arguments other than the message:
    /// one that `raise` raised, or a KeyError's key.
    var exception: ExceptionObject?

    public init(_ kind: ExceptionKind, _ message: String, at location: SourceLocation? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    /// What the report adds after the message, as CPython's traceback does (`Did you mean: 'print'?`).
    var suggestion: String?

    public var description: String {
        let name = exception?.typeName ?? kind.rawValue
        let text = message.isEmpty ? name : "\(name): \(message)"
        return suggestion.map { text + ". Did you mean: '\($0)'?" } ?? text
    }

    public var exceptionKind: ExceptionKind { kind }

    static func syntax(_ message: String, at location: SourceLocation) -> PyError { PyError(.syntaxError, message, at: location) }
    public static func type(_ message: String) -> PyError { PyError(.typeError, message) }
    public static func value(_ message: String) -> PyError { PyError(.valueError, message) }
    public static func name(_ name: String) -> PyError { PyError(.nameError, "name '\(name)' is not defined") }
    public static func attribute(_ typeName: String, _ name: String) -> PyError {
        PyError(.attributeError, "'\(typeName)' object has no attribute '\(name)'")
    }
    /// `object.name` when it has no such attribute, in Python's words (a module names itself).
    static func missingAttribute(_ object: Value, _ name: String) -> PyError {
        if case .object(let module as PythonModule) = object {
            return PyError(.attributeError, "module '\(module.name)' has no attribute '\(name)'")
        }
        if case .object(let cls as ClassObject) = object {
            return PyError(.attributeError, "type object '\(cls.name)' has no attribute '\(name)'")
        }
        if case .object(let type as TypeObject) = object {
            return PyError(.attributeError, "type object '\(type.name)' has no attribute '\(name)'")
        }
        return attribute(object.typeName, name)
    }
    public static func index(_ message: String) -> PyError { PyError(.indexError, message) }
    /// Python's MemoryError when `bytes` (nil: more than 64 bits count) cannot be allocated here.
    static func checkMemory(bytes: Int?) throws {
        guard (try? Tensor.checkAllocation(bytes: bytes)) != nil else { throw PyError(.memoryError, "") }
    }
    /// Python's MemoryError when `count` x `times` values (a list's, a tuple's) cannot be allocated here.
    static func checkMemory(values count: Int, times: Int = 1) throws {
        let items = count.multipliedReportingOverflow(by: times), size = items.partialValue.multipliedReportingOverflow(by: MemoryLayout<Value>.stride)
        try checkMemory(bytes: items.overflow || size.overflow ? nil : size.partialValue)
    }
    /// A missing key: the message is its repr, the exception's argument the key itself.
    public static func key(_ key: Value) -> PyError {
        var error = PyError(.keyError, key.repr)
        error.exception = ExceptionObject(.keyError, [key])
        return error
    }
    /// A feature Python has that sbpl does not yet, at run time: `NotImplementedError: sbpl does not support X yet`.
    public static func notImplemented(_ what: String) -> PyError {
        PyError(.notImplementedError, "sbpl does not support \(what) yet")
    }
    public static func notSupported(_ what: String, at location: SourceLocation? = nil) -> PyError {
        PyError(.syntaxError, "\(what) is not supported by sbpl", at: location)
    }

    /// The error as a script runner prints it: `FILE:LINE:COL: Kind: message`, the source line and a caret. The
    /// place is in `source`, named `file`, unless `sources` knows the text it is in (a function an earlier cell
    /// defined).
    public func report(file: String, source: String, sources: SourceTable? = nil) -> String {
        guard let location else { return "\(file): \(description)" }
        let (file, source) = sources?[location.source] ?? (file, source)
        var text = "\(file):\(location.line):\(location.column): \(description)"
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        if location.line >= 1 && location.line <= lines.count {
            let line = String(lines[location.line - 1]).replacingOccurrences(of: "\t", with: " ")
            text += "\n    " + line + "\n    " + String(repeating: " ", count: max(0, location.column - 1)) + "^"
        }
        return text
    }
}
