/// `torch.device`: where a tensor lives. sbpl computes on the CPU, so every tensor and model is on
/// `device(type='cpu')`; other devices can be named (as torch allows without the hardware) but hold nothing.
public final class DeviceObject: MemberTableObject {
    let type: String
    let index: Int?

    /// The device torch's device string names (`"cpu"`, `"cuda:1"`), with torch's error for an unknown type.
    public convenience init(_ text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let type = parts.first, Self.types.contains(type) else {
            throw PyError(.runtimeError, "Expected one of \(Self.types.joined(separator: ", ")) device type at start of device string: \(text)")
        }
        guard parts.count == 1 || Int(parts[1]) != nil else { throw PyError(.runtimeError, "Invalid device string: '\(text)'") }
        self.init(type: type, index: parts.count > 1 ? Int(parts[1]) : nil)
    }

    private init(type: String, index: Int?) {
        self.type = type
        self.index = index
    }

    /// The CPU, where sbpl keeps every tensor.
    public static var cpu: Value { .object(DeviceObject(type: "cpu", index: nil)) }

    /// `a == b`: the same type and index.
    func isSame(as other: DeviceObject) -> Bool { type == other.type && index == other.index }

    /// The device types torch 2.x names in its error.
    private static let types = ["cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "maia",
                                "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone"]

    public var typeName: String { "device" }
    public var qualifiedTypeName: String? { "torch.device" }
    public var repr: String { "device(type='\(type)'" + (index.map { ", index=\($0))" } ?? ")") }
    public var str: String { type + (index.map { ":\($0)" } ?? "") }

    public static let members = MemberTable<DeviceObject>("device", [
        .attribute("type", "the device type, e.g. 'cpu'") { .str($0.type) },
        .attribute("index", "the device's index, None when not given") { d in d.index.map(Value.int) ?? .none },
    ])
}
