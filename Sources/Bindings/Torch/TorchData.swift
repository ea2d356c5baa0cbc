import Language
import TensorCore

/// `torch.utils.data`: `DataLoader`, as chapter 3's training loop batches its dataset.
extension TorchModule {
    static func makeUtils() -> PythonModule { PythonModule("torch.utils", ["data": .object(makeData())]) }

    static func makeData() -> PythonModule {
        PythonModule("torch.utils.data", ["DataLoader": .object(DataLoaderClass()), "default_collate": builtin("default_collate") { args in
            try DefaultCollate.collate(try Iteration.materialize(try args.bind("default_collate", ["batch"], required: 1)[0]!))
        }])
    }
}

/// The `DataLoader` class: calling it makes a loader, which keeps the interpreter to call its `collate_fn`.
final class DataLoaderClass: CallableObject {
    var typeName: String { "type" }
    var repr: String { "<class 'torch.utils.data.dataloader.DataLoader'>" }

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        .object(try DataLoaderObject(arguments, interpreter))
    }
}

/// `DataLoader(dataset, batch_size=1, shuffle=False, collate_fn=None, drop_last=False)`: the dataset's items in batches
/// of `batch_size`, each batch made by `collate_fn` (torch's `default_collate` by default). Each iteration takes from
/// torch's generator what torch's does: its base seed when it starts, and with `shuffle` the seed of the sampler's
/// own generator, which orders the items (`RandomGenerator.shuffledIndices`); so a seeded loop sees torch's order.
final class DataLoaderObject: IteratorMaker, SizedObject, MemberTableObject {
    let dataset: Value
    /// `len(dataset)`, which torch's sampler reads; items are read `dataset[i]` as batches are made.
    let count: Int
    let batchSize: Int
    let shuffle: Bool, dropLast: Bool
    let collate: Value?
    private let interpreter: Interpreter

    init(_ arguments: Arguments, _ interpreter: Interpreter) throws {
        let a = try arguments.bind("DataLoader", ["dataset", "batch_size", "shuffle", "sampler", "batch_sampler", "num_workers", "collate_fn",
                                                  "pin_memory", "drop_last"], required: 1)
        dataset = a[0]!
        count = try Iteration.length(dataset)
        guard case .int(let size)? = a[1] ?? .int(1), size > 0 else {
            throw PyError.value("batch_size should be a positive integer value, but got batch_size=\(a[1]?.repr ?? "1")")
        }
        batchSize = size
        shuffle = try a[2].given?.isTruthy() ?? false
        if shuffle && count == 0 { throw PyError.value("num_samples should be a positive integer value, but got num_samples=0") }
        for (index, name) in [(3, "sampler"), (4, "batch_sampler")] where a[index].given != nil {
            throw PyError.notImplemented("DataLoader(..., \(name)=...): sbpl has batch_size and shuffle")
        }
        collate = a[6].given
        dropLast = try a[8].given?.isTruthy() ?? false
        self.interpreter = interpreter
    }

    var typeName: String { "DataLoader" }
    var qualifiedTypeName: String? { "torch.utils.data.dataloader.DataLoader" }
    var repr: String { "<torch.utils.data.dataloader.DataLoader object at \(objectAddress(self))>" }

    static let members = MemberTable<DataLoaderObject>("DataLoader", [
        .attribute("dataset", "the dataset it batches") { $0.dataset },
        .attribute("batch_size", "how many items a batch holds") { .int($0.batchSize) },
        .attribute("drop_last", "whether a last, smaller batch is left out") { .bool($0.dropLast) },
    ])

    /// `len(loader)`: the number of batches.
    var length: Int { dropLast ? count / batchSize : (count + batchSize - 1) / batchSize }

    func makeIterator() throws -> PythonIterator {
        RandomGenerator.random64()   // `_BaseDataLoaderIter` takes its base seed
        return DataLoaderIterator(self)
    }

    /// The batch of `items`: `collate_fn(items)`, or `default_collate`.
    func collated(_ items: [Value]) throws -> Value {
        guard let collate else { return try DefaultCollate.collate(items) }
        return try interpreter.call(collate, Arguments([.list(PyList(items))]))
    }
}

/// One pass over a loader: the order is taken at the first batch, as torch's sampler takes it, and each batch reads
/// its items then.
final class DataLoaderIterator: PythonIterator {
    private let loader: DataLoaderObject
    private var order: [Int]?, position = 0

    init(_ loader: DataLoaderObject) { self.loader = loader }

    var typeName: String { "_SingleProcessDataLoaderIter" }
    var repr: String { "<torch.utils.data.dataloader._SingleProcessDataLoaderIter object at \(objectAddress(self))>" }

    func next() throws -> Value? {
        if order == nil { order = loader.shuffle ? RandomGenerator.shuffledIndices(loader.count) : Array(0..<loader.count) }
        guard let order, position < order.count, !loader.dropLast || position + loader.batchSize <= order.count else { return nil }
        let batch = try order[position..<min(position + loader.batchSize, order.count)].map { try Subscripts.item(loader.dataset, at: $0) }
        position += loader.batchSize
        return try loader.collated(batch)
    }
}

/// torch's `default_collate`: a batch of tensors stacked, of numbers as a tensor (ints int64, floats float64), of
/// mappings as a dict of each key's batch, of sequences as a list of each position's batch, of strings as the list.
enum DefaultCollate {
    static func collate(_ batch: [Value]) throws -> Value {
        guard let first = batch.first else { throw PyError.index("list index out of range") }
        switch first {
        case .tensor:
            return .tensor(try Tensor.stacked(try batch.map { try $0.asTensor("a batch item") }, dim: 0))
        case .int, .bool: return .tensor(try TorchModule.tensor(from: .list(PyList(batch)), dtype: nil))   // torch.tensor(batch)
        case .float: return .tensor(try TorchModule.tensor(from: .list(PyList(batch)), dtype: .float64))
        case .str:
            return .list(PyList(batch))
        case .dict, .object(_ as MappingObject):
            let keys = try Iteration.materialize(first)
            return .dict(try PyDict(try keys.map { key in (key, try collate(try batch.map { try Self.value(of: key, in: $0) })) }))
        case .list, .tuple:
            let rows = try batch.map { try Iteration.materialize($0) }
            guard rows.allSatisfy({ $0.count == rows[0].count }) else {
                throw PyError(.runtimeError, "each element in list of batch should be of equal size")
            }
            return .list(PyList(try rows[0].indices.map { i in try collate(rows.map { $0[i] }) }))
        default:
            throw PyError.type("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found \(first.typeName)")
        }
    }

    private static func value(of key: Value, in item: Value) throws -> Value {
        switch item {
        case .dict(let d): if let value = try d.get(key) { return value }
        case .object(let mapping as MappingObject): if case .str(let k) = key, let value = mapping.mappingValue(k) { return value }
        default: break
        }
        throw PyError.key(key)
    }
}
