/// Reads protocol buffers' wire format, field after field, as SentencePiece's `.model` files are written: varints,
/// 32- and 64-bit fixed values and length-delimited bytes (strings, packed data, nested messages). Every read is
/// checked: bytes that end too soon, an overlong varint or a field of an unknown wire type is a `TokenizerError`
/// naming `source` and the position (in bytes from the start of the file).
struct ProtobufReader {
    /// One field's value as the wire carries it.
    enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case bytes(ArraySlice<UInt8>)
        case fixed32(UInt32)
    }

    private let bytes: ArraySlice<UInt8>
    private var position: Int
    /// What is read, for messages (`spiece.model's trainer_spec`).
    let source: String

    init(_ bytes: ArraySlice<UInt8>, source: String) {
        self.bytes = bytes
        self.source = source
        position = bytes.startIndex
    }

    /// The next field's number and value, nil at the end.
    mutating func next() throws -> (field: Int, value: Value)? {
        guard position < bytes.endIndex else { return nil }
        let key = try varint()
        let field = Int(key >> 3)
        switch key & 7 {
        case 0: return (field, .varint(try varint()))
        case 1: return (field, .fixed64(try fixed(8)))
        case 2:
            let length = try varint()
            guard length <= UInt64(bytes.endIndex - position) else {
                throw error("field \(field) says it holds \(length) bytes, but only \(bytes.endIndex - position) are left")
            }
            defer { position += Int(length) }
            return (field, .bytes(bytes[position..<position + Int(length)]))
        case 5: return (field, .fixed32(UInt32(try fixed(4))))
        case let type: throw error("field \(field) has wire type \(type), which SentencePiece models do not use")
        }
    }

    private mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 70, by: 7) {
            guard position < bytes.endIndex else { throw error("a varint is cut off by the end of the data") }
            let byte = bytes[position]
            position += 1
            guard shift < 63 || byte <= 1 else { throw error("a varint is longer than 64 bits") }
            value |= UInt64(byte & 0x7F) << UInt64(shift)
            if byte & 0x80 == 0 { return value }
        }
        throw error("a varint is longer than 64 bits")
    }

    private mutating func fixed(_ size: Int) throws -> UInt64 {
        guard bytes.endIndex - position >= size else { throw error("a \(size * 8)-bit value is cut off by the end of the data") }
        defer { position += size }
        return (0..<size).reduce(0) { $0 | UInt64(bytes[position + $1]) << (8 * UInt64($1)) }
    }

    private func error(_ problem: String) -> TokenizerError {
        TokenizerError("\(source) is not a valid SentencePiece model: at byte \(position), \(problem)")
    }
}

extension ProtobufReader.Value {
    /// An `int32` / `enum` field (negative numbers are ten-byte varints).
    var int32: Int? {
        guard case .varint(let value) = self else { return nil }
        return Int(Int32(truncatingIfNeeded: value))
    }

    var bool: Bool? {
        guard case .varint(let value) = self else { return nil }
        return value != 0
    }

    var float: Float? {
        guard case .fixed32(let bits) = self else { return nil }
        return Float(bitPattern: bits)
    }

    var data: ArraySlice<UInt8>? {
        guard case .bytes(let bytes) = self else { return nil }
        return bytes
    }

    var string: String? { data.map { String(decoding: $0, as: UTF8.self) } }
}
