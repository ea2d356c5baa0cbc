import Foundation
import TensorCore

/// Writes tensors as a `.safetensors` file (F32 and I64), names sorted, header padded to 8 bytes as the
/// reference writer pads it.
public enum SafetensorsWriter {
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to path: String) throws {
        var header = [String: Any]()
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var body = Data()
        for name in tensors.keys.sorted() {
            let t = tensors[name]!.contiguous()
            let begin = body.count
            let code: String
            switch t.dtype {
            case .float32: t.floats().withUnsafeBytes { body.append(contentsOf: $0) }; code = "F32"
            case .int64: t.int64s().withUnsafeBytes { body.append(contentsOf: $0) }; code = "I64"
            case .bool: body.append(contentsOf: t.bools().map { $0 ? UInt8(1) : 0 }); code = "BOOL"
            }
            header[name] = ["dtype": code, "shape": t.shape,
                            "data_offsets": [begin, body.count]] as [String: Any]
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        json.append(contentsOf: [UInt8](repeating: UInt8(ascii: " "), count: (8 - json.count % 8) % 8))
        var file = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(json)
        file.append(body)
        do { try file.write(to: URL(fileURLWithPath: path)) } catch {
            throw SafetensorsError(path, "cannot write: \(error.localizedDescription)")
        }
    }
}
