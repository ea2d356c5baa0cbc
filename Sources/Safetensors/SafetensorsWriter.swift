import Foundation
import TensorCore

/// Writes tensors as a `.safetensors` file (each in its own type: F32, F16, BF16, F64, I64, I32, BOOL), names sorted, header padded to 8 bytes as the
/// reference writer pads it.
public enum SafetensorsWriter {
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to path: String) throws {
        var header = [String: Any]()
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var body = Data()
        for name in tensors.keys.sorted() {
            let t = tensors[name]!
            let begin = body.count
            body.append(t.elementBytes())
            header[name] = ["dtype": SafetensorsDType(storing: t.dtype).rawValue, "shape": t.shape,
                            "data_offsets": [begin, body.count]] as [String: Any]
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        json.append(contentsOf: [UInt8](repeating: UInt8(ascii: " "), count: (8 - json.count % 8) % 8))
        var file = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(json)
        file.append(body)
        // to a new file renamed into place: a model loaded from this file keeps the old one mapped, where rewriting
        // it in place would change (or cut short) the weights under the model
        do { try file.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw SafetensorsError(path, "cannot write: \(error.localizedDescription)")
        }
    }
}
