import Foundation

/// `amax` / `amin` and `logsumexp`: reductions over one or more dimensions that keep no indices.
extension Tensor {
    /// `x.amax(dims)` / `x.amin(dims)`: the largest (smallest) value over `dims` (all when empty); its gradient is
    /// shared evenly by the elements equal to it (`AmaxBackward0` / `AminBackward0`).
    public func extreme(over dims: [Int], keepDim: Bool, largest: Bool) throws -> Tensor {
        let axes = try dims.isEmpty ? Array(0..<rank) : distinctDimensions(dims).sorted()
        if let empty = axes.first(where: { shape[$0] == 0 }) {
            throw TensorError("\(largest ? "amax" : "amin")(): Expected reduction dim \(empty) to have non-zero size.", kind: .indexError)
        }
        let kept = try axes.reduce(detached()) { partial, axis in
            try largest ? partial.max(dim: axis, keepDim: true).values : partial.min(dim: axis, keepDim: true).values
        }
        let out = keepDim || rank == 0 ? kept : try axes.reversed().reduce(kept) { try $0.squeezed($1) }
        let (x, rank) = (detached(), self.rank)
        return out.recorded(largest ? .amax : .amin, from: self, derivative: Derivative(versionsOf: [x, kept]) { g in
            let chosen = try x.compared(.equal, kept).to(g.dtype)
            var spread = g
            if !keepDim && rank > 0 { for axis in axes { spread = try spread.unsqueezed(axis) } }
            let ties = try axes.reduce(chosen) { try $0.sum(dim: $1, keepDim: true) }
            return [try chosen.combined(.mul, spread).combined(.div, ties)]
        })
    }

    /// `x.logsumexp(dims)`: `log(sum(exp(x)))` over `dims`, computed as torch does, past the largest value (an
    /// infinite one taken as 0) so that it cannot overflow (`LogsumexpBackward0`).
    public func logSumExp(over dims: [Int], keepDim: Bool) throws -> Tensor {
        let axes = try distinctDimensions(dims).sorted()
        if axes.contains(where: { shape[$0] == 0 }) {  // the log of an empty sum
            let kept = shape.enumerated().map { axes.contains($0.offset) ? (keepDim ? 1 : nil) : $0.element }.compactMap { $0 }
            return try Tensor(zeros: kept, dtype: floatingType).combined(.add, .float(-.infinity))
        }
        let x = detached()
        let maxes = try x.extreme(over: axes, keepDim: true, largest: true).mapFloats { $0.isInfinite ? 0 : $0 }
        var sums = try x.combined(.sub, maxes).exp()
        for axis in axes { sums = try sums.sum(dim: axis, keepDim: true) }
        var out = try sums.log().combined(.add, maxes)
        if !keepDim { out = try axes.reversed().reduce(out) { try $0.squeezed($1) } }
        let result = out.detached(), rank = self.rank
        return out.recorded(.logSumExp, from: self, derivative: Derivative(versionsOf: [x, result]) { g in
            var (spread, kept) = (g, result)
            if !keepDim && rank > 0 {
                for axis in axes { (spread, kept) = (try spread.unsqueezed(axis), try kept.unsqueezed(axis)) }
            }
            return [try spread.combined(.mul, try x.combined(.sub, kept).exp())]
        })
    }
}
