extension Tensor {
    /// A dynamically quantized linear layer (`torch.ops.quantized.linear_dynamic`, what `quantize_dynamic` puts in
    /// place of `nn.Linear`): this tensor quantized per tensor to 7 bits, multiplied with the int8 weight in int32,
    /// scaled back to float32 and the bias added; plus `residual` when given (a block's `dense(x) + x`). `quantized`:
    /// this tensor's `quantizedActivations()`, shared by layers reading the same input (else quantized here).
    public func quantizedLinear(_ weight: QuantizedWeight, bias: Tensor?, adding residual: Tensor? = nil,
                                quantized: QuantizedActivations? = nil) throws -> Tensor {
        try requireFloat32()
        guard let inputs = shape.last, inputs == weight.k else {
            throw TensorError("mat1 and mat2 shapes cannot be multiplied (\(shape.dropLast().reduce(1, *))x\(shape.last ?? 0) and \(weight.k)x\(weight.n))")
        }
        let outShape = Array(shape.dropLast()) + [weight.n]
        if let residual, residual.shape != outShape {
            throw TensorError("the residual's shape \(pythonList(residual.shape)) is not the layer's output shape \(pythonList(outShape))")
        }
        let out = Tensor(uninitialized: outShape)
        let x = try quantized ?? quantizedActivations()
        let b = bias?.to(.float32).contiguous(), r = residual?.to(.float32).contiguous()
        if x.rows > 0 && weight.n > 0 {
            withExtendedLifetime((b, r)) {
                weight.multiply(x, bias: b.map { UnsafePointer($0.storage.floats($0.offset)) },
                                residual: r.map { UnsafePointer($0.storage.floats($0.offset)) }, into: out.storage.floats())
            }
        }
        return out.recorded(residual == nil ? .warnNotImplemented : .add, from: self, bias, residual, derivative: .refusing(TensorError(
            "sbpl cannot differentiate a dynamically quantized linear layer (int8 weights): run backward() on the float32 model",
            kind: .notImplementedError)))
    }

    /// This float32 tensor's rows (over its last dimension) quantized as a dynamic linear layer quantizes its input.
    public func quantizedActivations() throws -> QuantizedActivations {
        try requireFloat32()
        let inputs = shape.last ?? 1, x = contiguous()
        return try withExtendedLifetime(x) {
            try QuantizedActivations(x.storage.floats(x.offset), rows: count / Swift.max(inputs, 1), k: inputs)
        }
    }

    /// A dynamic linear layer's input must be float32, as torch's.
    private func requireFloat32() throws {
        guard dtype == .float32 else { throw TensorError("expected scalar type Float but found \(dtype.scalarTypeName)") }
    }
}
