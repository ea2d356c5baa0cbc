import Foundation

/// A one-line download progress bar (`ProgressOutput`: stderr or the kernel's cell): file, percent, bytes, rate and
/// time left, redrawn after a `\r`.
final class ProgressBar: @unchecked Sendable {
    private let name: String
    private let total: Int?
    private let start: Int
    private let began = Date()
    private var lastDraw = Date.distantPast

    init(name: String, total: Int?, start: Int) {
        self.name = name
        self.total = total
        self.start = start
    }

    func update(_ done: Int, force: Bool = false) {
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        let elapsed = Swift.max(now.timeIntervalSince(began), 1e-3)
        let rate = Double(done - start) / elapsed
        var line = "\r\(name): "
        if let total, total > 0 {
            let fraction = Swift.min(1, Double(done) / Double(total))
            let filled = Int(fraction * 20)
            let left = rate > 0 ? Double(total - done) / rate : 0
            line += String(format: "%3d%%|", Int(fraction * 100)) + String(repeating: "█", count: filled)
                + String(repeating: " ", count: 20 - filled) + "| \(Self.bytes(done))/\(Self.bytes(total)) [\(Self.clock(elapsed))<\(Self.clock(left)), \(Self.bytes(Int(rate)))/s]"
        } else {
            line += "\(Self.bytes(done)) [\(Self.clock(elapsed)), \(Self.bytes(Int(rate)))/s]"
        }
        ProgressOutput.write(line)
    }

    func finish() {
        update(total ?? start, force: true)
        ProgressOutput.write("\n")
    }

    static func bytes(_ n: Int) -> String {
        let units = ["B", "kB", "MB", "GB"]
        var value = Double(n), unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(n)B" : String(format: "%.1f%@", value, units[unit])
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%02d:%02d", s / 60, s % 60)
    }
}
