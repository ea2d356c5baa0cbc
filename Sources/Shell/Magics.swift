import Foundation
import Hub
import Language
import TensorCore

/// IPython's line commands, the same in the terminal shell and the kernel: `!command`, `%cd`, `%pwd`, `%pip
/// install`, `%whos`, `%time`, `%timeit`, `%history`, `%load`, `%run`, `%reset`, `%save` and `%env`; `%matplotlib`,
/// `%load_ext autoreload` and `%autoreload`, which have nothing to do here, do nothing.
extension Session {
    /// Runs one command line; returns the value it gives (`%pwd`'s path, `%time`'s result), shown as a cell's.
    func run(_ command: LineCommand) throws -> Value? {
        switch command {
        case .system(let line):
            let words = line.split(separator: " ", maxSplits: 1).map(String.init)
            if words.first == "pip", let requirements = PipInstall.requirements(words.count > 1 ? words[1] : "") {
                say(try PipInstall.answer(requirements))
            } else {
                interpreter.define("_exit_code", .int(Int(try SystemCommand.run(line, write: say))))
            }
        case .magic(let magic, let arguments):
            return try run(magic, arguments)
        }
        return nil
    }

    private func run(_ magic: LineCommand.Magic, _ arguments: String) throws -> Value? {
        switch magic {
        case .cd: try changeDirectory(arguments)
        case .pwd: return .str(FileManager.default.currentDirectoryPath)
        case .pip:
            guard let requirements = PipInstall.requirements(arguments) else { throw UsageError("sbpl's %pip only installs (`%pip install PACKAGE`)") }
            say(try PipInstall.answer(requirements))
        case .whos: whos()
        case .time: return try time { try interpreter.run(arguments) }
        case .timeit:
            let statement = try interpreter.compile(arguments)  // parsed once, not on every loop
            try timeit { try interpreter.run(statement) }
        case .history: try history(arguments)
        case .load: frontEnd.setNextInput("# %load \(arguments)\n" + (try ScriptRunner.read(UserHome.expand(arguments))))
        case .run:
            let path = UserHome.expand(arguments)
            try interpreter.run(try ScriptRunner.read(path), file: path)  // its errors name the script and its line
        case .reset: try reset(arguments)
        case .save: try save(arguments)
        case .env: return try environment(arguments)
        // a notebook's set-up lines that have nothing to set up here: plots are not drawn, modules do not reload
        case .matplotlib, .autoreload: break
        case .load_ext:
            guard arguments == "autoreload" else { throw PyError(.moduleNotFoundError, "No module named '\(arguments)'") }
        }
        return nil
    }

    /// `%env`: the environment as a dict, likely secrets (names with key, token or secret) hidden; `%env NAME`: its
    /// value; `%env NAME=value` (or `NAME value`) sets it, saying so: IPython's rules and errors.
    private func environment(_ arguments: String) throws -> Value? {
        guard !arguments.isEmpty else {
            return .dict(try PyDict(ProcessInfo.processInfo.environment.sorted { $0.key < $1.key }.map { key, value in
                let hidden = ["key", "token", "secret"].contains { key.lowercased().contains($0) }
                return (.str(key), .str(hidden ? "<hidden>" : value))
            }))
        }
        guard let split = arguments.firstIndex(of: "=") ?? arguments.firstIndex(of: " ") else {
            guard let value = ProcessInfo.processInfo.environment[arguments] else { throw UsageError("Environment does not have key: \(arguments)") }
            return .str(value)
        }
        let name = arguments[..<split].trimmingCharacters(in: .whitespaces)
        let value = arguments[arguments.index(after: split)...].trimmingCharacters(in: .whitespaces)
        if name.contains(where: \.isWhitespace) { throw UsageError("refusing to set env var with whitespace: '\(value)'") }
        setenv(name, value, 1)
        say("env: \(name)=\(value)\n")
        return nil
    }

    /// `%cd [-q] [DIR | -]`: changes folder (home without one, the previous with `-`) and prints where it is; a
    /// folder that cannot be entered prints the error, as IPython does.
    private func changeDirectory(_ arguments: String) throws {
        var words = arguments.split(separator: " ").map(String.init)
        let quiet = words.first == "-q"
        if quiet { words.removeFirst() }
        var target = words.joined(separator: " ")
        if target == "-" {
            guard directoryHistory.count >= 2 else { throw UsageError("%cd -: No previous directory to change to.") }
            target = directoryHistory[directoryHistory.count - 2]
        }
        let path = target.isEmpty ? UserHome.directory() : UserHome.expand(Self.unquoted(target))
        if FileManager.default.changeCurrentDirectoryPath(path) {
            let now = FileManager.default.currentDirectoryPath
            if directoryHistory.last != now { directoryHistory.append(now) }
        } else {
            say("[Errno 2] No such file or directory: \(Value.str(path).repr)\n")
        }
        if !quiet { say(directoryHistory.last! + "\n") }
    }

    private static func unquoted(_ text: String) -> String {
        guard text.count >= 2, let first = text.first, first == text.last, first == "'" || first == "\"" else { return text }
        return String(text.dropFirst().dropLast())
    }

    /// `%history [-n] [RANGES]`: the inputs of this session, numbered with `-n` as IPython numbers them.
    private func history(_ arguments: String) throws {
        var words = arguments.split(separator: " ").map(String.init)
        let numbered = words.contains("-n")
        words.removeAll { $0 == "-n" }
        let ranges = try HistoryRange.parse(words.joined(separator: " "), last: executionCount)
        var text = ""
        for range in ranges {
            for cell in cells where range.contains(cell.count) {
                let input = String(cell.source.replacingOccurrences(of: "\t", with: "    ").reversed().drop { $0.isWhitespace }.reversed())
                let number = String(cell.count)
                if numbered { text += String(repeating: " ", count: max(0, 4 - number.count)) + number + ":" + (input.contains("\n") ? "\n" : " ") }
                text += input + "\n"
            }
        }
        say(text)
    }

    /// `%reset [-f]`: clears every variable and the output cache, after asking unless `-f` (a front end that
    /// cannot ask counts as yes, as ipykernel without stdin).
    private func reset(_ arguments: String) throws {
        if !arguments.split(separator: " ").contains("-f") {
            guard try askYesNo("Once deleted, variables cannot be recovered. Proceed (y/[n])?") else { return say("Nothing done.\n") }
        }
        clearNamespace()
    }

    /// IPython's `ask_yes_no` with default no: asks until the answer is y, yes, n, no or empty; Ctrl-C (or an
    /// interrupt) while asking is `KeyboardInterrupt`.
    private func askYesNo(_ prompt: String) throws -> Bool {
        while true {
            let answer = frontEnd.ask(prompt + " ")?.trimmingCharacters(in: .whitespaces).lowercased()
            try Interrupt.check()
            guard let answer else { return true }
            switch answer {
            case "y", "yes": return true
            case "n", "no", "": return false
            default: continue
            }
        }
    }

    /// The value store as a table: name, type, and what matters for each kind of value.
    private func whos() {
        let names = interpreter.variableNames.filter { !$0.hasPrefix("_") && $0 != "In" && $0 != "Out" }  // IPython hides its caches
        guard !names.isEmpty else { return say("Interactive namespace is empty.\n") }
        let rows = names.map { name -> (String, String, String) in
            let value = interpreter.value(ofDottedName: name)!
            return (name, value.typeName, Self.info(value))
        }
        let w1 = Swift.max(8, rows.map(\.0.count).max()!) + 3, w2 = Swift.max(4, rows.map(\.1.count).max()!) + 3
        var text = "Variable".padding(toLength: w1, withPad: " ", startingAt: 0) + "Type".padding(toLength: w2, withPad: " ", startingAt: 0) + "Data/Info\n"
        text += String(repeating: "-", count: w1 + w2 + 9) + "\n"
        for (name, type, info) in rows {
            text += name.padding(toLength: w1, withPad: " ", startingAt: 0) + type.padding(toLength: w2, withPad: " ", startingAt: 0) + info + "\n"
        }
        say(text)
    }

    static func info(_ value: Value) -> String {
        switch value {
        case .tensor(let t): return "\(TensorShape(t.shape)), dtype=\(t.dtype.torchName)"
        case .object(let m as MappingObject): return "keys: " + m.mappingKeys.joined(separator: ", ")
        default:
            let text = value.repr.replacingOccurrences(of: "\n", with: " ")
            return text.count > 60 ? String(text.prefix(57)) + "..." : text
        }
    }

    /// `%time STATEMENT` (and `%%time`): runs it once, prints CPU and wall times; its value is the cell's.
    func time(_ statement: () throws -> Value?) throws -> Value? {
        let (startWall, startCPU) = (DispatchTime.now().uptimeNanoseconds, Self.cpuTimes())
        defer {  // also when it fails, before the error, as IPython
            let wall = Double(DispatchTime.now().uptimeNanoseconds - startWall) / 1e9
            let cpu = Self.cpuTimes()
            let (user, system) = (cpu.user - startCPU.user, cpu.system - startCPU.system)
            say("CPU times: user \(Self.format(user)), sys: \(Self.format(system)), total: \(Self.format(user + system))\nWall time: \(Self.format(wall))\n")
        }
        return try statement()
    }

    /// `%timeit STATEMENT` (and `%%timeit`): IPython's loop count (powers of ten until 0.2 s) and 7 runs, mean ±
    /// std. dev.; `-n` and `-r` (`%%timeit`'s options) give the loops per run and the runs.
    func timeit(loops given: Int? = nil, runs count: Int = 7, _ statement: () throws -> Void) throws {
        func measure(_ n: Int) throws -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<n { try statement() }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        var loops = given ?? 1, total = try measure(loops)
        while given == nil && total < 0.2 && loops < 1_000_000 {
            loops *= 10
            total = try measure(loops)
        }
        var runs = [total / Double(loops)]
        for _ in 1..<count { runs.append(try measure(loops) / Double(loops)) }
        let mean = runs.reduce(0, +) / Double(runs.count)
        let spread = (runs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(runs.count)).squareRoot()
        say("\(Self.format(mean)) ± \(Self.format(spread)) per loop (mean ± std. dev. of \(count) run\(count == 1 ? "" : "s"), "
            + "\(loops) loop\(loops == 1 ? "" : "s") each)\n")
    }

    /// IPython's `_format_time`: three significant digits in s, ms, µs or ns.
    static func format(_ seconds: Double) -> String {
        let units = ["s", "ms", "µs", "ns"], scales = [1.0, 1e3, 1e6, 1e9]
        // order = min(-(floor(log10(t)) // 3), 3), with Python's floor division
        let order = seconds > 0 ? Swift.min(Swift.max(-Int((log10(seconds).rounded(.down) / 3).rounded(.down)), 0), 3) : 3
        return String(format: "%.3g %@", seconds * scales[order], units[order])
    }

    private static func cpuTimes() -> (user: Double, system: Double) {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return (seconds(usage.ru_utime), seconds(usage.ru_stime))
    }
}
