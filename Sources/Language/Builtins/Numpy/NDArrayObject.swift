import Foundation
import TensorCore

/// A numpy array, as `np.array(...)`, `tensor.numpy()` and `tokenizer(..., return_tensors="np")` give: float64,
/// float32, int64 or bool, sharing the tensor's elements, printed as numpy prints it, with numpy's arithmetic
/// (`NumpyArithmetic`), reductions (`NumpyReductions`), `len`, iteration and indexing (a sub-array, or an element as
/// a numpy scalar); `torch.tensor(array)` and `torch.from_numpy(array)` make a tensor again.
public final class NDArrayObject: IterableObject, MemberTableObject, TensorIndexable {
    /// The elements, in a tensor of the array's dtype.
    public let tensor: Tensor

    public init(_ tensor: Tensor) { self.tensor = tensor }

    /// `tensor.numpy(force=)`: the array of an int64, float64, float32 or bool tensor; torch's RuntimeError for one
    /// that requires grad (unless `force` or under `no_grad`); numpy has no bfloat16 (torch's TypeError), and sbpl
    /// has no float16 or int32 arrays yet.
    convenience init(converting tensor: Tensor, force: Bool) throws {
        guard force || !(tensor.requiresGrad && GradMode.isEnabled) else {
            throw PyError(.runtimeError, "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        }
        switch tensor.dtype {
        case .int64, .float64, .float32, .bool: self.init(tensor)
        case .bfloat16: throw PyError.type("Got unsupported ScalarType BFloat16")
        case .float16, .int32: throw PyError.notImplemented("numpy() of \(tensor.dtype.name) tensors")
        }
    }

    public var typeName: String { "ndarray" }
    public var isHashable: Bool { false }
    public var qualifiedTypeName: String? { "numpy.ndarray" }
    public var repr: String { NumpyPrinter.repr(tensor) }
    public var str: String { NumpyPrinter.str(tensor) }

    /// `bool(array)`: its one element's; numpy's ValueError for more or none.
    func truthValue() throws -> Bool {
        guard tensor.count == 1 else {
            throw PyError.value(tensor.count == 0 ? "The truth value of an empty array is ambiguous. Use `array.size > 0` to check that an array is not empty."
                                                  : "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()")
        }
        return try tensor.contiguous().reshapedFlat().view(at: [.at(0)]).item().doubleValue != 0
    }

    /// The rows: sub-arrays, or the elements of a 1-D array.
    public var items: [Value] {
        guard tensor.rank > 0 else { return [] }
        return (0..<tensor.shape[0]).compactMap { try? item(at: [.at($0)]) }
    }

    /// `a[indices]`: a view, except that slices with a negative step (`a[::-1]`, which torch refuses) copy.
    public func item(at given: [TensorIndex]) throws -> Value {
        // `...` as the full slices it stands for, so that a negative step after it knows its dimension
        if given.filter({ $0 == .ellipsis }).count > 1 { throw PyError.index("an index can only have a single ellipsis ('...')") }
        let consumed = given.filter { if case .at = $0 { true } else if case .slice = $0 { true } else { false } }.count
        let indices = given.flatMap { $0 == .ellipsis ? Array(repeating: TensorIndex.all, count: Swift.max(0, tensor.rank - consumed)) : [$0] }
        var reversed = [(dimension: Int, slice: TensorIndex)](), viewed = [TensorIndex](), output = 0
        for index in indices {
            if case .slice(_, _, let step?) = index, step < 0 {
                reversed.append((output, index))
                viewed.append(.all)
            } else {
                viewed.append(index)
            }
            if case .at = index { continue }
            output += 1
        }
        var result: Tensor
        do { result = try tensor.view(at: viewed) } catch let error as TensorError where error.message.contains("for dimension") {
            throw PyError.index(error.message.replacingOccurrences(of: "for dimension", with: "for axis"))  // numpy's word
        }
        for (dimension, slice) in reversed { result = try Self.select(slice, along: dimension, of: result) }
        return Self.wrap(result)
    }

    /// `a[mask]` and `a[[2, 0]]` / `a[np.array([2, 0])]`: numpy's boolean and integer array indexing of the first
    /// axes (a copy); nil for any other index.
    func selected(by index: Value) throws -> Value? {
        if let mask = try mask(index) { return .object(NDArrayObject(try tensor.masked(by: mask))) }
        guard let positions = try indexArray(index) else { return nil }
        guard tensor.rank > 0 else { throw PyError.index("too many indices for array: array is 0-dimensional, but 1 were indexed") }
        guard positions.dtype == .int64 else { throw PyError.index("arrays used as indices must be of integer (or boolean) type") }
        let size = tensor.shape[0]
        let rows = try positions.int64s().map { i in
            guard (-size..<size).contains(Int(i)) else { throw PyError.index("index \(i) is out of bounds for axis 0 with size \(size)") }
            return i < 0 ? Int(i) + size : Int(i)
        }
        return .object(NDArrayObject(try tensor.indexSelect(rows).reshaped(positions.shape + tensor.shape.dropFirst())))
    }

    /// A bool array (or list of bools) used as an index, checked against this array's first axes as numpy checks it.
    func mask(_ index: Value) throws -> Tensor? {
        guard let mask = try indexArray(index), mask.dtype == .bool else { return nil }
        for (axis, (size, flags)) in zip(tensor.shape, mask.shape).enumerated() where size != flags {
            throw PyError.index("boolean index did not match indexed array along axis \(axis); size of axis is \(size) but size of corresponding boolean axis is \(flags)")
        }
        guard mask.rank <= tensor.rank else { throw PyError.index("too many indices for array: array is \(tensor.rank)-dimensional, but \(mask.rank) were indexed") }
        return mask
    }

    /// An array or a list as an index array's elements; nil for other indices.
    private func indexArray(_ index: Value) throws -> Tensor? {
        switch index {
        case .object(let array as NDArrayObject): return array.tensor
        case .list: return try NumpyConversion.tensor(index, dtype: nil)
        default: return nil
        }
    }

    /// The elements a negative-step `slice` picks along `dimension`, as Python resolves its bounds.
    private static func select(_ slice: TensorIndex, along dimension: Int, of tensor: Tensor) throws -> Tensor {
        guard case .slice(let start, let stop, let step?) = slice else { return tensor }
        let length = tensor.shape[dimension]
        func bound(_ i: Int?, _ default: Int) -> Int { i.map { $0 < 0 ? Swift.max($0 + length, -1) : Swift.min($0, length - 1) } ?? `default` }
        let picked = Array(stride(from: bound(start, length - 1), to: bound(stop, -1), by: step))
        return try tensor.transposed(0, dimension).indexSelect(picked).transposed(0, dimension)
    }

    /// `tensor` as numpy gives a result: an array, or a 0-d result as its numpy scalar (`np.float64(0.5)`,
    /// `np.float32(0.5)`, `np.int64(101)`, `np.True_`).
    static func wrap(_ tensor: Tensor) -> Value {
        guard tensor.rank == 0 else { return .object(NDArrayObject(tensor)) }
        switch tensor.dtype {
        case .float64: return .object(NumpyFloat64(tensor.doubles()[0]))
        case .bool: return .object(NumpyBool(tensor.bools()[0]))
        case .int64, .int32: return .object(NumpyInt64(tensor.int64s()[0]))
        case .float32, .float16, .bfloat16: return .object(NumpyFloat32(tensor.floats()[0]))
        }
    }

    public static let members = MemberTable<NDArrayObject>("ndarray", [
        .attribute("shape", "the size of each dimension, a tuple") { .tuple($0.tensor.shape.map(Value.int)) },
        .attribute("dtype", "the element type: float64, float32, int64 or bool") { .object(NumpyDType($0.tensor.dtype)) },
        .attribute("ndim", "the number of dimensions") { .int($0.tensor.rank) },
        .attribute("size", "the number of elements") { .int($0.tensor.count) },
        .attribute("T", "the array with its dimensions reversed") { a in
            .object(NDArrayObject(try a.tensor.permuted(Array((0..<a.tensor.rank).reversed()))))
        },
        .method("tolist", "", "the elements as nested Python lists of ints, floats or bools") { a, _ in TensorMethods.toList(a.tensor) },
        .method("item", "*args", "the only element (or the one at the given flat index) as a Python number") { a, call in
            let flat = a.tensor.contiguous().reshapedFlat()
            guard let index = try call.arguments.positional.first?.asInt("index") else {
                guard a.tensor.count == 1 else { throw PyError.value("can only convert an array of size 1 to a Python scalar") }
                return Value(try flat.view(at: [.at(0)]).item())
            }
            guard (-flat.count..<flat.count).contains(index) else { throw PyError.index("index \(index) is out of bounds for axis 0 with size \(flat.count)") }
            return Value(try flat.view(at: [.at(index < 0 ? index + flat.count : index)]).item())
        },
        .method("astype", "dtype", "a copy in another dtype") { a, call in
            .object(NDArrayObject(a.tensor.to(try NumpyConversion.dtype(call[0]!)).copy()))
        },
        .method("copy", "", "a copy of the array") { a, _ in .object(NDArrayObject(a.tensor.copy())) },
        .method("flatten", "", "a 1-D copy of the elements") { a, _ in .object(NDArrayObject(a.tensor.contiguous().reshapedFlat().copy())) },
        .method("reshape", "*shape", "the elements in another shape (one size may be -1)") { a, call in
            let shape = try NumpyConversion.shape(call.arguments.positional)
            let known = shape.filter { $0 != -1 }.reduce(1, *)
            guard shape.filter({ $0 == -1 }).count <= 1 else { throw PyError.value("can only specify one unknown dimension") }
            guard shape.allSatisfy({ $0 >= -1 }), shape.contains(-1) ? known != 0 && a.tensor.count % known == 0 : known == a.tensor.count else {
                // numpy writes the unknown size as "newaxis", and leaves it out when it comes first
                let shapeText = shape.contains(-1)
                    ? "(" + shape.enumerated().compactMap { $1 != -1 ? String($1) : $0 == 0 ? nil : "newaxis" }.joined(separator: ",") + ")"
                    : NumpyPrinter.pythonTuple(shape).replacingOccurrences(of: " ", with: "")
                throw PyError.value("cannot reshape array of size \(a.tensor.count) into shape \(shapeText)")
            }
            return .object(NDArrayObject(try a.tensor.reshaped(shape)))
        },
    ] + NumpyReductions.methods + NumpyFunctions.methods)
}

extension Tensor {
    /// The elements of a contiguous tensor as one dimension.
    func reshapedFlat() -> Tensor { (try? reshaped([count])) ?? self }
}

