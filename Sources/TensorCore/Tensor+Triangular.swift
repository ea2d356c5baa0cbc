extension Tensor {
    /// `torch.triu(x, diagonal)` (`upper`) or `torch.tril`: the last two dimensions' upper (lower) triangle from the
    /// `diagonal`-th diagonal on (positive above the main one), zeros elsewhere (`TriuBackward0`: the gradient's
    /// same triangle).
    public func triangle(upper: Bool, diagonal: Int = 0) throws -> Tensor {
        guard rank >= 2 else { throw TensorError("\(upper ? "triu" : "tril"): input tensor must have at least 2 dimensions") }
        let (rows, columns) = (shape[rank - 2], shape[rank - 1])
        let dropped = (0..<count).map { flat -> Bool in
            let offset = flat % columns - flat / columns % Swift.max(rows, 1)
            return upper ? offset < diagonal : offset > diagonal
        }
        let mask = Tensor(bools: dropped, shape: shape)
        let out = try detached().maskedFilled(Tensor(zeros: [], dtype: dtype), where: mask)
        return out.recorded(upper ? .triu : .tril, from: self, derivative: .masked(self, mask))
    }
}
