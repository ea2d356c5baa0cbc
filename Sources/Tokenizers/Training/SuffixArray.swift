/// The repeated substrings of a text, as esaxx (`esaxx_rs::suffix`, the C++ `esaxx_int32` that tokenizers' Unigram
/// trainer calls for its seed pieces) enumerates them: the internal nodes of the text's suffix tree, each a substring
/// that occurs at least twice and is followed by two different symbols (a right-branching repeat), with how often it
/// occurs, plus the root (the empty substring, as often as the text is long).
enum SuffixArray {
    /// One node: the substring `text[start..<start + length]`, which occurs `count` times.
    struct Repeat: Equatable {
        let start: Int, length: Int, count: Int
    }

    /// The nodes of `text` in esaxx's order (`esaxx_private::suffixtree`: the suffix array, `Psi`, the permuted LCP
    /// array by Kärkkäinen's method, then a stack walk over the LCP intervals).
    static func repeats(in text: [UInt32]) -> [Repeat] {
        let n = text.count
        guard n > 0 else { return [] }
        let sa = sorted(text)
        var psi = [Int](repeating: 0, count: n)
        psi[sa[0]] = sa[n - 1]
        for i in 1..<n { psi[sa[i]] = sa[i - 1] }
        var plcp = [Int](repeating: 0, count: n), h = 0
        for i in 0..<n {
            let j = psi[i]
            while i + h < n, j + h < n, text[i + h] == text[j + h] { h += 1 }
            plcp[i] = h
            if h > 0 { h -= 1 }
        }
        var lcp = sa.map { plcp[$0] }
        lcp[0] = -1
        var nodes = [Repeat]()
        var stack = [(left: -1, depth: -1)]
        for i in 0...n {
            var current = (left: i, depth: i == n ? -1 : lcp[i])
            while stack[stack.count - 1].depth > current.depth {
                let top = stack.removeLast()
                if i - top.left > 1 { nodes.append(Repeat(start: sa[top.left], length: top.depth, count: i - top.left)) }
                current.left = top.left
            }
            if stack[stack.count - 1].depth < current.depth { stack.append(current) }
            if i == n { break }
            stack.append((i, n - sa[i] + 1))
        }
        return nodes
    }

    /// The suffix array of `text`: the start of each suffix in order, a suffix before the longer ones it is a prefix
    /// of. It is unique, so prefix doubling gives the same array as esaxx's SA-IS.
    static func sorted(_ text: [UInt32]) -> [Int] {
        let n = text.count
        guard n > 1 else { return Array(0..<n) }
        var rank = text.map { UInt64($0) + 1 }  // 0 stands for past the end
        var order = [(key: UInt64, start: Int)]()
        order.reserveCapacity(n)
        var width = 1
        while true {
            order.removeAll(keepingCapacity: true)
            for i in 0..<n { order.append((rank[i] << 32 | (i + width < n ? rank[i + width] : 0), i)) }
            order.sort { $0.key < $1.key }
            var distinct: UInt64 = 1
            rank[order[0].start] = 1
            for k in 1..<n {
                if order[k].key != order[k - 1].key { distinct += 1 }
                rank[order[k].start] = distinct
            }
            if distinct == UInt64(n) { return order.map(\.start) }
            width *= 2
        }
    }
}
