import Synchronization
import PythonText

/// PyTorch's print options (`torch.set_printoptions`), with torch's defaults.
public struct PrintOptions: Sendable {
    public var precision = 4
    public var threshold = 1000
    public var edgeItems = 3
    public var lineWidth = 80
    /// `nil` lets the formatter choose, as torch does.
    public var sciMode: Bool? = nil

    public init() {}

    /// torch's `PRINT_OPTS`: what `torch.set_printoptions` set, for every tensor printed after (process-wide, as
    /// torch's are).
    public static var current: PrintOptions {
        get { shared.withLock { $0 } }
        set { shared.withLock { $0 = newValue } }
    }
    private static let shared = Mutex(PrintOptions())

    /// `set_printoptions(profile=...)`: torch's "default", "short" and "full" (no summarising); nil for other names,
    /// which torch ignores.
    public static func profile(_ name: String) -> PrintOptions? {
        var options = PrintOptions()
        switch name {
        case "default": return options
        case "short": (options.precision, options.edgeItems) = (2, 2)
        case "full": options.threshold = .max
        default: return nil
        }
        return options
    }
}

/// Chooses one notation and width for all printed values of a tensor, as `torch._tensor_str._Formatter` does.
struct ValueFormatter {
    let options: PrintOptions
    let floating: Bool
    private(set) var intMode = true
    private(set) var sciMode = false
    private(set) var width = 1

    init(_ values: [Scalar], floating: Bool, options: PrintOptions) {
        self.options = options
        self.floating = floating
        guard floating else {
            width = values.map { format($0).count }.max() ?? 1
            return
        }
        let finite = values.map(\.doubleValue).filter { $0.isFinite && $0 != 0 }
        guard !finite.isEmpty else { return }
        let magnitudes = finite.map { Swift.abs($0) }
        let (low, high) = (magnitudes.min()!, magnitudes.max()!)
        intMode = finite.allSatisfy { $0 == $0.rounded(.up) }
        // `set_printoptions(sci_mode=)` decides when given; ints and all-zero tensors never reach here, as in torch
        sciMode = options.sciMode ?? (high / low > 1000 || high > 1e8 || (!intMode && low < 1e-4))
        let p = options.precision
        if sciMode {
            width = finite.map { pythonFormat($0, precision: p, scientific: true).count }.max()!
        } else if intMode {
            width = finite.map { pythonFormat($0, precision: 0, scientific: false).count + 1 }.max()!
        } else {
            width = finite.map { pythonFormat($0, precision: p, scientific: false).count }.max()!
        }
        width = Swift.max(width, 1)
    }

    /// One value, right-aligned to the common width.
    func format(_ value: Scalar) -> String {
        let text: String
        switch value {
        case .int(let v): text = String(v)
        case .bool(let v): text = v ? "True" : "False"
        case .float(let v):
            if sciMode {
                text = pythonFormat(v, precision: options.precision, scientific: true)
            } else if intMode {
                text = pythonFormat(v, precision: 0, scientific: false) + (v.isFinite ? "." : "")
            } else {
                text = pythonFormat(v, precision: options.precision, scientific: false)
            }
        }
        return String(repeating: " ", count: Swift.max(0, width - text.count)) + text
    }
}

extension Tensor: CustomStringConvertible {
    /// `repr(tensor)` exactly as PyTorch prints it, `grad_fn=<...>` or `requires_grad=True` included.
    public var description: String { formatted(PrintOptions.current) }

    /// `repr(tensor)` under the given print options (a parameter's as `Parameter containing:` and the tensor).
    public func formatted(_ options: PrintOptions) -> String {
        (isParameter ? "Parameter containing:\n" : "") + tensorRepr(options)
    }

    /// torch's `_str_intern`: `tensor(` values, then the suffixes.
    private func tensorRepr(_ options: PrintOptions) -> String {
        let prefix = "tensor("
        var suffixes = [String]()
        let body: String
        if count == 0 {
            if rank != 1 { suffixes.append("size=(" + shape.map(String.init).joined(separator: ", ") + ")") }
            if dtype != .float32 { suffixes.append("dtype=\(dtype.torchName)") }
            body = "[]"
        } else {
            if !dtype.isPrintedByDefault { suffixes.append("dtype=\(dtype.torchName)") }
            body = tensorString(indent: prefix.count, options: options)
        }
        if let function = gradFunction {
            suffixes.append("grad_fn=<\(function.name)>")
        } else if requiresGrad {
            suffixes.append("requires_grad=True")
        }
        return Tensor.addSuffixes(prefix + body, suffixes, indent: prefix.count, lineWidth: options.lineWidth)
    }

    private static func addSuffixes(_ text: String, _ suffixes: [String], indent: Int, lineWidth: Int) -> String {
        var out = text
        let lastNewline = text.lastIndex(of: "\n").map { text.distance(from: text.startIndex, to: $0) } ?? -1
        var lastLineLength = text.count - lastNewline + 1
        for suffix in suffixes {
            if lastLineLength + suffix.count + 2 > lineWidth {
                out += ",\n" + String(repeating: " ", count: indent) + suffix
                lastLineLength = indent + suffix.count
            } else {
                out += ", " + suffix
                lastLineLength += suffix.count + 2
            }
        }
        return out + ")"
    }

    /// The bracketed values (torch's `_tensor_str`), summarised with `...` past `threshold` elements.
    func tensorString(indent: Int, options: PrintOptions) -> String {
        let summarize = count > options.threshold
        let shown = summarize ? summarizedValues(options.edgeItems) : scalars()
        let formatter = ValueFormatter(shown, floating: dtype.isFloatingPoint, options: options)
        return render(indent: indent, summarize: summarize, formatter: formatter)
    }

    /// The values the formatter sees when summarising: the edge items of every dimension.
    private func summarizedValues(_ edge: Int) -> [Scalar] {
        if rank == 0 { return scalars() }
        let rows = summarizedRows(edge)
        if rank == 1 { return rows.flatMap { $0.scalars() } }
        return rows.flatMap { $0.summarizedValues(edge) }
    }

    /// The sub-tensors along the first dimension that a summary shows (all of them, or the edges).
    private func summarizedRows(_ edge: Int) -> [Tensor] {
        let n = shape[0]
        let indices = n > 2 * edge ? Array(0..<edge) + Array((n - edge)..<n) : Array(0..<n)
        return indices.map(row)
    }

    private func render(indent: Int, summarize: Bool, formatter: ValueFormatter) -> String {
        let edge = formatter.options.edgeItems
        if rank == 0 { return formatter.format(scalars()[0]) }
        let n = shape[0]
        let elided = summarize && n > 2 * edge
        if rank == 1 {
            let values = scalars()
            let shown = elided ? values[..<edge].map(formatter.format) + [" ..."] + values[(n - edge)...].map(formatter.format)
                               : values.map(formatter.format)
            let perLine = Swift.max(1, (formatter.options.lineWidth - indent) / (formatter.width + 2))
            let lines = stride(from: 0, to: shown.count, by: perLine).map {
                shown[$0..<Swift.min($0 + perLine, shown.count)].joined(separator: ", ")
            }
            return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
        }
        let rows = elided ? summarizedRows(edge) : (0..<n).map(row)
        var parts = rows.map { $0.render(indent: indent + 1, summarize: summarize, formatter: formatter) }
        if elided { parts.insert("...", at: edge) }
        let separator = "," + String(repeating: "\n", count: rank - 1) + String(repeating: " ", count: indent + 1)
        return "[" + parts.joined(separator: separator) + "]"
    }
}

/// `torch.Size([2, 16, 768])`: a tensor's shape as torch prints it.
public struct TensorShape: Sendable, Equatable, CustomStringConvertible {
    /// The dimensions.
    public let dims: [Int]

    public init(_ dims: [Int]) { self.dims = dims }

    public var description: String { "torch.Size(" + pythonList(dims) + ")" }
}
