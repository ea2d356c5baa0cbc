extension Tensor {
    /// A dynamically quantized linear layer (`torch.ops.quantized.linear_dynamic`, what `quantize_dynamic` puts in
    /// place of `nn.Linear`): this tensor quantized per tensor to 7 bits, multiplied with the int8 weight in int32,
    /// scaled back to float32 and the bias added; plus `residual` when given (a block's `dense(x) + x`). The layers
    /// that read one input quantize it once (`quantizedActivations()`).
    public func quantizedLinear(_ weight: QuantizedWeight, bias: Tensor?, adding residual: Tensor? = nil) throws -> Tensor {
        try quantizedProduct(weight, bias: bias, residual: residual)
            .recorded(residual == nil ? .warnNotImplemented : .add, from: self, bias, residual, derivative: Self.quantizedDerivative)
    }

    /// `gelu(quantizedLinear(weight, bias))`, a quantized feed-forward block's first half: each core applies the exact
    /// GELU in place on its block of the output right after its product, while the block is in its caches.
    public func quantizedLinearGELU(_ weight: QuantizedWeight, bias: Tensor?) throws -> Tensor {
        try quantizedProduct(weight, bias: bias, residual: nil, gelu: true)
            .recorded(.gelu, from: self, bias, derivative: Self.quantizedDerivative)
    }

    /// A quantized layer's output cannot be differentiated.
    private static var quantizedDerivative: Derivative {
        .refusing(TensorError("sbpl cannot differentiate a dynamically quantized linear layer (int8 weights): run backward() on the float32 model",
                              kind: .notImplementedError))
    }

    /// The values of `quantizedLinear`, then of GELU if `gelu` (on each block of the output right after its product;
    /// the int8 kernel has added the bias).
    private func quantizedProduct(_ weight: QuantizedWeight, bias: Tensor?, residual: Tensor?, gelu: Bool = false) throws -> Tensor {
        try requireFloat32()
        guard let inputs = shape.last, inputs == weight.k else {
            throw TensorError("mat1 and mat2 shapes cannot be multiplied (\(shape.dropLast().reduce(1, *))x\(shape.last ?? 0) and \(weight.k)x\(weight.n))")
        }
        let outShape = Array(shape.dropLast()) + [weight.n]
        if let residual, residual.shape != outShape {
            throw TensorError("the residual's shape \(pythonList(residual.shape)) is not the layer's output shape \(pythonList(outShape))")
        }
        let out = Tensor(uninitialized: outShape), y = out.storage.floats()
        let x = try quantizedActivations()
        let b = bias?.to(.float32).contiguous(), r = residual?.to(.float32).contiguous()
        if x.rows > 0 && weight.n > 0 {
            withExtendedLifetime((b, r)) {
                weight.multiply(x, bias: b.map { UnsafePointer($0.storage.floats($0.offset)) },
                                residual: r.map { UnsafePointer($0.storage.floats($0.offset)) }, into: y,
                                after: gelu ? geluBlocks(of: y, ld: weight.n, bias: nil) : nil)
            }
        }
        return out
    }

    /// This float32 tensor's rows (over its last dimension) quantized as a dynamic linear layer quantizes its input:
    /// kept for the next layers that read it (`ActivationForms`), until it is written.
    public func quantizedActivations() throws -> QuantizedActivations {
        try requireFloat32()
        let x = contiguous()
        return try ActivationForms.form(of: x) { version throws in try QuantizedActivations(x, version: version) }
    }

    /// A dynamic linear layer's input must be float32, as torch's.
    private func requireFloat32() throws {
        guard dtype == .float32 else { throw TensorError("expected scalar type Float but found \(dtype.scalarTypeName)") }
    }
}
