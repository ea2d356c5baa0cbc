/// A safetensors file that cannot be read, naming the file and, where it applies, the tensor.
public struct SafetensorsError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let tensor: String?
    public let reason: String

    public init(_ path: String, tensor: String? = nil, _ reason: String) {
        self.path = path
        self.tensor = tensor
        self.reason = reason
    }

    public var description: String {
        "\(path): " + (tensor.map { "tensor '\($0)': " } ?? "") + reason
    }
}
