import Foundation

/// A Jupyter connection file: where the kernel binds its five sockets and the key it signs messages with, as
/// jupyter_client's `write_connection_file` writes it.
public struct ConnectionInfo: Codable, Equatable, Sendable {
    /// `tcp` or `ipc`.
    public var transport: String
    public var ip: String
    public var shellPort: Int
    public var iopubPort: Int
    public var stdinPort: Int
    public var controlPort: Int
    public var hbPort: Int
    /// The HMAC key (empty: messages are neither signed nor checked).
    public var key: String
    public var signatureScheme: String

    enum CodingKeys: String, CodingKey {
        case transport, ip, key
        case shellPort = "shell_port", iopubPort = "iopub_port", stdinPort = "stdin_port"
        case controlPort = "control_port", hbPort = "hb_port", signatureScheme = "signature_scheme"
    }

    /// Reads and checks the connection file at `path`.
    public static func read(_ path: String) throws -> ConnectionInfo {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KernelError.connectionFile(path: path, reason: "no such readable file")
        }
        let info: ConnectionInfo
        do {
            info = try JSONDecoder().decode(ConnectionInfo.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw KernelError.connectionFile(path: path, reason: "missing '\(key.stringValue)'")
        } catch {
            throw KernelError.connectionFile(path: path, reason: "not a Jupyter connection file (\(error))")
        }
        guard info.signatureScheme == "hmac-sha256" else { throw KernelError.unsupportedSignatureScheme(info.signatureScheme) }
        return info
    }

    /// The ZeroMQ endpoint for `port`: `tcp://IP:PORT`, or `ipc://IP-PORT` as jupyter_client names ipc files.
    public func endpoint(_ port: Int) -> String {
        transport == "ipc" ? "ipc://\(ip)-\(port)" : "\(transport)://\(ip):\(port)"
    }
}
