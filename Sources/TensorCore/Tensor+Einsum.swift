/// `torch.einsum` for one or two operands, as torch computes it: one operand permuted so that the output's labels
/// come first and the rest summed; two multiplied (`MulBackward0`) when no label is summed between them, else one
/// batched matrix product of their permuted, merged dimensions, viewed back (`ViewBackward0`).
extension Tensor {
    public static func einsum(_ equation: String, _ operands: [Tensor]) throws -> Tensor {
        let (inputs, output) = try EinsumEquation.parse(equation, operands)
        switch operands.count {
        case 1: return try reduced(operands[0], inputs[0], to: output)
        case 2: return try product(operands[0], inputs[0], operands[1], inputs[1], to: output)
        default: throw TensorError("sbpl's einsum takes one or two operands, not \(operands.count)", kind: .notImplementedError)
        }
    }

    /// One operand: its labels not in `output` summed, the rest put in `output`'s order.
    private static func reduced(_ x: Tensor, _ labels: [Character], to output: [Character]) throws -> Tensor {
        let summed = labels.indices.filter { !output.contains(labels[$0]) }
        var y = summed.isEmpty ? x : try x.sum(dims: summed)
        let kept = labels.filter { output.contains($0) }
        if kept != output { y = try y.permuted(output.map { kept.firstIndex(of: $0)! }) }
        return y
    }

    /// Two operands: `a`'s and `b`'s labels that only one has and the output lacks summed first, then either a
    /// broadcast product or a batched matrix product over the labels they share and the output lacks.
    private static func product(_ a: Tensor, _ la: [Character], _ b: Tensor, _ lb: [Character], to output: [Character]) throws -> Tensor {
        let keepA = la.filter { output.contains($0) || lb.contains($0) }, keepB = lb.filter { output.contains($0) || la.contains($0) }
        let (x, y) = (try reduced(a, la, to: keepA), try reduced(b, lb, to: keepB))
        let batch = output.filter { keepA.contains($0) && keepB.contains($0) }
        let contracted = keepA.filter { keepB.contains($0) && !output.contains($0) }
        let onlyA = output.filter { keepA.contains($0) && !keepB.contains($0) }, onlyB = output.filter { keepB.contains($0) && !keepA.contains($0) }
        func size(_ label: Character) -> Int { keepA.firstIndex(of: label).map { x.shape[$0] } ?? y.shape[keepB.firstIndex(of: label)!] }
        func order(_ labels: [Character], in kept: [Character]) -> [Int] { labels.map { kept.firstIndex(of: $0)! } }
        // a product with nothing summed between the two (a label only the second has counts, as torch sums it there)
        guard !contracted.isEmpty || lb.contains(where: { !output.contains($0) && !la.contains($0) }) else {
            // a broadcast product: each operand laid out over the output's labels, 1 where it lacks one
            func aligned(_ t: Tensor, _ kept: [Character]) throws -> Tensor {
                let moved = try t.permuted(order(output.filter { kept.contains($0) }, in: kept))
                return try moved.reshaped(output.map { kept.contains($0) ? size($0) : 1 })
            }
            return try aligned(x, keepA).combined(.mul, try aligned(y, keepB))
        }
        let product = { (labels: [Character]) in labels.reduce(1) { $0 * size($1) } }
        let (bt, m, k, n) = (product(batch), product(onlyA), product(contracted), product(onlyB))
        let left = try x.permuted(order(batch + onlyA + contracted, in: keepA)).reshaped([bt, m, k])
        let right = try y.permuted(order(batch + contracted + onlyB, in: keepB)).reshaped([bt, k, n])
        // the operands in the order that gives the output's labels without a permute, if one does (as torch picks)
        if batch + onlyB + onlyA == output && batch + onlyA + onlyB != output {
            return try right.transposed(1, 2).bmm(left.transposed(1, 2)).reshaped(output.map(size))
        }
        let labels = batch + onlyA + onlyB
        let result = try left.bmm(right).reshaped(labels.map(size))
        return labels == output ? result : try result.permuted(output.map { labels.firstIndex(of: $0)! })
    }
}

/// An einsum equation's labels: each operand's and the output's (`ij,jk->ik`; without `->`, the labels used once,
/// in alphabetical order).
enum EinsumEquation {
    static func parse(_ equation: String, _ operands: [Tensor]) throws -> (inputs: [[Character]], output: [Character]) {
        let text = equation.filter { $0 != " " }
        guard !text.contains(".") else { throw TensorError("sbpl's einsum does not take '...' yet", kind: .notImplementedError) }
        let sides = text.components(separatedBy: "->")
        guard sides.count <= 2 else { throw TensorError("einsum(): found '->' more than once in equation") }
        let inputs = sides[0].split(separator: ",", omittingEmptySubsequences: false).map(Array.init)
        guard inputs.count == operands.count else {
            throw TensorError("einsum(): more operands were provided than specified in the equation")
        }
        for (i, (labels, operand)) in zip(inputs, operands).enumerated() {
            guard labels.allSatisfy({ $0.isLetter && $0.isASCII }) else { throw TensorError("einsum(): invalid subscript given at index \(i) in the equation string, subscripts must be in [a-zA-Z]") }
            guard labels.count == operand.rank else {
                throw TensorError("einsum(): the number of subscripts in the equation (\(labels.count)) does not match the number of dimensions (\(operand.rank)) for operand \(i) and no ellipsis was given")
            }
            guard Set(labels).count == labels.count else { throw TensorError("sbpl's einsum does not take a label repeated in one operand (a diagonal) yet", kind: .notImplementedError) }
        }
        var sizes = [Character: Int]()
        for (i, (labels, operand)) in zip(inputs, operands).enumerated() {
            for (label, size) in zip(labels, operand.shape) {
                if let known = sizes[label], known != size {
                    guard known == 1 || size == 1 else {
                        throw TensorError("einsum(): subscript \(label) has size \(size) for operand \(i) which does not broadcast with previously seen size \(known)")
                    }
                    throw TensorError("sbpl's einsum does not broadcast a label of size 1 yet", kind: .notImplementedError)
                }
                sizes[label] = size
            }
        }
        let all = inputs.flatMap { $0 }
        let output = sides.count == 2 ? Array(sides[1]) : all.filter { label in all.filter { $0 == label }.count == 1 }.sorted()
        if let repeated = output.first(where: { label in output.filter { $0 == label }.count > 1 }) {
            throw TensorError("einsum(): output subscript \(repeated) appears more than once in the output")
        }
        for label in output where !all.contains(label) {
            throw TensorError("einsum(): output subscript \(label) does not appear in the equation for any input operand")
        }
        return (inputs, output)
    }
}
