import Foundation

/// The lattice tokenizers' Unigram trainer builds over a word (`lattice.rs`): a node for each piece the word holds at
/// each position, plus BOS (node 0, ending at 0) and EOS (node 1, starting at the end). It answers the trainer's three
/// questions: the best cut (`viterbi`), the two best cuts (`nbest`, when pruning), and each piece's expected count
/// (`populateMarginal`, the E-step). Positions are code points (tokenizers' bytes: the positions inside a character
/// have no nodes, so the walks are the same).
///
/// Nodes are added position by position (`Unigram::populate_nodes`), so the nodes that start at a position are a run
/// of ids in the order added; `index()` lists the nodes that end at each position in the same order (the longest
/// first). One lattice is reused word after word, keeping its buffers.
struct TrainingLattice {
    /// Each node's piece id (BOS and EOS have the ids `bosID` and `eosID`), start, length and score.
    private(set) var ids: [Int] = []
    private var starts: [Int] = [], lengths: [Int] = [], scores: [Double] = []
    private(set) var length = 0
    private var bosID = 0
    /// Nodes starting at position `p` (before the end): `firstStarting[p]..<firstStarting[p + 1]`.
    private var firstStarting: [Int] = []
    /// Nodes ending at position `q`: `ending[firstEnding[q]..<firstEnding[q + 1]]`.
    private var ending: [Int] = [], firstEnding: [Int] = []
    /// The Viterbi walk's best score to the end of each node, and the node before it.
    private var backtrace: [Double] = [], previous: [Int] = []
    private var alpha: [Double] = [], beta: [Double] = []

    static let bos = 0, eos = 1

    /// Starts a lattice over a word of `length` code points; nodes come next, in order of position.
    mutating func reset(length: Int, bosID: Int, eosID: Int) {
        (self.length, self.bosID) = (length, bosID)
        ids.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        scores.removeAll(keepingCapacity: true)
        firstStarting.removeAll(keepingCapacity: true)
        ids += [bosID, eosID]
        starts += [0, length]
        lengths += [0, 0]
        scores += [0, 0]
    }

    /// Adds the node of piece `id` over `start..<start + length` (`Lattice::insert`), `start` never below the last's.
    mutating func insert(start: Int, length: Int, score: Double, id: Int) {
        while firstStarting.count <= start { firstStarting.append(ids.count) }
        ids.append(id)
        starts.append(start)
        lengths.append(length)
        scores.append(score)
    }

    /// Lists the nodes by where they end; call it once all nodes are in.
    mutating func index() {
        while firstStarting.count <= length { firstStarting.append(ids.count) }
        firstEnding.removeAll(keepingCapacity: true)
        firstEnding += repeatElement(0, count: length + 2)
        firstEnding[1] = 1  // BOS ends at 0
        for node in 2..<ids.count { firstEnding[starts[node] + lengths[node] + 1] += 1 }
        for q in 0...length { firstEnding[q + 1] += firstEnding[q] }
        ending.removeAll(keepingCapacity: true)
        ending += repeatElement(0, count: firstEnding[length + 1])
        var next = firstEnding
        ending[0] = Self.bos
        next[0] += 1
        for node in 2..<ids.count {
            let end = starts[node] + lengths[node]
            ending[next[end]] = node
            next[end] += 1
        }
    }

    /// The nodes starting at `p` (EOS alone at the end).
    private func starting(at p: Int) -> Range<Int> { p == length ? Self.eos..<Self.eos + 1 : firstStarting[p]..<firstStarting[p + 1] }

    /// The nodes ending at `q`.
    private func ending(at q: Int) -> ArraySlice<Int> { ending[firstEnding[q]..<firstEnding[q + 1]] }

    /// The best cut's nodes, BOS and EOS left out (`Lattice::viterbi`: the first of equal scores wins).
    mutating func viterbi() -> [Int] {
        backtrace.removeAll(keepingCapacity: true)
        backtrace += repeatElement(0, count: ids.count)
        previous.removeAll(keepingCapacity: true)
        previous += repeatElement(-1, count: ids.count)
        for p in 0...length {
            let nodes = starting(at: p), ends = ending(at: p)
            if nodes.isEmpty || ends.isEmpty { return [] }
            for right in nodes {
                var best = -1, bestScore = 0.0
                for left in ends {
                    let score = backtrace[left] + scores[right]
                    if best < 0 || score > bestScore { (best, bestScore) = (left, score) }
                }
                previous[right] = best
                backtrace[right] = bestScore
            }
        }
        var path = [Int](), node = previous[Self.eos]
        if node < 0 { return [] }
        while previous[node] >= 0 {
            path.append(node)
            node = previous[node]
        }
        return path.reversed()
    }

    /// The `n` best cuts, best first, each as its nodes (`Lattice::nbest`: an A* search from EOS back to BOS whose
    /// agenda is Rust's `BinaryHeap`, so that cuts of equal score come in the order tokenizers finds them).
    mutating func nbest(_ n: Int) -> [[Int]] {
        if n == 0 { return [] }
        if n == 1 { return [viterbi()] }
        var agenda = HypothesisHeap()
        agenda.push(Hypothesis(node: Self.eos, next: -1, fx: scores[Self.eos], gx: scores[Self.eos]))
        _ = viterbi()
        var found = [[Int]]()
        while let top = agenda.pop() {
            let hypothesis = agenda.hypotheses[top]
            if ids[hypothesis.node] == bosID {
                var path = [Int](), next = hypothesis.next
                while agenda.hypotheses[next].next >= 0 {
                    path.append(agenda.hypotheses[next].node)
                    next = agenda.hypotheses[next].next
                }
                found.append(path)
                if found.count == n { return found }
            } else {
                for left in ending(at: starts[hypothesis.node]) {
                    agenda.push(Hypothesis(node: left, next: top, fx: backtrace[left] + hypothesis.gx, gx: scores[left] + hypothesis.gx))
                }
                if agenda.count > 100_000 { agenda.keepBest(min(512, n * 10)) }
            }
        }
        return found
    }

    /// Appends each node's piece and `frequency` times its posterior probability, in the order tokenizers adds them
    /// to the piece's expected count, and returns `frequency` times the word's log-likelihood
    /// (`Lattice::populate_marginal`: forward and backward sums, a position's first neighbour, compared by piece id,
    /// starting each sum).
    mutating func populateMarginal(frequency: Double, into shares: inout [(id: Int, share: Double)]) -> Double {
        alpha.removeAll(keepingCapacity: true)
        alpha += repeatElement(0, count: ids.count)
        beta.removeAll(keepingCapacity: true)
        beta += repeatElement(0, count: ids.count)
        for p in 0...length { accumulate(&alpha, into: starting(at: p), from: ending(at: p)) }
        for p in stride(from: length, through: 0, by: -1) { accumulate(&beta, into: ending(at: p), from: starting(at: p)) }
        let z = alpha[Self.eos]
        for node in 2..<ids.count {
            shares.append((ids[node], frequency * exp(alpha[node] + scores[node] + beta[node] - z)))
        }
        return frequency * z
    }

    /// One position of the forward (or backward) pass: each of `targets` gets the log-sum of score plus sum over
    /// `sources`, where a source with the first source's piece id starts the sum afresh (`*lnode == end_nodes[pos][0]`
    /// compares nodes by id).
    private func accumulate(_ sums: inout [Double], into targets: some Collection<Int>, from sources: some Collection<Int>) {
        guard let first = sources.first else { return }
        let firstID = ids[first]
        for target in targets {
            var sum = sums[target]
            for source in sources {
                let y = scores[source] + sums[source]
                sum = ids[source] == firstID ? y : Self.logSumExp(sum, y)
            }
            sums[target] = sum
        }
    }

    /// `log(exp(x) + exp(y))` as `lattice.rs` computes it (with `ln(exp(..) + 1)`, not `log1p`).
    private static func logSumExp(_ x: Double, _ y: Double) -> Double {
        let (low, high) = x > y ? (y, x) : (x, y)
        return high > low + 50 ? high : high + log(exp(low - high) + 1)
    }
}

/// A partial cut of the n-best search: a node, the hypothesis after it (-1 for none), its estimated score `fx` (best
/// possible to BOS plus `gx`) and its score so far from EOS, `gx`.
private struct Hypothesis {
    let node: Int, next: Int
    let fx: Double, gx: Double
}

/// Rust's `std::collections::BinaryHeap` (a max-heap: `sift_up`, and `pop` by `sift_down_to_bottom` then `sift_up`)
/// over hypotheses kept in an arena, ordered by `fx` where two equal ones are never equal (`Ord for Hypothesis`:
/// `Less` only when smaller), so that ties pop in tokenizers' order.
private struct HypothesisHeap {
    private(set) var hypotheses: [Hypothesis] = []
    private var heap: [Int] = []

    var count: Int { heap.count }

    private func isLess(_ a: Int, _ b: Int) -> Bool { hypotheses[a].fx < hypotheses[b].fx }

    mutating func push(_ hypothesis: Hypothesis) {
        hypotheses.append(hypothesis)
        heap.append(hypotheses.count - 1)
        siftUp(from: heap.count - 1)
    }

    /// The index of the best hypothesis, taken off the heap (it stays in the arena).
    mutating func pop() -> Int? {
        guard var item = heap.popLast() else { return nil }
        if !heap.isEmpty {
            swap(&item, &heap[0])
            siftDownToBottom()
        }
        return item
    }

    /// Keeps only the `count` best (popped in order into a new heap), as tokenizers shrinks an agenda past 100000.
    mutating func keepBest(_ count: Int) {
        var kept = HypothesisHeap()
        kept.hypotheses = hypotheses
        for _ in 0..<count { if let best = pop() { kept.heap.append(best); kept.siftUp(from: kept.heap.count - 1) } }
        self = kept
    }

    private mutating func siftUp(from position: Int, start: Int = 0) {
        var position = position
        let element = heap[position]
        while position > start {
            let parent = (position - 1) / 2
            if isLess(element, heap[parent]) { break }
            heap[position] = heap[parent]
            position = parent
        }
        heap[position] = element
    }

    private mutating func siftDownToBottom() {
        let end = heap.count, element = heap[0]
        var position = 0, child = 1
        while child <= max(end - 2, 0) {
            if isLess(heap[child], heap[child + 1]) { child += 1 }
            heap[position] = heap[child]
            position = child
            child = 2 * position + 1
        }
        if child == end - 1 {
            heap[position] = heap[child]
            position = child
        }
        heap[position] = element
        siftUp(from: position)
    }
}
