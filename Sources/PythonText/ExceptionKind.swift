/// The Python exception classes sbpl raises, by the name Python prints (`TypeError: ...`).
public enum ExceptionKind: String, Sendable, CaseIterable {
    case assertionError = "AssertionError", attributeError = "AttributeError", importError = "ImportError",
         indentationError = "IndentationError", indexError = "IndexError", keyError = "KeyError",
         keyboardInterrupt = "KeyboardInterrupt", memoryError = "MemoryError",
         moduleNotFoundError = "ModuleNotFoundError", nameError = "NameError",
         notImplementedError = "NotImplementedError", osError = "OSError", overflowError = "OverflowError",
         recursionError = "RecursionError", runtimeError = "RuntimeError", syntaxError = "SyntaxError",
         typeError = "TypeError", valueError = "ValueError", zeroDivisionError = "ZeroDivisionError"
}

/// An error of one of sbpl's libraries that Python code sees as a Python exception: each library's error type
/// says which class it is raised as (a tokenizer error is a `ValueError`, a hub error an `OSError`, ...), so the
/// interpreter maps errors without knowing the libraries.
public protocol PythonRaisable: Error, CustomStringConvertible {
    /// The exception class Python code sees.
    var exceptionKind: ExceptionKind { get }
}
