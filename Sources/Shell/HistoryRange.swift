/// The input ranges of `%history` and `%save`, as IPython's `extract_hist_ranges` reads them in this session:
/// `4` (one cell), `2-4` (inclusive), `2:4` (end excluded), several separated by spaces.
enum HistoryRange {
    /// The ranges `text` names; empty text is every cell (`1...last`). A malformed range is a `UsageError`.
    static func parse(_ text: String, last: Int) throws(UsageError) -> [ClosedRange<Int>] {
        let words = text.split(separator: " ")
        guard !words.isEmpty else { return last >= 1 ? [1...last] : [] }
        return try words.map { word throws(UsageError) in
            let bounds = word.split(separator: word.contains(":") ? ":" : "-", maxSplits: 1, omittingEmptySubsequences: false)
            let numbers = bounds.map { Int($0) }
            guard let start = numbers.first ?? nil, start >= 0 else { throw UsageError("invalid history range '\(word)'") }
            guard bounds.count == 2 else { return start...start }
            guard let end = numbers[1] else { throw UsageError("invalid history range '\(word)'") }
            let upper = word.contains(":") ? end - 1 : end
            return start...max(start, upper)
        }
    }
}
