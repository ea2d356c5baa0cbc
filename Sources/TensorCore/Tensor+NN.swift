import CKernels
import COpenBLAS
import Foundation
import PythonText

extension Tensor {
    /// `F.dropout(x, p, training=True)`: each element zeroed with probability `p` and the others scaled by
    /// `1 / (1 - p)`, as torch's CPU dropout makes it: a mask drawn by `bernoulli_(1 - p)` (one draw per element, in
    /// order), divided by `1 - p` in the tensor's type, then multiplied in (`MulBackward0`).
    public func dropout(p: Double) throws -> Tensor {
        try Tensor.checkDropout(p)
        if p == 0 || count == 0 { return self }
        if p == 1 { return try combined(.mul, Tensor(zeros: [], dtype: floatingType)) }
        let mask = Tensor(floats: RandomGenerator.bernoulli(count, p: 1 - p).map { $0 ? 1 : 0 }, shape: shape).to(floatingType)
        return try combined(.mul, try mask.combined(.div, .float(1 - p)))
    }

    /// torch's check of a dropout probability (`nn.Dropout(p)`, `F.dropout`), naming it as it was `written`.
    public static func checkDropout(_ p: Double, written: String? = nil) throws {
        guard (0...1).contains(p) else {
            throw TensorError("dropout probability has to be between 0 and 1, but got \(written ?? pythonRepr(p))", kind: .valueError)
        }
    }

    /// `nn.functional.layer_norm` over the last dimension: `(x - mean) / sqrt(var + eps) * weight + bias`,
    /// with the biased variance, as torch computes it.
    public func layerNorm(weight: Tensor, bias: Tensor, eps: Float) throws -> Tensor {
        guard let n = shape.last, weight.shape == [n], bias.shape == [n] else {
            throw TensorError("layer_norm: weight and bias must have shape [\(shape.last ?? 0)], got \(pythonList(weight.shape)) and \(pythonList(bias.shape))")
        }
        // float16 and bfloat16 in float32 (their values are float32 ones), the result rounded to the type
        let x = (dtype.layout == .float ? self : to(.float32)).contiguous()
        let out = Tensor(uninitialized: shape, dtype: dtype.isReduced ? dtype : .float32)
        let w = weight.to(.float32).contiguous(), b = bias.to(.float32).contiguous()
        let pw = w.storage.floats(w.offset), pb = b.storage.floats(b.offset)
        let src = x.storage.floats(x.offset), dst = out.storage.floats(), rows = n == 0 ? 0 : count / n
        // a bfloat16 result is the next layer's input: converted too, each chunk while in the caches
        let next = out.dtype == .bfloat16 && PackedBFloat16Weight.isAvailable ? BFloat16Rows(rows: rows, k: n, version: out.storage.version) : nil
        parallelChunks(rows, grain: 64, perCore: 4) { chunk in
            kernel_layer_norm(src + chunk.lowerBound * n, dst + chunk.lowerBound * n, chunk.count, n, pw, pb, eps)
            if let code = out.dtype.reducedCode { kernel_round_to_type(dst + chunk.lowerBound * n, nil, chunk.count * n, code) }
            next?.convert(dst, rows: chunk)
        }
        if let next { ActivationForms.keep(next, for: out) }
        return out.recorded(.layerNorm, from: self, weight, bias, derivative: .layerNorm(self, weight, eps: eps))
    }

    /// `nn.functional.linear`: `x @ weight.T + bias` for a weight stored `[out, in]`, as checkpoints store it,
    /// plus `residual` (same shape as the result) when given: a block's `dense(x) + x` in one pass.
    /// The leading dimensions are flattened into one GEMM whose sums the bias and residual join (`GemmAddends`).
    public func linear(weight: Tensor, bias: Tensor?, adding residual: Tensor? = nil) throws -> Tensor {
        let out = try linearValues(weight: weight, bias: bias, adding: residual)
        let function = residual == nil ? linearFunction(hasBias: bias != nil) : .add
        return out.recorded(function, from: self, weight, bias, residual,
                            derivative: .linear(self, weight, hasBias: bias != nil, hasResidual: residual != nil))
    }

    /// The function torch's `linear` ends with: `addmm` for a matrix, a view of one `addmm` for other contiguous
    /// inputs, and for the rest a `matmul` then an in-place bias `add_`; without a bias, `matmul`'s.
    private func linearFunction(hasBias: Bool) -> GradFunction {
        guard hasBias else { return Tensor.matmulFunction(rank, 2) }
        if rank == 2 { return .addmm }
        return isContiguous ? .unsafeView : .add
    }

    private func linearValues(weight: Tensor, bias: Tensor?, adding residual: Tensor?) throws -> Tensor {
        if let reduced = reducedLinear(weight: weight, bias: bias, residual: residual, gelu: false) { return reduced }
        guard fitsDense(weight, bias), residual.map({ $0.shape == denseShape(weight) && $0.dtype == .float32 }) ?? true else {
            var y = try matmul(weight.transposed(0, 1))
            if let bias { y = try y.combined(.add, bias) }
            if let residual { y = try y.combined(.add, residual) }
            return y
        }
        let out = Tensor(uninitialized: denseShape(weight))
        let outputs = weight.shape[0], y = out.storage.floats()
        let b = bias?.contiguous(), r = residual?.contiguous()
        let addends = GemmAddends(bias: b.map { UnsafePointer($0.storage.floats($0.offset)) },
                                  residual: r.map { UnsafePointer($0.storage.floats($0.offset)) }, ldr: outputs)
        withExtendedLifetime((b, r)) { denseProduct(weight, into: y, addends: addends) }
        return out
    }

    /// transformers' `Conv1D` (GPT-2's projections): `x @ weight + bias` for a weight stored `[in, out]`, plus
    /// `residual` when given; as torch runs it, one `addmm` over the flattened rows viewed back to `x`'s shape.
    public func conv1D(weight: Tensor, bias: Tensor, adding residual: Tensor? = nil) throws -> Tensor {
        guard weight.rank == 2 else { throw TensorError("Conv1D expects a 2-D weight, got \(pythonList(weight.shape))") }
        let out = try linearValues(weight: weight.transposed(0, 1), bias: bias, adding: residual)
        return out.recorded(residual == nil ? .view : .add, from: self, weight, bias, residual,
                            derivative: .linear(self, weight, hasBias: true, hasResidual: residual != nil, transposed: true))
    }

    /// `gelu(linear(x))`, a feed-forward block's first half: the GEMM writes the product alone, then each core adds
    /// the bias and applies the exact GELU in place on its block of it, while the block is in its caches.
    public func linearGELU(weight: Tensor, bias: Tensor) throws -> Tensor {
        let reduced = reducedLinear(weight: weight, bias: bias, residual: nil, gelu: true)
        guard reduced != nil || fitsDense(weight, bias) else { return try linear(weight: weight, bias: bias).gelu() }
        return (reduced ?? linearGELUValues(weight: weight, bias: bias)).recorded(.gelu, from: self, weight, bias,
                                                                     derivative: .linearGELU(self, weight, bias))
    }

    private func linearGELUValues(weight: Tensor, bias: Tensor) -> Tensor {
        let out = Tensor(uninitialized: denseShape(weight))
        let outputs = weight.shape[0], y = out.storage.floats()
        let b = bias.contiguous()
        let pb = b.storage.floats(b.offset)
        withExtendedLifetime(b) { denseProduct(weight, into: y, after: geluBlocks(of: y, ld: outputs, bias: pb)) }
        return out
    }

    /// `x @ weight.T + bias`, then GELU if `gelu`, then `+ residual`, for operands all float16 or all bfloat16, as torch
    /// computes them: sums in float32, each operation's result rounded to the type. On the bfloat16 kernel where the
    /// CPU has it, else on the float32 one over the same values. Nil for other operands.
    private func reducedLinear(weight: Tensor, bias: Tensor?, residual: Tensor?, gelu: Bool) -> Tensor? {
        guard let code = dtype.reducedCode, let inputs = shape.last, weight.rank == 2, weight.shape[1] == inputs,
              weight.dtype == dtype, bias.map({ $0.shape == [weight.shape[0]] && $0.dtype == dtype }) ?? true,
              residual.map({ $0.shape == denseShape(weight) && $0.dtype == dtype }) ?? true else { return nil }
        let out = Tensor(uninitialized: denseShape(weight), dtype: dtype)
        let (rows, outputs) = (out.count / Swift.max(weight.shape[0], 1), weight.shape[0])
        guard rows > 0 && outputs > 0 else { return out }
        let x = contiguous(), b = bias?.contiguous(), r = residual?.contiguous(), y = out.storage.floats()
        var output = ReducedOutput(bias: b.map { $0.storage.floats($0.offset) }, gelu: gelu ? 1 : 0,
                                   residual: r.map { $0.storage.floats($0.offset) }, ld: outputs, type: code, pairs: nil, pairs_ld: 0)
        if dtype == .bfloat16 && PackedBFloat16Weight.isAvailable && inputs > 0 {
            // a feed-forward's GELU output is the next layer's input: written converted too, while in registers
            let next = gelu ? BFloat16Rows(rows: rows, k: outputs, version: out.storage.version) : nil
            (output.pairs, output.pairs_ld) = (next?.values, next?.depth ?? 0)
            weight.storage.packed(weight) { PackedBFloat16Weight(weight, version: $0) }
                .multiply(ActivationForms.form(of: x) { BFloat16Rows(x, version: $0) }, into: y, output: output)
            if let next { ActivationForms.keep(next, for: out) }
        } else {
            x.denseProduct(weight, into: y)
            withUnsafePointer(to: output) { output in
                parallelChunks(rows, grain: 64) { range in
                    for row in range { kernel_reduced_output(y + row * outputs, outputs, output, row, 0) }
                }
            }
        }
        return out
    }

    /// Whether `x @ weight.T + bias` can run as one float32 GEMM over the flattened leading dimensions.
    private func fitsDense(_ weight: Tensor, _ bias: Tensor?) -> Bool {
        guard let inputs = shape.last, weight.rank == 2, weight.shape[1] == inputs, dtype == .float32,
              weight.dtype == .float32 else { return false }
        return bias.map { $0.shape == [weight.shape[0]] && $0.dtype == .float32 } ?? true
    }

    private func denseShape(_ weight: Tensor) -> [Int] { Array(shape.dropLast()) + [weight.shape[0]] }

    /// `y = x @ weight.T (+ addends)`, `y` row-major `[rows, out]`: on the packed kernel where the CPU has it (the
    /// weight packed once, on first use), else on OpenBLAS; `after` runs on the blocks of `y` after their product
    /// (`PackedWeight.multiply`), over the cores.
    private func denseProduct(_ weight: Tensor, into y: UnsafeMutablePointer<Float>, addends: GemmAddends? = nil,
                              after: OutputBlock? = nil) {
        let (inputs, outputs) = (weight.shape[1], weight.shape[0])
        let rows = shape.dropLast().reduce(1, *)  // of no inputs (in_features=0): the addends, or zeros
        guard rows > 0 && outputs > 0 else { return }
        let x = contiguous()
        if PackedWeight.isAvailable && inputs > 0 {
            let packed = weight.storage.packed(weight) { PackedWeight(weight, version: $0) }
            return packed.multiply(x.storage.floats(x.offset), rows: rows, into: y, addends: addends, after: after)
        }
        // BLAS adds its sums onto y filled with the addends (or zeros), then `after` runs on each core's rows
        withUnsafePointer(to: addends ?? GemmAddends()) { kernel_gemm_fill(y, outputs, rows, outputs, $0, 0, 0) }
        if inputs > 0 { blasProduct(x, weight, rows: rows, into: y) }
        if let after { parallelChunks(rows, grain: 64) { after($0, 0..<outputs) } }
    }

    /// `y += x @ weight.T` on OpenBLAS, for `rows` rows of `x` (contiguous) and `y`.
    private func blasProduct(_ x: Tensor, _ weight: Tensor, rows: Int, into y: UnsafeMutablePointer<Float>) {
        let (inputs, outputs) = (weight.shape[1], weight.shape[0])
        // a weight stored [in, out] (Conv1D's, viewed transposed) is read as it is, not copied
        let storedInOut = !weight.isContiguous && weight.strides == [1, outputs]
        let w = storedInOut ? weight : weight.contiguous()
        if rows == 1 {  // one row (a generated token): a matrix-vector product streams the weight once, unpacked
            sbpl_cblas_sgemv(CblasRowMajor, storedInOut ? CblasTrans : CblasNoTrans, Int32(storedInOut ? inputs : outputs),
                             Int32(storedInOut ? outputs : inputs), 1, w.storage.floats(w.offset), Int32(storedInOut ? outputs : inputs),
                             x.storage.floats(x.offset), 1, 1, y, 1)
            return
        }
        sbpl_cblas_sgemm(CblasRowMajor, CblasNoTrans, storedInOut ? CblasNoTrans : CblasTrans, Int32(rows), Int32(outputs), Int32(inputs), 1,
                         x.storage.floats(x.offset), Int32(inputs), w.storage.floats(w.offset), Int32(storedInOut ? outputs : inputs),
                         1, y, Int32(outputs))
    }
}

extension Tensor {
    /// `embedding(ids)`: the rows of this `[count, dim]` table at each id; `ids` of shape `S` give `S + [dim]`. The
    /// `paddingIdx` row gets no gradient.
    public func gatherRows(_ ids: Tensor, paddingIdx: Int? = nil) throws -> Tensor {
        guard rank == 2, ids.dtype == .int64 else {
            throw TensorError("embedding expects a 2-D table and int64 ids, got a \(rank)-D table and \(ids.dtype.torchName) ids")
        }
        let (rows, dim) = (shape[0], shape[1])
        let table = contiguous()
        let indices = ids.int64s()
        if let bad = indices.first(where: { $0 < 0 || $0 >= rows }) {
            throw TensorError("index \(bad) is out of range for an embedding table of \(rows) rows")
        }
        let out = Tensor(zeros: ids.shape + [dim], dtype: dtype.layout == .float ? dtype : .float32)
        let src = table.storage.floats(table.offset), dst = out.storage.floats()
        for (i, id) in indices.enumerated() {
            (dst + i * dim).update(from: src + Int(id) * dim, count: dim)
        }
        return out.recorded(.embedding, from: self, derivative: .embedding(self, ids: indices, paddingIdx: paddingIdx))
    }
}
