import Foundation
import Language
import Logging
import TensorCore

/// IPython's magics that matter while following the chapter: %whos, %time, %timeit, %history, %load, %reset.
extension Shell {
    func magic(_ line: String) {
        let parts = line.dropFirst().split(separator: " ", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch parts.first ?? "" {
        case "whos": whos()
        case "time": time(argument)
        case "timeit": timeit(argument)
        case "history": say(inputs.dropLast().joined(separator: "\n") + "\n")
        case "load":
            do { run(try ScriptRunner.read(argument)) } catch { interpreter.logger.error("\(error)") }
        case "reset": interpreter.reset()
        case let name:
            interpreter.logger.error("UsageError: Line magic function `%\(name)` not found (sbpl has %whos, %time, %timeit, %history, %load, %reset).")
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

    private func time(_ statement: String) {
        let (startWall, startCPU) = (DispatchTime.now().uptimeNanoseconds, Self.cpuTimes())
        var result: Value?
        run(statement) { result = $0 }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - startWall) / 1e9
        let cpu = Self.cpuTimes()
        let (user, system) = (cpu.user - startCPU.user, cpu.system - startCPU.system)
        say("CPU times: user \(Self.format(user)), sys: \(Self.format(system)), total: \(Self.format(user + system))\nWall time: \(Self.format(wall))\n")
        if let result, result.typeName != "NoneType" { say("Out[\(count)]: \(result.repr)\n") }
    }

    private func timeit(_ statement: String) {
        var loops = 1
        func measure(_ n: Int) -> Double? {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<n {
                var failed = false
                do { try interpreter.run(statement) } catch {
                    run(statement)
                    failed = true
                }
                if failed { return nil }
            }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        guard var total = measure(loops) else { return }
        while total < 0.2 && loops < 1_000_000 {
            loops *= 10
            guard let t = measure(loops) else { return }
            total = t
        }
        var runs = [total / Double(loops)]
        for _ in 1..<7 {
            guard let t = measure(loops) else { return }
            runs.append(t / Double(loops))
        }
        let mean = runs.reduce(0, +) / Double(runs.count)
        let spread = (runs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(runs.count)).squareRoot()
        say("\(Self.format(mean)) ± \(Self.format(spread)) per loop (mean ± std. dev. of 7 runs, \(loops) loop\(loops == 1 ? "" : "s") each)\n")
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
