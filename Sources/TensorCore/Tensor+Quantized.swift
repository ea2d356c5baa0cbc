extension Tensor {
    /// A dynamically quantized linear layer (`torch.ops.quantized.linear_dynamic`, what `quantize_dynamic` puts in
    /// place of `nn.Linear`): this tensor quantized per tensor to 7 bits, multiplied with the int8 weight in int32,
    /// scaled back to float32 and the bias added; plus `residual` when given (a block's `dense(x) + x`).
    public func quantizedLinear(_ weight: QuantizedWeight, bias: Tensor?, adding residual: Tensor? = nil) throws -> Tensor {
        guard dtype == .float32 else { throw TensorError("expected scalar type Float but found \(dtype.scalarTypeName)") }
        guard let inputs = shape.last, inputs == weight.k else {
            throw TensorError("mat1 and mat2 shapes cannot be multiplied (\(shape.dropLast().reduce(1, *))x\(shape.last ?? 0) and \(weight.k)x\(weight.n))")
        }
        let outShape = Array(shape.dropLast()) + [weight.n]
        if let residual, residual.shape != outShape {
            throw TensorError("the residual's shape \(pythonList(residual.shape)) is not the layer's output shape \(pythonList(outShape))")
        }
        let out = Tensor(uninitialized: outShape)
        let rows = count / Swift.max(inputs, 1)
        let x = contiguous(), b = bias?.to(.float32).contiguous(), r = residual?.to(.float32).contiguous()
        if rows > 0 && weight.n > 0 {
            try withExtendedLifetime((b, r)) {
                try weight.multiply(x.storage.floats(x.offset), rows: rows, bias: b.map { UnsafePointer($0.storage.floats($0.offset)) },
                                    residual: r.map { UnsafePointer($0.storage.floats($0.offset)) }, into: out.storage.floats())
            }
        }
        return out.recorded(residual == nil ? .warnNotImplemented : .add, from: self, bias, residual, derivative: .refusing(TensorError(
            "sbpl cannot differentiate a dynamically quantized linear layer (int8 weights): run backward() on the float32 model",
            kind: .notImplementedError)))
    }
}
