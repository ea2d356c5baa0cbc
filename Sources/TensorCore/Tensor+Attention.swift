import CKernels
import COpenBLAS

extension Tensor {
    /// `torch.nn.functional.scaled_dot_product_attention`: `softmax(query key^T * scale) value`, with keys whose
    /// `keyMask[batch, key]` is 0 given float32's lowest score (not -inf, as transformers' masks) before the
    /// softmax; up to 512 keys (not causal in float32) as torch's CPU flash kernel computes it (`flash.c`).
    ///
    /// `query`, `key`, `value`: `[batch, heads, seq, head_dim]`, typically views of `[batch, seq, dim]`
    /// projections split into heads. Returns `[batch, heads, seq, head_dim]`, stored as `[batch, seq, heads,
    /// head_dim]` so that merging the heads back (`permute(0, 2, 1, 3)` then `reshape`) copies nothing.
    ///
    /// With `causal`, query `i` of `n` sees only the keys up to its own position, the queries being the last `n`
    /// positions of the keys (a decoder's new tokens after its cached ones); a query all of whose keys are masked
    /// weighs every key alike, as torch does with transformers' causal mask.
    ///
    /// Each (batch, head) pair is one task on one core: its `[seq, seq]` scores stay in that core's cache instead
    /// of a `[batch, heads, seq, seq]` tensor going through memory.
    public static func scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, keyMask: Tensor,
                                                 scale: Float, causal: Bool = false) throws -> Tensor {
        guard query.rank == 4, key.rank == 4, value.shape == key.shape,
              key.shape == [query.shape[0], query.shape[1], key.shape[2], query.shape[3]],
              keyMask.shape == [key.shape[0], key.shape[2]], [key, value].allSatisfy({ $0.dtype == query.dtype }),
              query.dtype == .float32 || query.dtype.isReduced else {
            throw TensorError("scaled_dot_product_attention expects [batch, heads, seq, head_dim] float query, key and value and a [batch, key] mask, got \(pythonList(query.shape)), \(pythonList(key.shape)), \(pythonList(value.shape)) and \(pythonList(keyMask.shape))")
        }
        let (batch, heads, queries, headDim) = (query.shape[0], query.shape[1], query.shape[2], query.shape[3])
        let keys = key.shape[2]
        let products = HeadProducts(q: HeadMatrices(query), k: HeadMatrices(key), v: HeadMatrices(value), dtype: query.dtype,
                                    causal: causal)
        // with no keys, every output is an empty sum: zero
        // float16 and bfloat16 in float32 (their values are float32 ones), the result rounded to the type
        let shape = [batch, queries, heads, headDim], dtype = query.dtype
        let out = keys == 0 ? Tensor(zeros: shape, dtype: dtype) : Tensor(uninitialized: shape, dtype: dtype)
        let outRow = heads * headDim
        let keep = keyMask.int64s().map { UInt8($0 != 0 ? 1 : 0) }
        // as torch's flash kernel (one block of up to 512 keys): its unnormalised probabilities (rounded to float16
        // and bfloat16), the sums divided out after the product with the values; float32's causal rows by a softmax
        let flash = keys > flashKeyBlock ? nil : dtype.reducedCode ?? (causal ? nil : 0)
        keep.withUnsafeBufferPointer { keep in
            // a base model's 12 heads one per chunk on 2 cores (claimed as the cores finish: 4 per core left them
            // uneven, 1-2% of a bfloat16 1x128 forward pass)
            parallelChunks(batch * heads, grain: 1, perCore: 6) { tasks in
                let scores = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(queries * keys, 1))
                let inverseSums = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(queries, 1))
                let scratch = products.scratch()
                defer { scores.deallocate(); inverseSums.deallocate() }
                for task in tasks where queries > 0 && keys > 0 && headDim > 0 {
                    let (b, h) = task.quotientAndRemainder(dividingBy: heads)
                    products.scores(b, h, into: scores, scratch: scratch)
                    if causal {
                        for i in 0..<queries {
                            let seen = Swift.max(0, Swift.min(keys, keys - queries + i + 1)), row = scores + i * keys
                            guard keep[(b * keys)..<(b * keys + seen)].contains(1) else {
                                // every key it sees is masked: torch's mask holds the lowest value at the later keys
                                // too, so the row weighs all the keys alike (a left-padded query)
                                row.update(repeating: flash == nil ? 1 / Float(keys) : 1, count: keys)
                                inverseSums[i] = 1 / Float(keys)
                                continue
                            }
                            if let flash {
                                kernel_flash_probabilities(row, 1, keys, seen, scale, keep.baseAddress! + b * keys, flash, inverseSums + i)
                                continue
                            }
                            kernel_softmax_rows(row, 1, seen, scale, keep.baseAddress! + b * keys)
                            (row + seen).update(repeating: 0, count: keys - seen)
                        }
                    } else if let flash {
                        kernel_flash_probabilities(scores, queries, keys, keys, scale, keep.baseAddress! + b * keys, flash, inverseSums)
                    } else {
                        kernel_softmax_rows(scores, queries, keys, scale, keep.baseAddress! + b * keys)
                    }
                    let context = out.storage.floats(b * queries * outRow + h * headDim)
                    products.context(b, h, probabilities: scores, into: context, ldc: outRow, scratch: scratch)
                    if let flash { kernel_scale_rows_to_type(context, queries, headDim, outRow, inverseSums, flash) }
                }
            }
        }
        if let code = dtype.reducedCode, flash == nil { kernel_round_to_type(out.storage.floats(), nil, out.count, code) }
        return try out.permuted([0, 2, 1, 3]).recorded(.scaledDotProductAttention, from: query, key, value,
                                                       derivative: .attention(query, key, value, keep: keep.map { $0 != 0 },
                                                                              scale: scale, causal: causal))
    }
}

/// The keys torch's CPU flash kernel takes in one block (its kvSplitSize): up to it, sbpl computes attention as that
/// kernel does.
private let flashKeyBlock = 512

/// A head's two products: its scores `q k^T` and its context `p v` over its probabilities `p`, summed as torch's
/// flash kernel sums them: in bfloat16 on the bfloat16 kernel (their values are bfloat16, the sums float32), in
/// float32 in MKL's order (kernel_flash_f32_scores); else (float16, causal float32, a CPU without the kernels) on
/// BLAS in float32.
private struct HeadProducts {
    enum Kernel { case blas, bfloat16, float32 }

    let q: HeadMatrices, k: HeadMatrices, v: HeadMatrices
    let kernel: Kernel
    var queries: Int { q.tensor.shape[2] }
    var keys: Int { k.tensor.shape[2] }
    var headDim: Int { q.tensor.shape[3] }

    init(q: HeadMatrices, k: HeadMatrices, v: HeadMatrices, dtype: DType, causal: Bool) {
        (self.q, self.k, self.v) = (q, k, v)
        let keys = k.tensor.shape[2]
        // fewer keys than a panel's 32 columns leave the bfloat16 products' tiles half empty: BLAS is faster there
        if dtype == .bfloat16 && PackedBFloat16Weight.isAvailable && (32...flashKeyBlock).contains(keys) {
            kernel = .bfloat16
        } else if dtype == .float32 && PackedWeight.isAvailable && !causal && keys <= flashKeyBlock {
            kernel = .float32
        } else {
            kernel = .blas
        }
    }

    /// A task's scratch for the packed operands (bfloat16 pairs or floats), none on BLAS.
    func scratch() -> AlignedBuffer<Float>? {
        switch kernel {
        case .blas: nil
        case .bfloat16: AlignedBuffer(count: (kernel_flash_bf16_scratch(queries, keys, headDim) + 1) / 2)
        case .float32: AlignedBuffer(count: kernel_flash_f32_scratch(keys, headDim))
        }
    }

    func scores(_ b: Int, _ h: Int, into scores: UnsafeMutablePointer<Float>, scratch: AlignedBuffer<Float>?) {
        let (q, k) = (q.pointer(b, h), k.pointer(b, h)), (ldq, ldk) = (Int(self.q.ld), Int(self.k.ld))
        switch (kernel, scratch?.pointer) {
        case (.bfloat16, let scratch?):
            kernel_flash_bf16_scores(q, ldq, k, ldk, queries, keys, headDim, UnsafeMutableRawPointer(scratch).assumingMemoryBound(to: UInt16.self), scores)
        case (.float32, let scratch?):
            kernel_flash_f32_scores(q, ldq, k, ldk, queries, keys, headDim, scratch, scores)
        default:
            sbpl_cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(queries), Int32(keys), Int32(headDim),
                             1, q, Int32(ldq), k, Int32(ldk), 0, scores, Int32(keys))
        }
    }

    func context(_ b: Int, _ h: Int, probabilities: UnsafeMutablePointer<Float>, into context: UnsafeMutablePointer<Float>,
                 ldc: Int, scratch: AlignedBuffer<Float>?) {
        let (v, ldv) = (v.pointer(b, h), Int(self.v.ld))
        switch (kernel, scratch?.pointer) {
        case (.bfloat16, let scratch?):
            kernel_flash_bf16_context(probabilities, queries, keys, v, ldv, headDim,
                                      UnsafeMutableRawPointer(scratch).assumingMemoryBound(to: UInt16.self), context, ldc)
        case (.float32, let scratch?):
            kernel_flash_f32_context(probabilities, queries, keys, v, ldv, headDim, scratch, context, ldc)
        default:
            sbpl_cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(queries), Int32(headDim), Int32(keys),
                             1, probabilities, Int32(keys), v, Int32(ldv), 0, context, Int32(ldc))
        }
    }
}

/// The `[seq, head_dim]` matrix of each (batch, head) of a `[batch, heads, seq, head_dim]` tensor, as BLAS reads
/// it: a pointer and a leading dimension. Rows must be contiguous; other layouts are copied once.
private struct HeadMatrices {
    let tensor: Tensor
    let ld: Int32

    init(_ x: Tensor) {
        let rowsUsable = x.strides[3] == 1 && (x.strides[2] >= x.shape[3] || x.shape[2] <= 1)
        tensor = rowsUsable ? x : x.contiguous()
        ld = Int32(Swift.max(tensor.strides[2], tensor.shape[3], 1))
    }

    func pointer(_ b: Int, _ h: Int) -> UnsafeMutablePointer<Float> {
        tensor.storage.floats(tensor.offset + b * tensor.strides[0] + h * tensor.strides[1])
    }
}
