import PythonText

/// numpy's `repr(array)` and `str(array)` for int64, float64, float32 and bool arrays (what `return_tensors="np"` and
/// `tensor.numpy()` give), laid out as numpy 2's `array2string` lays them out: each element as its dtype's
/// `NumpyFormat` writes it, rows wrapped at 75 columns, `...` past 1000 values with 3 at each edge (and then, in the
/// repr, the shape), and the dtype in the repr where the values do not imply it (`dtype=float32`).
public enum NumpyPrinter {
    /// `repr(array)`: `array([[ 101, 2023,  102]])`, `array([0.5 , 0.25], dtype=float32)`, `array([ True, False])`.
    public static func repr(_ array: Tensor) -> String {
        // numpy's _array_repr_implementation: the shape and dtype it cannot infer from the text, after a space, or on
        // a line of their own when they would pass the line width
        var extras = [String]()
        if (array.count == 0 && array.shape != [0]) || array.count > threshold { extras.append("shape=\(pythonTuple(array.shape))") }
        if !impliedByValues(array.dtype) || array.count == 0 { extras.append("dtype=\(dtypeName(array.dtype))") }
        // the closing ")" counts against the line width
        let body = "array(" + (array.count == 0 ? "[]" : layout(array, separator: ", ", indent: "       ", lineWidth: lineWidth - 1))
        guard !extras.isEmpty else { return body + ")" }
        let extra = extras.joined(separator: ", ") + ")"
        let lastLine = body.split(separator: "\n", omittingEmptySubsequences: false).last!.count + 1 // with the ","
        return body + "," + (lastLine + extra.count + 1 > lineWidth ? "\n      " : " ") + extra
    }

    /// `str(array)`, what `print(array)` shows: `[[ 101 2023  102]]`; a 0-d array as its scalar.
    public static func str(_ array: Tensor) -> String {
        if array.rank == 0 && array.dtype == .float32 { return float32Str(array.floats()[0]) } // the scalar's str, unpadded
        if array.rank == 0 && array.dtype == .float64 { return pythonRepr(array.doubles()[0]) } // np.float64's str is Python's
        if array.count == 0 { return "[]" }
        return layout(array, separator: " ", indent: " ", lineWidth: lineWidth)
    }

    /// `str(np.float32(value))`: `0.5`, `100.0`, `1e-05`, `nan` (its repr is `np.float32(...)` around it).
    public static func float32Str(_ value: Float) -> String { NumpyFloatFormat.scalar(value) }

    /// numpy's name of `dtype`: `float32`, `int64`, `bool`.
    public static func dtypeName(_ dtype: DType) -> String { String(dtype.torchName.dropFirst("torch.".count)) }

    /// numpy's `dtype_is_implied`: whether the repr leaves the dtype out (numpy's default int and float, int64 and
    /// float64, and bool).
    private static func impliedByValues(_ dtype: DType) -> Bool { dtype == .int64 || dtype == .float64 || dtype == .bool }

    /// A Python tuple of ints: `(2, 3)`, `(4,)`.
    public static func pythonTuple(_ values: [Int]) -> String {
        values.count == 1 ? "(\(values[0]),)" : "(" + values.map(String.init).joined(separator: ", ") + ")"
    }

    static let threshold = 1000, edgeItems = 3, lineWidth = 75

    /// numpy's `_formatArray`; `indent` is what continuation lines start with (a space for the `[`, and one per
    /// character of `array(`).
    private static func layout(_ array: Tensor, separator: String, indent: String, lineWidth: Int) -> String {
        let array = array.contiguous()
        let summarize = array.count > threshold
        let strides = Tensor.contiguousStrides(array.shape)
        /// The indices shown along an axis of `length`: all, or the edges around a gap (nil).
        func shown(_ length: Int) -> [Int?] {
            summarize && length > 2 * edgeItems
                ? Array(0..<edgeItems) + [nil] + Array((length - edgeItems)..<length) : Array(0..<length)
        }
        // The format sees only the values shown, as numpy's formatters see `_leading_trailing(data)`.
        var shownOffsets = [Int]()
        func collect(_ axis: Int, _ offset: Int) {
            guard axis < array.rank else { return shownOffsets.append(offset) }
            for i in shown(array.shape[axis]).compactMap({ $0 }) { collect(axis + 1, offset + i * strides[axis]) }
        }
        collect(0, 0)
        let format = NumpyFormat(array, shown: shownOffsets)
        if array.rank == 0 { return format(0) }

        func recurse(_ axis: Int, _ offset: Int, hangingIndent: String, currentWidth: Int) -> String {
            let nextIndent = hangingIndent + " ", nextWidth = currentWidth - 1
            let items = shown(array.shape[axis])
            var s = ""
            if axis == array.rank - 1 {
                let elementWidth = currentWidth - max(separator.trimmingTrailingSpaces.count, 1)
                var line = hangingIndent
                for (n, item) in items.enumerated() {
                    (s, line) = extend(s, line, item.map { format(offset + $0) } ?? "...", width: elementWidth, indent: hangingIndent)
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
