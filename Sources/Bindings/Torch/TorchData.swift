import Language
import TensorCore

/// `torch.utils.data`: `DataLoader`, as chapter 3's training loop batches its dataset.
extension TorchModule {
    static func makeUtils() -> PythonModule { PythonModule("torch.utils", ["data": .object(makeData())]) }

    static func makeData() -> PythonModule {
        PythonModule("torch.utils.data", ["DataLoader": DataLoaderObject.type, "default_collate": builtin("default_collate") { args in
            try DefaultCollate.collate(try Iteration.materialize(try args.bind("default_collate", ["batch"], required: 1)[0]!))
        }])
    }
}

/// `DataLoader(dataset, batch_size=1, shuffle=False, collate_fn=None, drop_last=False, ...)`: the dataset's items in
/// batches of `batch_size`, each batch made by `collate_fn` (torch's `default_collate` by default); with
/// `batch_size=None`, the items one by one, through `collate_fn` if given. Each iteration takes from torch's generator
/// what torch's does: its base seed when it starts, and with `shuffle` the seed of the sampler's own generator, which
/// orders the items (`RandomGenerator.shuffledIndices`); so a seeded loop sees torch's order. Workers' options are
/// accepted and checked as torch checks them; the items are read in this process, in the order workers deliver them.
final class DataLoaderObject: IteratorMaker, SizedObject, MemberTableObject {
    let dataset: Value
    /// `len(dataset)`, which torch's sampler reads; items are read `dataset[i]` as batches are made.
    let count: Int
    /// nil: no automatic batching (`batch_size=None`).
    let batchSize: Int?
    let shuffle: Bool, dropLast: Bool
    let collate: Value?
    private let interpreter: Interpreter

    /// The class `torch.utils.data.DataLoader`.
    static var type: Value {
        .object(TypeObject("DataLoader", qualified: "torch.utils.data.dataloader.DataLoader") { .object(try DataLoaderObject($0, $1)) })
    }

    private init(_ arguments: Arguments, _ interpreter: Interpreter) throws {
        let a = try arguments.bind("DataLoader", ["dataset", "batch_size", "shuffle", "sampler", "batch_sampler", "num_workers", "collate_fn",
                                                  "pin_memory", "drop_last", "timeout", "worker_init_fn", "multiprocessing_context",
                                                  "generator", "prefetch_factor", "persistent_workers", "pin_memory_device", "in_order"],
                                   required: 1)
        dataset = a[0]!
        count = try Iteration.length(dataset)
        batchSize = try Self.batchSize(a[1] ?? .int(1))
        shuffle = try a[2].given?.isTruthy() ?? false
        collate = a[6].given
        dropLast = try a[8].given?.isTruthy() ?? false
        self.interpreter = interpreter
        try Self.checkWorkerOptions(workers: try a[5].given?.asInt("num_workers") ?? 0, timeout: try a[9].given?.asDouble("timeout") ?? 0,
                                    prefetchFactor: a[13].given, persistentWorkers: try a[14].given?.isTruthy() ?? false)
        if batchSize == nil && dropLast {
            throw PyError.value("batch_size=None option disables auto-batching and is mutually exclusive with drop_last")
        }
        if shuffle && count == 0 { throw PyError.value("num_samples should be a positive integer value, but got num_samples=0") }
        for (index, name) in [(3, "sampler"), (4, "batch_sampler"), (12, "generator")] where a[index].given != nil {
            throw PyError.notImplemented("DataLoader(..., \(name)=...)")
        }
    }

    /// `batch_size`: a positive int, or None.
    private static func batchSize(_ value: Value) throws -> Int? {
        if case .none = value { return nil }
        guard case .int(let size) = value, size > 0 else {
            throw PyError.value("batch_size should be a positive integer value, but got batch_size=\(value.repr)")
        }
        return size
    }

    /// torch's checks of the options of worker processes.
    private static func checkWorkerOptions(workers: Int, timeout: Double, prefetchFactor: Value?, persistentWorkers: Bool) throws {
        if workers < 0 {
            throw PyError.value("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.")
        }
        if timeout < 0 { throw PyError.value("timeout option should be non-negative") }
        if workers == 0 && prefetchFactor != nil {
            throw PyError.value("prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None.")
        }
        if let prefetchFactor, try prefetchFactor.asInt("prefetch_factor") < 0 {
            throw PyError.value("prefetch_factor option should be non-negative")
        }
        if persistentWorkers && workers == 0 { throw PyError.value("persistent_workers option needs num_workers > 0") }
    }

    var typeName: String { "DataLoader" }
    var qualifiedTypeName: String? { "torch.utils.data.dataloader.DataLoader" }
    var repr: String { "<torch.utils.data.dataloader.DataLoader object at \(objectAddress(self))>" }

    static let members = MemberTable<DataLoaderObject>("DataLoader", [
        .attribute("dataset", "the dataset it batches") { $0.dataset },
        .attribute("batch_size", "how many items a batch holds") { $0.batchSize.map(Value.int) ?? .none },
        .attribute("drop_last", "whether a last, smaller batch is left out") { .bool($0.dropLast) },
    ])

    /// `len(loader)`: the number of batches.
    var length: Int {
        guard let batchSize else { return count }
        return dropLast ? count / batchSize : (count + batchSize - 1) / batchSize
    }

    func makeIterator() throws -> PythonIterator {
        RandomGenerator.random64()   // `_BaseDataLoaderIter` takes its base seed
        return DataLoaderIterator(self)
    }

    /// The batch of `items`: `collate_fn(items)`, or `default_collate`.
    func collated(_ items: [Value]) throws -> Value {
        guard let collate else { return try DefaultCollate.collate(items) }
        return try interpreter.call(collate, Arguments([.list(PyList(items))]))
    }

    /// An item of a loader without batches: `collate_fn(item)`, or the item as torch's `default_convert` leaves it.
    func converted(_ item: Value) throws -> Value {
        guard let collate else { return try DefaultCollate.convert(item) }
        return try interpreter.call(collate, Arguments([item]))
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
        let size = loader.batchSize ?? 1
        guard let order, position < order.count, !loader.dropLast || position + size <= order.count else { return nil }
        let items = try order[position..<min(position + size, order.count)].map { try Subscripts.item(loader.dataset, at: $0) }
        position += size
        return try loader.batchSize == nil ? loader.converted(items[0]) : loader.collated(items)
    }
}

/// torch's `default_collate`: a batch of tensors (or numpy arrays) stacked, of numbers as a tensor (ints int64, floats
/// float64, numpy scalars their dtype), of mappings as a dict of each key's batch, of sequences as a list of each
/// position's batch, of strings as they came (a position's strings as a tuple).
enum DefaultCollate {
    static func collate(_ batch: [Value]) throws -> Value {
        guard let first = batch.first else { throw PyError.index("list index out of range") }
        switch first {
        case .tensor, .object(_ as NDArrayObject):
            return .tensor(try Tensor.stacked(try batch.map { try convert($0).asTensor("a batch item") }, dim: 0))
        case .int, .bool: return .tensor(try TorchModule.tensor(from: .list(PyList(batch)), dtype: nil))   // torch.tensor(batch)
        case .object(_ as RealScalarObject):   // numpy scalars keep their dtype (torch.as_tensor)
            return .tensor(try Tensor.stacked(try batch.map { try TorchModule.tensor(from: $0, dtype: nil) }, dim: 0))
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
            return .list(PyList(try rows[0].indices.map { i in try transposedCollate(rows.map { $0[i] }) }))
        default:
            throw PyError.type("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found \(first.typeName)")
        }
    }

    /// One position of a batch of sequences, which torch takes from `zip(*batch)`: strings stay that tuple.
    private static func transposedCollate(_ samples: [Value]) throws -> Value {
        if case .str? = samples.first { return .tuple(samples) }
        return try collate(samples)
    }

    /// torch's `default_convert`, what a loader without batches does to each item: numpy arrays become tensors, in
    /// mappings and sequences too.
    static func convert(_ item: Value) throws -> Value {
        switch item {
        case .object(let array as NDArrayObject): return .tensor(array.tensor.detached())
        case .dict(let d): return .dict(try PyDict(try d.items.map { ($0.0, try convert($0.1)) }))
        case .list(let l): return .list(PyList(try l.items.map(convert)))
        case .tuple(let t): return .list(PyList(try t.map(convert)))   // a tuple comes back a list, as torch's does
        default: return item
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
