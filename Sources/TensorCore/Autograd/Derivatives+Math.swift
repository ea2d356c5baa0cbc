import Foundation

/// The derivatives of the functions a learner reaches for after the course's: rounding, running sums and products,
/// norms and spreads, sorting, tiling, powers of tensors and the binary cross-entropies.
extension Derivative {
    /// `floor`, `ceil`, `round`: zero almost everywhere, as torch gives it.
    static func zero(_ x: Tensor) -> Derivative {
        let layout = x.layout
        return Derivative(saving: false) { _ in [Tensor(zeros: layout.shape, dtype: layout.dtype)] }
    }

    /// An operation torch has no derivative for: backward() through it raises torch's error.
    static func missing(_ aten: String) -> Derivative { refusing(TensorError("derivative for aten::\(aten) is not implemented")) }

    /// An operation backward() cannot go through: it raises `error`.
    static func refusing(_ error: TensorError) -> Derivative { Derivative(saving: false) { _ in throw error } }

    /// `torch.where(condition, x, y)`: the gradient to x where the condition holds and to y where it does not,
    /// each summed back to its shape.
    static func selecting(_ keep: [Bool], shape: [Int], _ x: Tensor, _ y: Tensor) -> Derivative {
        let (lx, ly) = (x.layout, y.layout)
        let other = keep.map { !$0 }
        return Derivative { g in  // keeps the condition
            [try g.kept(where: keep, shape: shape).reduced(to: lx), try g.kept(where: other, shape: shape).reduced(to: ly)]
        }
    }

    /// `x.cumsum(dim)`: each gradient summed over the positions at or after it (a reversed running sum).
    static func cumsum(_ x: Tensor, dim: Int) -> Derivative {
        let layout = x.layout
        return Derivative(saving: false) { g in
            guard layout.shape.count > 0 else { return [g] }
            let (outer, length, inner) = g.lanes(dim)
            var values = g.to(.float32).contiguous().floats()
            for lane in 0..<(outer * inner) {
                let base = (lane / inner) * length * inner + lane % inner
                for k in Swift.stride(from: length - 2, through: 0, by: -1) { values[base + k * inner] += values[base + (k + 1) * inner] }
            }
            return [Tensor(floats: values, shape: layout.shape).to(layout.dtype)]
        }
    }

    /// `x.prod(dim)` (all elements when nil): each element's gradient is the product of the others in its lane,
    /// computed from prefix and suffix products so that zeros are exact.
    static func prod(_ x: Tensor, dim: Int?, keepDim: Bool) -> Derivative {
        let x = x.detached()
        return Derivative(versionsOf: [x]) { g in
            let values = x.to(.float32).contiguous().floats()
            let (outer, length, inner) = dim.map { x.rank == 0 ? (1, 1, 1) : x.lanes($0) } ?? (1, values.count, 1)
            var spread = g
            if let dim, !keepDim, x.rank > 0 { spread = try g.unsqueezed(dim) }
            let gs = spread.to(.float32).contiguous().floats()
            var out = [Float](repeating: 0, count: values.count)
            for lane in 0..<(outer * inner) {
                let base = (lane / inner) * length * inner + lane % inner
                var before: Float = 1
                var prefix = [Float](repeating: 1, count: length)
                for k in 0..<length { prefix[k] = before; before *= values[base + k * inner] }
                var after: Float = 1
                for k in Swift.stride(from: length - 1, through: 0, by: -1) {
                    out[base + k * inner] = gs[lane] * prefix[k] * after
                    after *= values[base + k * inner]
                }
            }
            return [Tensor(floats: out, shape: x.shape).to(x.floatingType)]
        }
    }

    /// `x.norm(dim)`: `x / norm`, zero where the norm is.
    static func norm(_ x: Tensor, _ norm: Tensor, dim: Int?, keepDim: Bool) -> Derivative {
        let (x, norm) = (x.detached(), norm.detached())
        return Derivative(versionsOf: [x, norm]) { g in
            var (spreadG, spreadNorm) = (g, norm)
            if let dim, !keepDim, x.rank > 0 { (spreadG, spreadNorm) = (try g.unsqueezed(dim), try norm.unsqueezed(dim)) }
            let scale = try spreadG.combined(.div, spreadNorm).mapFloats { $0.isFinite ? $0 : 0 }
            return [try x.combined(.mul, scale)]
        }
    }

    /// `x.var(dim)` / `x.std(dim)` with `correction`: `2 (x - mean) / (n - correction)`, divided by `2 std` for std.
    static func spread(_ x: Tensor, _ result: Tensor, dim: Int?, correction: Int, keepDim: Bool, root: Bool) -> Derivative {
        let (x, result) = (x.detached(), result.detached())
        return Derivative(versionsOf: [x, result]) { g in
            let count = dim.map { x.rank == 0 ? 1 : x.shape[$0] } ?? x.count
            let centred = try x.combined(.sub, try x.mean(dim: dim, keepDim: true))
            var (spreadG, spreadResult) = (g, result)
            if let dim, !keepDim, x.rank > 0 { (spreadG, spreadResult) = (try g.unsqueezed(dim), try result.unsqueezed(dim)) }
            var scale = try spreadG.combined(.div, .float(Double(count - correction)))
            scale = root ? try scale.combined(.div, spreadResult) : try scale.combined(.mul, .float(2))
            return [try centred.combined(.mul, scale)]
        }
    }

    /// `sort` / `topk` values: each gradient goes back to the position its index names along `dim`.
    static func gathered(_ x: Tensor, dim: Int, indices: Tensor) -> Derivative {
        let layout = x.layout, chosen = indices.int64s(), picked = indices.shape
        return Derivative { g in  // keeps the indices
            guard !layout.shape.isEmpty else { return [g] }
            let gs = g.to(.float32).contiguous().floats(), (outer, length, inner) = x.lanes(dim), taken = picked[dim]
            var out = [Float](repeating: 0, count: outer * length * inner)
            for o in 0..<outer {
                for k in 0..<taken {
                    for i in 0..<inner {
                        let position = (o * taken + k) * inner + i
                        out[(o * length + Int(chosen[position])) * inner + i] += gs[position]
                    }
                }
            }
            return [Tensor(floats: out, shape: layout.shape).to(layout.dtype)]
        }
    }

    /// `x.repeat(sizes)`: the gradient of every tile summed back (`sizes` may add leading dimensions).
    static func repeated(_ x: Tensor, _ sizes: [Int]) -> Derivative {
        let layout = x.layout
        let source = [Int](repeating: 1, count: sizes.count - x.rank) + x.shape
        return Derivative(saving: false) { g in
            // [times0, size0, times1, size1, ...], summed over each `times`
            var split = try g.reshaped(zip(sizes, source).flatMap { [$0, $1] })
            for d in Swift.stride(from: 2 * sizes.count - 2, through: 0, by: -2) { split = try split.sum(dim: d) }
            return [try split.reshaped(layout.shape)]
        }
    }

    /// `x ** y` for two tensors: `y x^(y-1)` for x and `x^y log x` for y (zero where x is 0 and y is not negative).
    static func power(_ x: Tensor, _ y: Tensor, result: Tensor) -> Derivative {
        let (x, y, result) = (x.detached(), y.detached(), result.detached())
        let (lx, ly) = (x.layout, y.layout)
        return Derivative(versionsOf: [x, y, result]) { g in
            let gx = try g.combined(.mul, try y.combined(.mul, try x.pow(try y.combined(.sub, .float(1)))))
            let logs = try x.to(.float32).combined(.mul, .float(1)).mapFloats { $0 == 0 ? 0 : Foundation.logf($0) }
            let gy = try g.combined(.mul, try result.combined(.mul, logs))
            return [try gx.reduced(to: lx), try gy.reduced(to: ly)]
        }
    }

    /// `base ** x`: `base^x log(base)`.
    static func power(base: Double, _ result: Tensor) -> Derivative {
        let result = result.detached()
        return Derivative(versionsOf: [result]) { g in [try g.combined(.mul, try result.combined(.mul, .float(Foundation.log(base))))] }
    }

    /// `binary_cross_entropy(x, y)`: `(x - y) / max((1 - x) x, 1e-12)`, scaled by the reduction; none for y, as in
    /// torch (whose derivative for the target is not implemented).
    static func binaryCrossEntropy(_ x: Tensor, _ y: Tensor, reduction: LossReduction) -> Derivative {
        let (x, y) = (x.detached(), y.detached())
        return Derivative(versionsOf: [x, y]) { g in
            let denominator = try x.combined(.mul, x.negated().combined(.add, .float(1))).mapFloats { Swift.max($0, 1e-12) }
            let gx = try x.combined(.sub, y).combined(.div, denominator).combined(.mul, g)
            return [try reduction.scaledGradient(gx), nil]
        }
    }

    /// `binary_cross_entropy_with_logits(x, y)`: `sigmoid(x) - y` for x and `-x` for y, scaled by the reduction.
    static func binaryCrossEntropyWithLogits(_ x: Tensor, _ y: Tensor, reduction: LossReduction) -> Derivative {
        let (x, y) = (x.detached(), y.detached())
        return Derivative(versionsOf: [x, y]) { g in
            let gx = try x.sigmoid().combined(.sub, y).combined(.mul, g)
            let gy = try x.negated().combined(.mul, g)
            return [try reduction.scaledGradient(gx), try reduction.scaledGradient(gy)]
        }
    }

    /// `cosine_similarity(a, b, dim)`, as torch computes it (each side divided by its norm, at least `eps`, then the
    /// products summed): `g (b̂ - cos â) / |a|` for a, and the same for b.
    static func cosineSimilarity(_ a: Tensor, _ b: Tensor, dim: Int, eps: Double) -> Derivative {
        let (a, b) = (a.detached(), b.detached())
        return Derivative(versionsOf: [a, b]) { g in
            func normalized(_ x: Tensor) throws -> (unit: Tensor, norm: Tensor, clamped: Tensor) {
                let norm = try x.combined(.mul, x).sum(dim: dim, keepDim: true).sqrt()
                let clamped = norm.mapFloats { Swift.max($0, Float(eps)) }
                return (try x.combined(.div, clamped), norm, clamped)
            }
            let (na, nb) = (try normalized(a), try normalized(b))
            let cos = try na.unit.combined(.mul, nb.unit).sum(dim: dim, keepDim: true)
            let spread = try g.unsqueezed(dim)
            func side(_ own: (unit: Tensor, norm: Tensor, clamped: Tensor), _ other: Tensor) throws -> Tensor {
                // past the clamp the norm is a constant, and the projection term drops out
                let kept = try own.norm.combined(.sub, .float(eps)).mapFloats { $0 >= 0 ? 1 : 0 }
                let projection = try cos.combined(.mul, own.unit).combined(.mul, kept)
                return try other.combined(.sub, projection).combined(.div, own.clamped).combined(.mul, spread)
            }
            return [try side(na, nb.unit), try side(nb, na.unit)]
        }
    }
}

extension LossReduction {
    /// A loss's elementwise gradient as the reduction scales it: divided by the count for a mean.
    func scaledGradient(_ gradient: Tensor) throws -> Tensor {
        self == .mean ? try gradient.combined(.div, .float(Double(Swift.max(gradient.count, 1)))) : gradient
    }
}
