/// CPython 3.11's "Did you mean" for a NameError (`Python/suggestions.c`): the closest name by a Levenshtein
/// distance in which a change of case costs 1 and any other edit 2, within a budget that grows with the names'
/// lengths; local scopes first, then globals, then builtins.
enum NameSuggestions {
    private static let moveCost = 2, caseCost = 1, maxStringSize = 40

    /// The suggestion for `name` among the names of each scope, innermost first; nil when none is close enough.
    static func suggestion(for name: String, in scopes: [[String]]) -> String? {
        for names in scopes {
            if let best = closest(to: name, among: names.sorted()) { return best }
        }
        return nil
    }

    private static func closest(to name: String, among names: [String]) -> String? {
        let target = Array(name.utf8)
        var best: String?, bestDistance = Int.max
        for item in names where item != name {
            let candidate = Array(item.utf8)
            var budget = (target.count + candidate.count + 3) * moveCost / 6
            budget = min(budget, bestDistance - 1)
            let distance = levenshtein(target[...], candidate[...], maxCost: budget)
            if distance <= budget && (best == nil || distance < bestDistance) { (best, bestDistance) = (item, distance) }
        }
        return best
    }

    private static func substitutionCost(_ a: UInt8, _ b: UInt8) -> Int {
        if a & 31 != b & 31 { return moveCost }
        if a == b { return 0 }
        let lower: (UInt8) -> UInt8 = { (65...90).contains($0) ? $0 + 32 : $0 }
        return lower(a) == lower(b) ? caseCost : moveCost
    }

    /// The distance, or `maxCost + 1` as soon as it must exceed `maxCost`.
    private static func levenshtein(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>, maxCost: Int) -> Int {
        var a = a, b = b
        while let x = a.first, let y = b.first, x == y { a = a.dropFirst(); b = b.dropFirst() }
        while let x = a.last, let y = b.last, x == y { a = a.dropLast(); b = b.dropLast() }
        if a.isEmpty || b.isEmpty { return (a.count + b.count) * moveCost }
        if a.count > maxStringSize || b.count > maxStringSize { return maxCost + 1 }
        if b.count < a.count { swap(&a, &b) }
        if (b.count - a.count) * moveCost > maxCost { return maxCost + 1 }
        let a0 = Array(a)
        var buffer = (0..<a0.count).map { ($0 + 1) * moveCost }
        var result = 0
        for (bIndex, code) in b.enumerated() {
            var distance = bIndex * moveCost
            result = distance
            var minimum = Int.max
            for index in 0..<a0.count {
                let substitute = distance + substitutionCost(code, a0[index])
                distance = buffer[index]
                let insertDelete = min(result, distance) + moveCost
                result = min(insertDelete, substitute)
                buffer[index] = result
                minimum = min(minimum, result)
            }
            if minimum > maxCost { return maxCost + 1 }
        }
        return result
    }
}
