/// numpy's `repr(array)` and `str(array)` for int64 arrays (what `return_tensors="np"` gives), laid out as numpy
/// 2's `array2string` lays them out: one width for all shown values, rows wrapped at 75 columns, `...` past 1000
/// values with 3 at each edge (and then, in the repr, the shape).
public enum NumpyPrinter {
    /// `repr(array)`: `array([[ 101, 2023,  102]])`.
    public static func repr(_ array: Tensor) -> String {
        if array.rank == 0 { return "array(\(array.int64s()[0]))" }
        if array.count == 0 {
            return array.shape == [0] ? "array([], dtype=int64)" : "array([], shape=\(pythonTuple(array.shape)), dtype=int64)"
        }
        // the closing ")" counts against the line width
        let shape = array.count > threshold ? ", shape=\(pythonTuple(array.shape))" : ""
        return "array(" + layout(array, separator: ", ", indent: "       ", lineWidth: 75 - 1) + shape + ")"
    }

    /// `str(array)`, what `print(array)` shows: `[[ 101 2023  102]]`.
    public static func str(_ array: Tensor) -> String {
        if array.rank == 0 { return "\(array.int64s()[0])" }
        if array.count == 0 { return "[]" }
        return layout(array, separator: " ", indent: " ", lineWidth: 75)
    }

    /// A Python tuple of ints: `(2, 3)`, `(4,)`.
    public static func pythonTuple(_ values: [Int]) -> String {
        values.count == 1 ? "(\(values[0]),)" : "(" + values.map(String.init).joined(separator: ", ") + ")"
    }

    static let threshold = 1000, edgeItems = 3

    /// numpy's `_formatArray`; `indent` is what continuation lines start with (a space for the `[`, and one per
    /// character of `array(`).
    private static func layout(_ array: Tensor, separator: String, indent: String, lineWidth: Int) -> String {
        let values = array.contiguous().int64s()
        let summarize = values.count > threshold
        let strides = Tensor.contiguousStrides(array.shape)
        /// The indices shown along an axis of `length`: all, or the edges around a gap (nil).
        func shown(_ length: Int) -> [Int?] {
            summarize && length > 2 * edgeItems
                ? Array(0..<edgeItems) + [nil] + Array((length - edgeItems)..<length) : Array(0..<length)
        }
        // One width for every value shown, as numpy's FormatInt takes it from the shown max and min.
        var shownValues = [Int64]()
        func collect(_ axis: Int, _ offset: Int) {
            for i in shown(array.shape[axis]).compactMap({ $0 }) {
                if axis == array.rank - 1 { shownValues.append(values[offset + i]) } else { collect(axis + 1, offset + i * strides[axis]) }
            }
        }
        collect(0, 0)
        let width = max(String(shownValues.max()!).count, String(shownValues.min()!).count)
        func format(_ v: Int64) -> String { String(repeating: " ", count: max(0, width - String(v).count)) + String(v) }

        func recurse(_ axis: Int, _ offset: Int, hangingIndent: String, currentWidth: Int) -> String {
            let nextIndent = hangingIndent + " ", nextWidth = currentWidth - 1
            let items = shown(array.shape[axis])
            var s = ""
            if axis == array.rank - 1 {
                let elementWidth = currentWidth - max(separator.trimmingTrailingSpaces.count, 1)
                var line = hangingIndent
                for (n, item) in items.enumerated() {
                    (s, line) = extend(s, line, item.map { format(values[offset + $0]) } ?? "...", width: elementWidth, indent: hangingIndent)
                    if n < items.count - 1 { line += separator }
                }
                s += line
            } else {
                let lineSeparator = separator.trimmingTrailingSpaces + String(repeating: "\n", count: array.rank - 1 - axis)
                s = items.map { item in
                    hangingIndent + (item.map { recurse(axis + 1, offset + $0 * strides[axis], hangingIndent: nextIndent, currentWidth: nextWidth) } ?? "...")
                }.joined(separator: lineSeparator)
            }
            return "[" + s.dropFirst(hangingIndent.count) + "]"
        }
        return recurse(0, 0, hangingIndent: indent, currentWidth: lineWidth)
    }

    /// numpy's `_extendLine`: `word` on the current line, or on a new one when the line would pass `width`.
    private static func extend(_ s: String, _ line: String, _ word: String, width: Int, indent: String) -> (String, String) {
        let needsWrap = line.count + word.count > width && line.count > indent.count
        return needsWrap ? (s + line.trimmingTrailingSpaces + "\n", indent + word) : (s, line + word)
    }
}

private extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
