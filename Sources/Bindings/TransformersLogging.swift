import Diagnostics
import Language
import Logging
import Synchronization

/// `transformers.logging`: how much transformers says (`set_verbosity_error()` to keep only errors), for every
/// logger of the library and the interpreter's warnings alike; the levels are Python's `logging` numbers.
enum TransformersLogging {
    /// Python's levels, and the swift-log level each is.
    private static let levels: [(name: String, number: Int, level: Logger.Level)] = [
        ("DEBUG", 10, .debug), ("INFO", 20, .info), ("WARNING", 30, .warning), ("ERROR", 40, .error), ("CRITICAL", 50, .critical),
    ]

    /// The verbosity as Python's number, what `get_verbosity()` answers (WARNING by default).
    private static let currentNumber = Atomic<Int>(30)

    static func make() -> PythonModule {
        var members: [String: Value] = ["WARN": .int(30), "FATAL": .int(50), "NOTSET": .int(0)]
        for (name, number, level) in levels {
            members[name] = .int(number)
            let setter = "set_verbosity_\(name.lowercased())"
            members[setter] = .object(BuiltinFunction(setter, calling: { args, interpreter in
                try args.expectNone(setter)
                set(level, number, interpreter)
                return .none
            }))
        }
        members["set_verbosity"] = .object(BuiltinFunction("set_verbosity", calling: { args, interpreter in
            let number = try args.bind("set_verbosity", ["verbosity"], required: 1)[0]!.asInt("verbosity")
            // the least level shown is the first at or above the number (25 hides INFO, as Python's logging does)
            set(number <= 0 ? .trace : levels.first { $0.number >= number }?.level ?? .critical, number, interpreter)
            return .none
        }))
        members["get_verbosity"] = builtin("get_verbosity") { args in
            try args.expectNone("get_verbosity")
            return .int(currentNumber.load(ordering: .relaxed))
        }
        return PythonModule("transformers.logging", members,
                            planned: ["get_logger", "disable_progress_bar", "enable_progress_bar", "disable_default_handler",
                                      "enable_default_handler", "enable_explicit_format", "reset_format", "add_handler"])
    }

    /// The least level shown (`pythonLevel` as Python numbers it): transformers' loggers, and the interpreter's
    /// warnings (its errors, the program's tracebacks, are always shown).
    private static func set(_ level: Logger.Level, _ pythonLevel: Int, _ interpreter: Interpreter) {
        Verbosity.transformers = level
        currentNumber.store(pythonLevel, ordering: .relaxed)
        interpreter.logger.logLevel = Swift.min(level, .error)
    }
}
