/// A native object that behaves as a Python mapping with string keys, as transformers' `ModelOutput` (an
/// `OrderedDict`) and `BatchEncoding` (a `UserDict`) do: `x[key]`, `x[key] = v`, `**x`, `key in x`, `len(x)`,
/// iteration over its keys, `dict(x)`.
public protocol MappingObject: PyObject {
    /// The keys, in order.
    var mappingKeys: [String] { get }
    /// The value of `key`; nil when absent.
    func mappingValue(_ key: String) -> Value?
    /// `x[i]` for an integer key; nil when the mapping takes string keys only (a `KeyError` then).
    func positionalItem(_ index: Int) throws -> Value?
    /// What `x[a:b]` slices (a ModelOutput's `to_tuple()`); nil when the mapping takes no slices.
    var sliceableItems: [Value]? { get }
    /// `x[key] = value`; a `TypeError` unless the mapping can change.
    func setMappingValue(_ key: String, _ value: Value) throws
}

extension MappingObject {
    public func positionalItem(_ index: Int) throws -> Value? { nil }

    public var sliceableItems: [Value]? { nil }

    public func setMappingValue(_ key: String, _ value: Value) throws {
        throw PyError.type("'\(typeName)' object does not support item assignment")
    }

    /// The (key, value) pairs, in order.
    public var mappingItems: [(key: String, value: Value)] {
        mappingKeys.compactMap { key in mappingValue(key).map { (key, $0) } }
    }
}
