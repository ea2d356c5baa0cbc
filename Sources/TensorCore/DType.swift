/// The element types sbpl tensors hold: float32 for activations and weights, int64 for ids and masks, bool for
/// comparisons (as in torch).
public enum DType: Sendable, Equatable {
    case float32
    case int64
    case bool

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .float32: 4
        case .int64: 8
        case .bool: 1
        }
    }

    /// The name torch prints, e.g. `torch.float32`.
    public var torchName: String {
        switch self {
        case .float32: "torch.float32"
        case .int64: "torch.int64"
        case .bool: "torch.bool"
        }
    }

    /// Whether the type is floating point (`dtype.is_floating_point`).
    public var isFloatingPoint: Bool { self == .float32 }
}

/// One element read out of a tensor, as Python's `item()` gives it: a float (double) or an int.
public enum Scalar: Sendable, Equatable {
    case float(Double)
    case int(Int64)
    case bool(Bool)

    /// The value as a double, whatever its kind.
    public var doubleValue: Double {
        switch self {
        case .float(let v): return v
        case .int(let v): return Double(v)
        case .bool(let v): return v ? 1 : 0
        }
    }
}
