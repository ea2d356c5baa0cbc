/// The Python exception classes sbpl raises and catches, by the name Python prints (`TypeError: ...`).
public enum ExceptionKind: String, Sendable, CaseIterable {
    case baseException = "BaseException", exception = "Exception", arithmeticError = "ArithmeticError",
         lookupError = "LookupError", stopIteration = "StopIteration", unboundLocalError = "UnboundLocalError",
         fileNotFoundError = "FileNotFoundError", systemExit = "SystemExit", isADirectoryError = "IsADirectoryError",
         fileExistsError = "FileExistsError", permissionError = "PermissionError", brokenPipeError = "BrokenPipeError",
         generatorExit = "GeneratorExit"
    case assertionError = "AssertionError", attributeError = "AttributeError", importError = "ImportError",
         indentationError = "IndentationError", indexError = "IndexError", keyError = "KeyError",
         keyboardInterrupt = "KeyboardInterrupt", memoryError = "MemoryError",
         moduleNotFoundError = "ModuleNotFoundError", nameError = "NameError",
         notImplementedError = "NotImplementedError", osError = "OSError", overflowError = "OverflowError",
         recursionError = "RecursionError", runtimeError = "RuntimeError", syntaxError = "SyntaxError",
         typeError = "TypeError", valueError = "ValueError", zeroDivisionError = "ZeroDivisionError"
    /// transformers' `PipelineException`, the `re` module's `error` and numpy's `AxisError` (not builtins).
    case pipelineException = "PipelineException", regexError = "re.error", axisError = "numpy.exceptions.AxisError"
    /// The warning categories (`warnings.warn(message, category)`), exceptions too, as in Python.
    case warning = "Warning", userWarning = "UserWarning", deprecationWarning = "DeprecationWarning",
         pendingDeprecationWarning = "PendingDeprecationWarning", futureWarning = "FutureWarning",
         runtimeWarning = "RuntimeWarning"
    /// What assigning to a frozen dataclass's field raises (an AttributeError; not a builtin).
    case frozenInstanceError = "dataclasses.FrozenInstanceError"
    /// What `input()` raises at the end of its input.
    case eofError = "EOFError"
    /// What the safetensors library raises for a file it cannot read or write, or a tensor it lacks.
    case safetensorError = "safetensors_rust.SafetensorError"

    /// The class's `__name__`: `error` for `re.error`.
    public var name: String { rawValue.split(separator: ".").last.map(String.init) ?? rawValue }

    /// Whether Python has the class as a builtin name.
    public var isBuiltin: Bool { ![.pipelineException, .regexError, .axisError, .frozenInstanceError, .safetensorError].contains(self) }

    /// The class it derives from, as in Python's exception hierarchy; nil for `BaseException`. (numpy's AxisError is
    /// an IndexError too.)
    public var base: ExceptionKind? {
        switch self {
        case .baseException: return nil
        case .exception, .keyboardInterrupt, .systemExit, .generatorExit: return .baseException
        case .overflowError, .zeroDivisionError: return .arithmeticError
        case .indexError, .keyError: return .lookupError
        case .moduleNotFoundError: return .importError
        case .indentationError: return .syntaxError
        case .recursionError, .notImplementedError: return .runtimeError
        case .unboundLocalError: return .nameError
        case .axisError: return .valueError
        case .frozenInstanceError: return .attributeError
        case .fileNotFoundError, .isADirectoryError, .fileExistsError, .permissionError, .brokenPipeError: return .osError
        case .userWarning, .deprecationWarning, .pendingDeprecationWarning, .futureWarning, .runtimeWarning: return .warning
        default: return .exception
        }
    }

    /// Whether an exception of this class is caught by `except other:`.
    public func isSubclass(of other: ExceptionKind) -> Bool {
        var kind: ExceptionKind? = self
        while let k = kind {
            if k == other { return true }
            kind = k.base
        }
        return false
    }
}

/// An error of one of sbpl's libraries that Python code sees as a Python exception: each library's error type
/// says which class it is raised as (a tokenizer error is a `ValueError`, a hub error an `OSError`, ...), so the
/// interpreter maps errors without knowing the libraries.
public protocol PythonRaisable: Error, CustomStringConvertible {
    /// The exception class Python code sees.
    var exceptionKind: ExceptionKind { get }
}
