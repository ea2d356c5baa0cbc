import Foundation

/// The derivatives sbpl knows, one factory per operation, as torch's derivatives.yaml lists them: each takes what
/// the forward pass must save (detached, so a node never holds its own result's history) and gives the inputs'
/// gradients, in the order the operation records its inputs, from the result's gradient `g`.
extension Derivative {
    // MARK: Elementwise

    /// `a op b`, broadcast: each gradient summed back to its operand's shape.
    static func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) -> Derivative {
        let (aNeedsB, bNeedsA) = (a.requiresGrad, b.requiresGrad)  // what each input's gradient reads
        let (a, b) = (a.detached(), b.detached())
        let (la, lb) = (a.layout, b.layout)
        switch op {
        case .add: return Derivative(saving: false) { g in [try g.reduced(to: la), try g.reduced(to: lb)] }
        case .sub: return Derivative(saving: false) { g in [try g.reduced(to: la), try g.negated().reduced(to: lb)] }
        case .mul: return Derivative(versionsOf: needed((a, bNeedsA), (b, aNeedsB))) { g in [try g.combined(.mul, b).reduced(to: la), try g.combined(.mul, a).reduced(to: lb)] }
        case .div:
            return Derivative(versionsOf: needed((a, bNeedsA), (b, true))) { g in
                let ga = try g.combined(.div, b)
                return [try ga.reduced(to: la), try ga.combined(.mul, a).combined(.div, b).negated().reduced(to: lb)]
            }
        case .floorDivide: return .missing("floor_divide")
        case .remainder:  // a - floor(a / b) b
            return Derivative(versionsOf: [a, b]) { g in
                [try g.reduced(to: la), try g.combined(.mul, try a.combined(.floorDivide, b)).negated().reduced(to: lb)]
            }
        }
    }

    /// `x op s`, or `s op x` when `reversed`, for a Python number `s`; `result` is the operation's.
    static func scalar(_ op: BinaryOp, _ s: Scalar, reversed: Bool, _ x: Tensor, result: Tensor) -> Derivative {
        let layout = x.layout
        switch (op, reversed) {
        case (.add, _), (.sub, false): return Derivative(saving: false) { g in [try g.reduced(to: layout)] }
        case (.sub, true): return Derivative(saving: false) { g in [try g.negated().reduced(to: layout)] }
        case (.mul, _): return Derivative { g in [try g.combined(.mul, s).reduced(to: layout)] }  // torch saves the number
        case (.div, false): return Derivative { g in [try g.combined(.div, s).reduced(to: layout)] }
        case (.remainder, false): return Derivative(saving: false) { g in [try g.reduced(to: layout)] }
        case (.floorDivide, _): return .missing("floor_divide")
        case (.remainder, true): return .missing("remainder")
        case (.div, true):  // d(s / x) = -(s / x)² / s, from the result as torch's reciprocal saves it
            let y = result.detached()
            return Derivative(versionsOf: [y]) { g in
                guard s.doubleValue != 0 else { return [Tensor(zeros: layout.shape, dtype: layout.dtype)] }
                return [try g.combined(.mul, y).combined(.mul, y).combined(.div, s).negated().reduced(to: layout)]
            }
        }
    }

    /// An elementwise function whose derivative is `slope` of its input or of its result (`f'(x) = slope(x, y)`).
    /// Which tensor an elementwise derivative reads: the operation's input or its result.
    public enum Side: Sendable { case input, result }

    /// An elementwise function of `x` whose slope is `slope(read)`, `read` its input or its result.
    static func elementwise(_ x: Tensor, _ read: Tensor, slope: @escaping @Sendable (Float) -> Float) -> Derivative {
        let (read, type) = (read.detached(), x.floatingType)
        return Derivative(versionsOf: [read]) { g in
            let slopes = Tensor(floats: read.to(.float32).contiguous().floats().map(slope), shape: read.shape)
            return [try g.combined(.mul, slopes).to(type)]
        }
    }

    /// The saved tensors a formula reads for the inputs that get a gradient: each tensor with whether it is needed.
    static func needed(_ tensors: (Tensor, Bool)...) -> [Tensor] { tensors.filter(\.1).map(\.0) }

    /// `-x`.
    static var negation: Derivative { Derivative(saving: false) { g in [g.negated()] } }

    /// `x ** e` for a number `e`: `e * x ** (e - 1)`, zero where `e` is 0.
    static func power(_ x: Tensor, _ e: Double) -> Derivative {
        let x = x.detached()
        return Derivative(versionsOf: [x]) { g in
            guard e != 0 else { return [Tensor(zeros: x.shape, dtype: x.floatingType)] }
            return [try g.combined(.mul, try x.pow(.float(e - 1)).combined(.mul, .float(e)))]
        }
    }

    /// The exact GELU's slope: `Φ(x) + x φ(x)`.
    static func geluSlope(_ x: Float) -> Float {
        let (xd, root2) = (Double(x), 2.0.squareRoot())
        return Float(0.5 * (1 + Foundation.erf(xd / root2)) + xd * Foundation.exp(-0.5 * xd * xd) / (2 * Double.pi).squareRoot())
    }

    // MARK: Reductions

    /// `x.sum(dim)` (all elements when nil), divided by `divisor` for a mean: the gradient spread back over what
    /// was summed.
    static func sum(_ x: Tensor, dim: Int?, keepDim: Bool, divisor: Int = 1) -> Derivative {
        sum(x, dims: dim.map { [$0] }, keepDim: keepDim, divisor: divisor)
    }

    /// `x.sum(dims)` over several dimensions (all when nil), divided by `divisor` for a mean.
    static func sum(_ x: Tensor, dims: [Int]?, keepDim: Bool, divisor: Int = 1) -> Derivative {
        let shape = x.shape
        let restored = (dims ?? []).map { $0 < 0 ? $0 + shape.count : $0 }.sorted()
        return Derivative(saving: false) { g in
            var spread = g
            if dims != nil, !keepDim, !shape.isEmpty {
                for dim in restored { spread = try spread.unsqueezed(dim) }
            }
            let expanded = spread.expanded(to: shape)
            return [divisor == 1 ? expanded : try expanded.combined(.div, .float(Double(divisor)))]
        }
    }

    /// `x.max()` / `x.min()`: the gradient shared evenly by the elements equal to the result, as torch does.
    static func extreme(_ x: Tensor, _ value: Tensor) -> Derivative {
        let (x, value) = (x.detached(), value.detached())
        return Derivative(versionsOf: [x, value]) { g in
            let target = try value.item().doubleValue
            let chosen = x.to(.float64).contiguous().doubles().map { target.isNaN ? $0.isNaN : $0 == target }
            let share = Float(try g.item().doubleValue / Double(chosen.filter { $0 }.count))
            return [Tensor(floats: chosen.map { $0 ? share : 0 }, shape: x.shape).to(x.floatingType)]
        }
    }

    /// `x.max(dim)` / `x.min(dim)`: each gradient goes to the element its index names.
    static func extreme(_ x: Tensor, dim: Int, keepDim: Bool, indices: Tensor) -> Derivative {
        guard x.rank > 0 else { return .identity(x) }
        let layout = x.layout, (outer, length, inner) = x.lanes(dim), chosen = indices.int64s()
        return Derivative { g in  // keeps the indices
            let gs = g.to(.float32).contiguous().floats()
            var out = [Float](repeating: 0, count: outer * length * inner)
            for o in 0..<outer {
                for i in 0..<inner { out[(o * length + Int(chosen[o * inner + i])) * inner + i] = gs[o * inner + i] }
            }
            return [Tensor(floats: out, shape: layout.shape).to(layout.dtype)]
        }
    }

    /// `softmax(x, dim)` from its result `y`: `y * (g - sum(g * y))`.
    static func softmax(_ y: Tensor, dim: Int) -> Derivative {
        let y = y.detached()
        return Derivative(versionsOf: [y]) { g in
            let inner = try g.combined(.mul, y).sum(dim: dim, keepDim: true)
            return [try y.combined(.mul, try g.combined(.sub, inner))]
        }
    }

    /// `log_softmax(x, dim)` from its result `y`: `g - exp(y) * sum(g)`.
    static func logSoftmax(_ y: Tensor, dim: Int) -> Derivative {
        let y = y.detached()
        return Derivative(versionsOf: [y]) { g in [try g.combined(.sub, try y.exp().combined(.mul, try g.sum(dim: dim, keepDim: true)))] }
    }

    // MARK: Views

    /// A view of the same elements in another shape (`view`, `reshape`, `squeeze`, `unsqueeze`).
    static func reshape(_ x: Tensor) -> Derivative {
        let shape = x.shape
        return Derivative(saving: false) { g in [try g.reshaped(shape)] }
    }

    /// `x.permute(order)` (and `transpose`): the gradient permuted back.
    static func permute(_ order: [Int]) -> Derivative {
        var inverse = order
        for (position, dim) in order.enumerated() { inverse[dim] = position }
        return Derivative(saving: false) { [inverse] g in [try g.permuted(inverse)] }
    }

    /// `x[indices]`: the gradient written into zeros of `x`'s shape at the same place.
    static func index(_ x: Tensor, _ indices: [TensorIndex]) -> Derivative { gathered(x, indices.map(IndexEntry.basic)) }

    /// `torch.cat(tensors, dim)`: each tensor gets its stretch of the gradient along `dim`.
    static func cat(_ tensors: [Tensor], dim: Int) -> Derivative {
        let layouts = tensors.map(\.layout)
        return Derivative(saving: false) { g in
            var start = 0
            return try layouts.map { layout in
                defer { start += layout.shape[dim] }
                return try g.narrowed(dim, start: start, length: layout.shape[dim]).reduced(to: layout)
            }
        }
    }

    /// `torch.stack(tensors, dim)`: each tensor gets its slice of the gradient along the new `dim`.
    static func stack(_ tensors: [Tensor], dim: Int) -> Derivative {
        let layouts = tensors.map(\.layout)
        return Derivative(saving: false) { g in
            try layouts.enumerated().map { i, layout in try g.narrowed(dim, start: i, length: 1).reshaped(layout.shape).reduced(to: layout) }
        }
    }

    /// One part of `x.split(...)` along `dim`: its gradient written into zeros of `x`'s shape at the part's place.
    static func narrow(_ x: Tensor, dim: Int, start: Int, length: Int) -> Derivative {
        let layout = x.layout
        return Derivative(saving: false) { g in
            let out = Tensor(zeros: layout.shape, dtype: layout.dtype)
            try out.narrowed(dim, start: start, length: length).copyIn(g)
            return [out]
        }
    }

    /// `x.index_select(0, rows)` (and `x[[1, 0]]`): each gradient row added back into the row it came from.
    static func rows(_ x: Tensor, _ rows: [Int]) -> Derivative {
        let layout = x.layout
        return Derivative { g in  // keeps the rows
            let out = Tensor(zeros: layout.shape, dtype: layout.dtype)
            for (i, row) in rows.enumerated() {
                try out.assign(try out.view(at: [.at(row)]).detached().combined(.add, try g.view(at: [.at(i)])), at: [.at(row)])
            }
            return [out]
        }
    }

    /// `x[key]` with position or mask tensors: the gradient added back at the places picked, a place picked twice
    /// getting both; a key of ints, slices, None and `...` alone writes it into the view it picks, at once.
    static func gathered(_ x: Tensor, _ key: [IndexEntry]) -> Derivative {
        let layout = x.layout
        let basic = key.compactMap { if case .basic(let index) = $0 { index } else { nil } }
        return Derivative(saving: false) { g in
            let out = Tensor(zeros: layout.shape, dtype: layout.dtype)
            if basic.count == key.count { try out.assign(g, at: basic) } else { try out.accumulate(g, at: key) }
            return [out]
        }
    }

    /// `x.masked_fill(mask, value)`: the gradient where the mask is false, zero where it is true.
    static func masked(_ x: Tensor, _ mask: Tensor) -> Derivative {
        let layout = x.layout, open = mask.expanded(to: x.shape).bools().map { !$0 }
        return Derivative { g in [g.kept(where: open, shape: layout.shape).to(layout.dtype)] }  // keeps the mask
    }

    /// An operation whose gradient is the result's, reduced to the input's shape and type (`clone`, `expand`,
    /// `to(dtype)`, the residual of a fused linear layer).
    static func identity(_ x: Tensor) -> Derivative {
        let layout = x.layout
        return Derivative(saving: false) { g in [try g.reduced(to: layout)] }
    }

    // MARK: Products

    /// `a @ b` for any ranks: a vector is a matrix of one row (`a`) or column (`b`), batch dimensions broadcast.
    static func matmul(_ a: Tensor, _ b: Tensor) -> Derivative {
        let versions = needed((a, b.requiresGrad), (b, a.requiresGrad))
        let (a, b) = (a.detached(), b.detached())
        return Derivative(versionsOf: versions) { g in
            let a2 = a.rank == 1 ? try a.unsqueezed(0) : a, b2 = b.rank == 1 ? try b.unsqueezed(1) : b
            var g2 = g
            if a.rank == 1 { g2 = try g2.unsqueezed(g2.rank - (b.rank == 1 ? 0 : 1)) }
            if b.rank == 1 { g2 = try g2.unsqueezed(g2.rank) }
            let ga = try g2.matmul(try b2.transposed(-1, -2)).reduced(to: a2.layout).reshaped(a.shape)
            let gb = try a2.transposed(-1, -2).matmul(g2).reduced(to: b2.layout).reshaped(b.shape)
            return [ga, gb]
        }
    }

    /// `linear(x, weight, bias) (+ residual)` with a weight stored `[out, in]` (`[in, out]` when `transposed`,
    /// GPT-2's Conv1D): gradients for x, the weight, the bias and the residual, in that order.
    static func linear(_ x: Tensor, _ weight: Tensor, hasBias: Bool, hasResidual: Bool, transposed: Bool = false) -> Derivative {
        let versions = needed((x, weight.requiresGrad), (weight, x.requiresGrad))
        let (x, weight) = (x.detached(), weight.detached())
        return Derivative(versionsOf: versions) { g in
            let parts = try linearGradients(g, x, transposed ? try weight.transposed(0, 1) : weight, hasBias: hasBias)
            return [parts.x, transposed ? try parts.weight.transposed(0, 1) : parts.weight, parts.bias, hasResidual ? g : nil]
        }
    }

    /// `gelu(linear(x, weight, bias))`: the pre-activation computed again, then as `linear`.
    static func linearGELU(_ x: Tensor, _ weight: Tensor, _ bias: Tensor) -> Derivative {
        let (x, weight, bias) = (x.detached(), weight.detached(), bias.detached())
        return Derivative(versionsOf: [x, weight, bias]) { g in
            let h = try x.linear(weight: weight, bias: bias)
            let slopes = h.mapFloats(geluSlope)
            let parts = try linearGradients(try g.combined(.mul, slopes), x, weight, hasBias: true)
            return [parts.x, parts.weight, parts.bias]
        }
    }

    private static func linearGradients(_ g: Tensor, _ x: Tensor, _ weight: Tensor,
                                        hasBias: Bool) throws -> (x: Tensor, weight: Tensor, bias: Tensor?) {
        let (outputs, inputs) = (weight.shape[0], weight.shape[1]), count = x.shape.dropLast().reduce(1, *)
        let rows = try g.reshaped([count, outputs])
        let gx = try g.matmul(weight).reshaped(x.shape)
        let gw = try rows.transposed(0, 1).matmul(try x.reshaped([count, inputs]))
        return (gx, gw, hasBias ? try rows.sum(dim: 0) : nil)
    }

    // MARK: Layers

    /// `layer_norm(x, weight, bias, eps)` over the last dimension: with `x̂ = (x - mean) * rstd` and `ĝ = g * weight`,
    /// x gets `rstd * (ĝ - mean(ĝ) - x̂ * mean(ĝ * x̂))`, the weight `sum(g * x̂)` and the bias `sum(g)` over the rows.
    static func layerNorm(_ x: Tensor, _ weight: Tensor, eps: Float) -> Derivative {
        let (x, weight) = (x.detached(), weight.detached())
        return Derivative(versionsOf: [x, weight]) { g in
            let n = weight.count, xs = x.to(.float32).contiguous().floats(), gs = g.to(.float32).contiguous().floats()
            let w = weight.to(.float32).contiguous().floats()
            var (gx, gw, gb) = ([Float](repeating: 0, count: xs.count), [Double](repeating: 0, count: n), [Double](repeating: 0, count: n))
            for start in stride(from: 0, to: xs.count, by: Swift.max(n, 1)) {
                let row = xs[start..<start + n]
                let mean = row.reduce(0.0) { $0 + Double($1) } / Double(n)
                let variance = row.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(n)
                let rstd = 1 / (variance + Double(eps)).squareRoot()
                let normalized = row.map { (Double($0) - mean) * rstd }
                let scaled = (0..<n).map { Double(gs[start + $0]) * Double(w[$0]) }
                let meanScaled = scaled.reduce(0, +) / Double(n)
                let meanProduct = zip(scaled, normalized).reduce(0.0) { $0 + $1.0 * $1.1 } / Double(n)
                for j in 0..<n {
                    gx[start + j] = Float(rstd * (scaled[j] - meanScaled - normalized[j] * meanProduct))
                    gw[j] += Double(gs[start + j]) * normalized[j]
                    gb[j] += Double(gs[start + j])
                }
            }
            return [Tensor(floats: gx, shape: x.shape).to(x.floatingType), Tensor(floats: gw.map { Float($0) }, shape: weight.shape),
                    Tensor(floats: gb.map { Float($0) }, shape: weight.shape)]
        }
    }

    /// `embedding(ids)` of a `[rows, dim]` table: each id's gradient row added into the table's gradient, none
    /// into the padding row.
    static func embedding(_ table: Tensor, ids: [Int64], paddingIdx: Int?) -> Derivative {
        let shape = table.shape
        return Derivative { g in  // keeps the ids
            let dim = shape[1], gs = g.to(.float32).contiguous().floats()
            var out = [Float](repeating: 0, count: shape[0] * dim)
            for (i, id) in ids.enumerated() where Int(id) != paddingIdx {
                for j in 0..<dim { out[Int(id) * dim + j] += gs[i * dim + j] }
            }
            return [Tensor(floats: out, shape: shape)]
        }
    }

    /// `scaled_dot_product_attention(q, k, v)` with a key mask (and causal order), as torch's flash-attention CPU
    /// backward computes it: the scores `S` again (masked keys at float32's lowest value), `P = exp(S - lse)` from
    /// their float32 log-sum-exp, `dV = Pᵀ g`, `dS = P * (g Vᵀ - rowsum(g * O))`, `dQ = scale dS K`,
    /// `dK = scale dSᵀ Q`. (In a row whose keys are all masked, the lowest value swallows the log of the sum, so
    /// `P` is 1 there, not the forward's uniform weights: torch's gradient, kept.)
    static func attention(_ query: Tensor, _ key: Tensor, _ value: Tensor, keep: [Bool], scale: Float, causal: Bool) -> Derivative {
        let (saved, dtype) = ([query.detached(), key.detached(), value.detached()], query.dtype)
        return Derivative(versionsOf: saved) { g in
            // in float32 (float16 and bfloat16 too, their gradients rounded back to the type at the end)
            let (q, k, v, g) = (saved[0].to(.float32), saved[1].to(.float32), saved[2].to(.float32), g.to(.float32))
            let (batch, queries, keys) = (q.shape[0], q.shape[2], k.shape[2])
            var bias = [Float](repeating: 0, count: batch * queries * keys)
            for b in 0..<batch {
                for i in 0..<queries {
                    for j in 0..<keys where !keep[b * keys + j] || (causal && j > keys - queries + i) {
                        bias[(b * queries + i) * keys + j] = -.greatestFiniteMagnitude  // as the forward masks
                    }
                }
            }
            let scores = try q.matmul(try k.transposed(-1, -2)).combined(.mul, .float(Double(scale)))
                .combined(.add, Tensor(floats: bias, shape: [batch, 1, queries, keys]))
            let top = try scores.max(dim: -1, keepDim: true).values
            let lse = try top.combined(.add, try scores.combined(.sub, top).exp().sum(dim: -1, keepDim: true).log())
            let p = try scores.combined(.sub, lse).exp()
            let out = try scores.softmax(dim: -1).matmul(v)
            let gv = try p.transposed(-1, -2).matmul(g)
            let gp = try g.matmul(try v.transposed(-1, -2))
            let gs = try p.combined(.mul, try gp.combined(.sub, try g.combined(.mul, out).sum(dim: -1, keepDim: true)))
                .combined(.mul, .float(Double(scale)))
            return [try gs.matmul(k).to(dtype), try gs.transposed(-1, -2).matmul(q).to(dtype), gv.to(dtype)]
        }
    }

    // MARK: Losses

    /// `cross_entropy(logits, targets)`: `softmax(logits) - onehot(target)` per row, weighted by the reduction
    /// (zero for an ignored target).
    static func crossEntropy(_ logits: Tensor, targets: [Int64], ignoreIndex: Int, reduction: LossReduction,
                             counted: Int) -> Derivative {
        let logits = logits.detached()
        return Derivative(versionsOf: [logits]) { g in
            let probabilities = try logits.softmax(dim: 1).floats()
            return [perTarget(g, targets, ignoreIndex: ignoreIndex, reduction: reduction, counted: counted, layout: logits.layout) { n, c, label in
                probabilities[n * logits.shape[1] + c] - (c == label ? 1 : 0)
            }]
        }
    }

    /// `nll_loss(x, targets)`: -1 at each target's place, scaled by the reduction.
    static func nllLoss(_ x: Tensor, targets: [Int64], ignoreIndex: Int, reduction: LossReduction, counted: Int) -> Derivative {
        let layout = x.layout
        return Derivative(saving: false) { g in
            [perTarget(g, targets, ignoreIndex: ignoreIndex, reduction: reduction, counted: counted, layout: layout) { _, c, label in c == label ? -1 : nil }]
        }
    }

    /// A class loss's gradient over `[N, C]` scores of `layout`: each counted row's `slope(n, c, label)` times the
    /// row's share of `g` (zero where the slope is nil), in the scores' type.
    private static func perTarget(_ g: Tensor, _ targets: [Int64], ignoreIndex: Int, reduction: LossReduction, counted: Int,
                                  layout: TensorLayout, slope: (Int, Int, Int) -> Float?) -> Tensor {
        let grads = g.to(.float32).contiguous().floats(), shape = layout.shape, classes = shape[1]
        var out = [Float](repeating: 0, count: shape[0] * classes)
        for (n, label) in targets.enumerated() where label != Int64(ignoreIndex) {
            let weight: Float = switch reduction {
            case .mean: grads[0] / Float(counted)
            case .sum: grads[0]
            case .none: grads[n]
            }
            for c in 0..<classes { if let slope = slope(n, c, Int(label)) { out[n * classes + c] = weight * slope } }
        }
        return Tensor(floats: out, shape: shape).to(layout.dtype)
    }

    /// `mse_loss(x, target)`: `2 (x - target)`, scaled by the reduction.
    static func mseLoss(_ x: Tensor, _ target: Tensor, reduction: LossReduction) -> Derivative {
        let (x, target) = (x.detached(), target.detached())
        let (lx, lt) = (x.layout, target.layout)
        return Derivative(versionsOf: [x, target]) { g in
            var gx = try x.combined(.sub, target).combined(.mul, g).combined(.mul, .float(2))
            if reduction == .mean { gx = try gx.combined(.div, .float(Double(Swift.max(gx.count, 1)))) }
            return [try gx.reduced(to: lx), try gx.negated().reduced(to: lt)]
        }
    }
}

extension Tensor {
    /// This gradient (broadcast to `shape`) where `keep` is true and +0 elsewhere, as torch's `masked_fill(..., 0)`
    /// and `where` backward give it.
    func kept(where keep: [Bool], shape: [Int]) -> Tensor {
        Tensor(floats: zip(expanded(to: shape).to(.float32).contiguous().floats(), keep).map { $1 ? $0 : 0 }, shape: shape)
    }
}

/// A tensor's shape and type, which its gradient must have.
struct TensorLayout: Sendable {
    let shape: [Int]
    let dtype: DType
}

extension Tensor {
    var layout: TensorLayout { TensorLayout(shape: shape, dtype: dtype) }

    /// This gradient of a broadcast result summed back to an operand's shape, in the operand's type.
    func reduced(to layout: TensorLayout) throws -> Tensor {
        var g = self
        while g.rank > layout.shape.count { g = try g.sum(dim: 0) }
        for (d, size) in layout.shape.enumerated() where size == 1 && g.shape[d] != 1 {
            g = try g.sum(dim: d, keepDim: true)
        }
        return layout.dtype.isFloatingPoint && g.dtype != layout.dtype ? g.to(layout.dtype) : g
    }
}
