/// How numpy 2 writes each element of an array, chosen by dtype as `arrayprint.py`'s `_get_format_function`
/// chooses: `IntegerFormat` for int64 (one width for all), `FloatingFormat` for float32 (`NumpyFloatFormat`),
/// `BoolFormat` for bool (` True` and `False`, five columns each). Made once from the values the array shows.
struct NumpyFormat {
    private let format: (Int) -> String

    /// The format for the elements of the contiguous `array` at the offsets `shown`.
    init(_ array: Tensor, shown: [Int]) {
        switch array.dtype {
        case .int64, .int32:
            let values = array.int64s()
            let width = shown.map { String(values[$0]).count }.max() ?? 0
            format = { String(values[$0]).leftPadded(to: width) }
        case .float64: format = Self.floating(array.doubles(), shown: shown)
        case .float32, .float16, .bfloat16: format = Self.floating(array.floats(), shown: shown) // no float16 arrays are made
        case .bool:
            let values = array.bools()
            let trueText = array.rank == 0 ? "True" : " True" // aligned with "False", except alone in a 0-d array
            format = { values[$0] ? trueText : "False" }
        }
    }

    /// numpy's `FloatingFormat` over `values`, made from those at the offsets `shown`.
    private static func floating<F: BinaryFloatingPoint & CustomStringConvertible>(_ values: [F], shown: [Int]) -> (Int) -> String {
        let floatFormat = NumpyFloatFormat(shown.map { values[$0] })
        return { floatFormat.format(values[$0]) }
    }

    /// The element at `offset`, formatted.
    func callAsFunction(_ offset: Int) -> String { format(offset) }
}

extension String {
    /// The string right-aligned in `width` columns.
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }

    /// The string left-aligned in `width` columns.
    func rightPadded(to width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
