import TensorCore

extension Tensor {
    /// An encoder-decoder's decoder input made from `[batch, seq]` ids (the labels): each row shifted one to the
    /// right after `start`, its ignored positions (-100) as `pad` (transformers' `shift_tokens_right`).
    func shiftedRight(start: Int, pad: Int) -> Tensor {
        let (rows, length) = (shape[0], shape[1])
        let flat = int64s()
        var shifted = [Int64](repeating: Int64(start), count: rows * length)
        for row in 0..<rows {
            for i in 1..<Swift.max(length, 1) {
                let id = flat[row * length + i - 1]
                shifted[row * length + i] = id == -100 ? Int64(pad) : id
            }
        }
        return Tensor(ints: shifted, shape: shape)
    }
}
