import Foundation

/// A Jupyter message header (messaging protocol 5.3).
struct MessageHeader: Codable, Equatable, Sendable {
    var msgID: String
    var session: String
    var username: String
    var date: String
    var msgType: String
    var version: String

    enum CodingKeys: String, CodingKey {
        case session, username, date, version
        case msgID = "msg_id", msgType = "msg_type"
    }

    /// The protocol version sbpl speaks.
    static let protocolVersion = "5.3"

    /// A new header of `msgType` in `session`, dated now, with a fresh id.
    init(msgType: String, session: String, username: String) {
        msgID = UUID().uuidString.lowercased()
        self.session = session
        self.username = username
        date = Self.now()
        self.msgType = msgType
        version = Self.protocolVersion
    }

    /// The current time as ISO 8601 with microseconds and a `Z`, as jupyter_client dates messages.
    private static func now() -> String {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        var seconds = time.tv_sec, parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec, time.tv_nsec / 1000)
    }
}

/// One message as it travels on a socket: the routing identities, then `<IDS|MSG>`, the signature, header,
/// parent header, metadata and content (JSON each), and any binary buffers.
struct Message: Sendable {
    /// The peers a ROUTER socket routes the reply to (for iopub: the topic).
    var identities: [Data]
    var header: MessageHeader
    /// The parent header's JSON as received (`{}` for none), passed back untouched.
    var parentHeader: Data
    var metadata: Data
    var content: Data

    static let delimiter = Data("<IDS|MSG>".utf8)

    /// The message in `frames`, its signature checked with `signer`.
    init(frames: [Data], signer: MessageSigner) throws {
        guard let split = frames.firstIndex(of: Self.delimiter) else { throw KernelError.malformedMessage("no <IDS|MSG> delimiter") }
        let parts = Array(frames[(split + 1)...])
        guard parts.count >= 5 else { throw KernelError.malformedMessage("\(parts.count) parts after the delimiter, 5 expected") }
        guard signer.verifies(parts[0], of: Array(parts[1...4])) else { throw KernelError.badSignature }
        identities = Array(frames[..<split])
        do {
            header = try JSONDecoder().decode(MessageHeader.self, from: parts[1])
        } catch {
            throw KernelError.malformedMessage("unreadable header (\(error))")
        }
        (parentHeader, metadata, content) = (parts[2], parts[3], parts[4])
    }

    /// A message with `content` in reply to (or caused by) the message with header `parent`.
    init(_ msgType: String, content: some Encodable, parent: MessageHeader?, session: String, identities: [Data]) throws {
        self.identities = identities
        header = MessageHeader(msgType: msgType, session: session, username: parent?.username ?? "sbpl")
        parentHeader = try parent.map { try Self.encoder.encode($0) } ?? Data("{}".utf8)
        metadata = Data("{}".utf8)
        self.content = try Self.encoder.encode(content)
    }

    /// The content decoded as the request `T`.
    func content<T: Decodable>(as type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: content)
        } catch {
            throw KernelError.malformedMessage("the content of \(header.msgType) is not what the protocol says (\(error))")
        }
    }

    /// The frames to send, signed with `signer`.
    func frames(signedWith signer: MessageSigner) throws -> [Data] {
        let parts = [try Self.encoder.encode(header), parentHeader, metadata, content]
        return identities + [Self.delimiter, Data(signer.signature(of: parts).utf8)] + parts
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
