/// A value of the pickle `torch.save` writes for a state dict: plain data, references to a class or function
/// (`GLOBAL`), the tensor storages it points to (`BINPERSID`), and the calls (`REDUCE`) that rebuild tensors.
indirect enum PickleValue {
    case none, bool(Bool), int(Int), float(Double), string(String)
    case tuple([PickleValue]), list([PickleValue])
    /// A dict, or an `OrderedDict` (a state dict).
    case dict([(PickleValue, PickleValue)], ordered: Bool)
    /// `module.name`, allowed only from a short list (nothing is ever called: values are only built).
    case global(String)
    /// `('storage', torch.FloatStorage, key, location, count)`.
    case storage(key: String, type: StorageType, count: Int)
    /// `_rebuild_tensor_v2(storage, offset, size, stride, ...)`.
    case tensor(TensorRecord)
    case mark
}

/// Where one tensor's values lie: its storage (a file of the archive), element type, offset, shape and strides;
/// and whether it requires grad (a parameter, or a tensor saved with `requires_grad=True`).
public struct TensorRecord: Sendable {
    let storage: String, type: StorageType, offset: Int, shape: [Int], strides: [Int]
    var requiresGrad = false
    /// Whether it was saved as an `nn.Parameter`.
    var isParameter = false
}

/// A pickle machine for state dicts: the opcodes `torch.save` uses (protocol 2, and 4's short forms), and only
/// the globals that rebuild tensors, so a checkpoint can describe data but never run code.
struct Unpickler {
    /// The globals a state dict may name.
    static let allowed: Set<String> = ["torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter", "collections.OrderedDict"]

    private let bytes: [UInt8]
    private var position = 0
    private var stack = [PickleValue]()
    private var memo = [Int: PickleValue]()
    private let path: String

    init(_ bytes: [UInt8], path: String) { (self.bytes, self.path) = (bytes, path) }

    private func fail(_ problem: String) -> CheckpointError { CheckpointError("\(path): data.pkl \(problem)") }

    private mutating func read(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, position + n <= bytes.count else { throw fail("ends in the middle of an instruction") }
        defer { position += n }
        return bytes[position..<position + n]
    }

    private mutating func int(_ n: Int) throws -> Int {
        try read(n).reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    private mutating func line() throws -> String {
        guard let end = bytes[position...].firstIndex(of: 0x0A) else { throw fail("ends in the middle of a name") }
        defer { position = end + 1 }
        return String(decoding: bytes[position..<end], as: UTF8.self)
    }

    private mutating func pop() throws -> PickleValue {
        guard let value = stack.popLast() else { throw fail("pops an empty stack") }
        return value
    }

    /// The values pushed since the last mark, which is removed.
    private mutating func popMark() throws -> [PickleValue] {
        guard let mark = stack.lastIndex(where: { if case .mark = $0 { return true } else { return false } }) else {
            throw fail("has no mark to pop to")
        }
        defer { stack.removeSubrange(mark...) }
        return Array(stack[(mark + 1)...])
    }

    /// Runs the pickle to its STOP and returns the value it built.
    mutating func load() throws -> PickleValue {
        while true {
            let op = try read(1).first!
            switch op {
            case 0x80: _ = try read(1)                                   // PROTO
            case 0x95: _ = try read(8)                                   // FRAME
            case 0x2E: return try pop()                                  // STOP
            case 0x7D: stack.append(.dict([], ordered: false))           // EMPTY_DICT
            case 0x5D: stack.append(.list([]))                           // EMPTY_LIST
            case 0x29: stack.append(.tuple([]))                          // EMPTY_TUPLE
            case 0x28: stack.append(.mark)                               // MARK
            case 0x4E: stack.append(.none)                               // NONE
            case 0x88: stack.append(.bool(true))                         // NEWTRUE
            case 0x89: stack.append(.bool(false))                        // NEWFALSE
            case 0x4B: stack.append(.int(try int(1)))                    // BININT1
            case 0x4D: stack.append(.int(try int(2)))                    // BININT2
            case 0x4A: stack.append(.int(Int(Int32(truncatingIfNeeded: try int(4)))))  // BININT
            case 0x8A:                                                   // LONG1
                let n = try int(1)
                guard n <= 8 else { throw fail("holds an integer of \(n) bytes") }
                let raw = try int(n)
                stack.append(.int(n == 8 || n == 0 ? raw : (raw << (64 - 8 * n)) >> (64 - 8 * n)))
            case 0x47:                                                   // BINFLOAT (big-endian)
                stack.append(.float(Double(bitPattern: try read(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })))
            case 0x58: stack.append(.string(try string(try int(4))))     // BINUNICODE
            case 0x8C: stack.append(.string(try string(try int(1))))     // SHORT_BINUNICODE
            case 0x71: memo[try int(1)] = stack.last                     // BINPUT
            case 0x72: memo[try int(4)] = stack.last                     // LONG_BINPUT
            case 0x94: memo[memo.count] = stack.last                     // MEMOIZE
            case 0x68, 0x6A:                                             // BINGET, LONG_BINGET
                let key = try int(op == 0x68 ? 1 : 4)
                guard let value = memo[key] else { throw fail("reads memo \(key), which was never stored") }
                stack.append(value)
            case 0x74: stack.append(try tuple(try popMark()))            // TUPLE
            case 0x85: stack.append(try tuple([try pop()]))              // TUPLE1
            case 0x86: let b = try pop(), a = try pop(); stack.append(try tuple([a, b]))       // TUPLE2
            case 0x87: let c = try pop(), b = try pop(), a = try pop(); stack.append(try tuple([a, b, c]))  // TUPLE3
            case 0x61: let v = try pop(); try append(to: -1, [v])        // APPEND
            case 0x65: let items = try popMark(); try append(to: -1, items)  // APPENDS
            case 0x73: let v = try pop(), k = try pop(); try set([(k, v)])   // SETITEM
            case 0x75:                                                   // SETITEMS
                let items = try popMark()
                guard items.count % 2 == 0 else { throw fail("sets a dict from an odd number of values") }
                try set(stride(from: 0, to: items.count, by: 2).map { (items[$0], items[$0 + 1]) })
            case 0x63: try global(module: try line(), name: try line()) // GLOBAL
            case 0x93:                                                   // STACK_GLOBAL
                guard case .string(let name) = try pop(), case .string(let module) = try pop() else { throw fail("names a global oddly") }
                try global(module: module, name: name)
            case 0x51: stack.append(try persistent(try pop()))          // BINPERSID
            case 0x52: let arguments = try pop(), function = try pop(); stack.append(try reduce(function, arguments))  // REDUCE
            case 0x62: _ = try pop()                                     // BUILD: the state (an OrderedDict's _metadata) is not needed
            default: throw fail("uses pickle opcode 0x\(String(op, radix: 16)), which a state dict does not need")
            }
        }
    }

    private mutating func string(_ n: Int) throws -> String { String(decoding: try read(n), as: UTF8.self) }

    /// Appends in place (the list taken off the stack, so that its storage is not copied each time).
    private mutating func append(to index: Int, _ items: [PickleValue]) throws {
        try checkDepth(items)
        guard case .list(var list)? = stack.popLast() else { throw fail("appends to something that is not a list") }
        list += items
        stack.append(.list(list))
    }

    private mutating func set(_ pairs: [(PickleValue, PickleValue)]) throws {
        try checkDepth(pairs.map(\.1))
        guard case .dict(var dict, let ordered)? = stack.popLast() else { throw fail("sets items of something that is not a dict") }
        dict += pairs
        stack.append(.dict(dict, ordered: ordered))
    }

    /// A state dict nests a few levels; much deeper nesting is refused before it could exhaust the stack.
    private static let maxDepth = 100

    /// Fails when a container of `items` would nest more than `maxDepth` levels (each item measured only down to
    /// that limit).
    private func checkDepth(_ items: [PickleValue]) throws {
        // each check visits at most `budget` values: shared memo references can make a small pickle a huge tree
        var budget = 100_000
        func depth(_ v: PickleValue, _ limit: Int) -> Int {
            budget -= 1
            guard limit > 0, budget > 0 else { return Self.maxDepth }
            switch v {
            case .tuple(let xs), .list(let xs): return 1 + (xs.lazy.map { depth($0, limit - 1) }.max() ?? 0)
            case .dict(let pairs, _): return 1 + (pairs.lazy.map { depth($0.1, limit - 1) }.max() ?? 0)
            default: return 0
            }
        }
        if items.contains(where: { depth($0, Self.maxDepth) >= Self.maxDepth }) {
            throw fail("nests containers more than \(Self.maxDepth) levels deep, which no state dict does")
        }
    }

    /// A tuple of `items`, its depth checked.
    private func tuple(_ items: [PickleValue]) throws -> PickleValue {
        try checkDepth(items)
        return .tuple(items)
    }

    private mutating func global(module: String, name: String) throws {
        let qualified = module + "." + name
        guard Self.allowed.contains(qualified) || (module == "torch" && StorageType(rawValue: name) != nil) else {
            throw fail("names \(qualified), which sbpl does not build: it reads tensors and the dicts, lists, tuples, numbers and strings that hold them (a state dict), never code")
        }
        stack.append(.global(qualified))
    }

    /// `('storage', torch.FloatStorage, key, location, count)`.
    private func persistent(_ id: PickleValue) throws -> PickleValue {
        guard case .tuple(let parts) = id, parts.count == 5, case .string("storage") = parts[0], case .global(let type) = parts[1],
              case .string(let key) = parts[2], case .int(let count) = parts[4], type.hasPrefix("torch."),
              let storageType = StorageType(rawValue: String(type.dropFirst("torch.".count))) else { throw fail("refers to a storage it does not describe") }
        return .storage(key: key, type: storageType, count: count)
    }

    private func reduce(_ function: PickleValue, _ arguments: PickleValue) throws -> PickleValue {
        guard case .global(let name) = function, case .tuple(let a) = arguments else { throw fail("calls something that is not a function") }
        switch name {
        case "collections.OrderedDict": return .dict([], ordered: true)
        case "torch._utils._rebuild_parameter":
            guard case .tensor(var record)? = a.first else { throw fail("rebuilds a parameter from something that is not a tensor") }
            if a.count > 1, case .bool(let requiresGrad) = a[1] { record.requiresGrad = requiresGrad }
            record.isParameter = true
            return .tensor(record)
        default:
            guard a.count >= 4, case .storage(let key, let type, _) = a[0], case .int(let offset) = a[1], offset >= 0,
                  case .tuple(let size) = a[2], case .tuple(let stride) = a[3] else { throw fail("rebuilds a tensor from odd arguments") }
            let shape = try size.map { v -> Int in guard case .int(let n) = v, n >= 0 else { throw fail("gives a tensor an odd size") }; return n }
            let strides = try stride.map { v -> Int in guard case .int(let n) = v, n >= 0 else { throw fail("gives a tensor an odd stride") }; return n }
            guard shape.count == strides.count else { throw fail("gives a tensor a size and a stride of different lengths") }
            let requiresGrad = if a.count > 4, case .bool(true) = a[4] { true } else { false }
            return .tensor(TensorRecord(storage: key, type: type, offset: offset, shape: shape, strides: strides, requiresGrad: requiresGrad))
        }
    }
}
