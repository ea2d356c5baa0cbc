import CZeroMQ

/// What stops the kernel from starting or from talking to its front end.
public enum KernelError: Error, CustomStringConvertible, Equatable {
    /// The connection file could not be read or is not the JSON a front end writes.
    case connectionFile(path: String, reason: String)
    /// The connection file asks for a signature scheme other than `hmac-sha256`.
    case unsupportedSignatureScheme(String)
    /// A ZeroMQ call failed (`call` names it; `reason` is `zmq_strerror`).
    case zeroMQ(call: String, reason: String)
    /// libzmq could not be loaded; the message says what to install.
    case libraryUnavailable(String)
    /// A message whose signature does not match its parts (it is dropped, never run).
    case badSignature
    /// A message that is not a Jupyter message (no `<IDS|MSG>` delimiter, missing parts, unreadable JSON).
    case malformedMessage(String)

    public var description: String {
        switch self {
        case .connectionFile(let path, let reason): return "cannot use the connection file \(path): \(reason)"
        case .unsupportedSignatureScheme(let scheme):
            return "unsupported signature_scheme '\(scheme)' (sbpl signs with hmac-sha256)"
        case .zeroMQ(let call, let reason): return "\(call) failed: \(reason)"
        case .libraryUnavailable(let reason): return reason
        case .badSignature: return "a message with a bad signature was dropped"
        case .malformedMessage(let reason): return "a malformed message was dropped: \(reason)"
        }
    }

    /// The error of the ZeroMQ call `call` that just failed.
    static func lastZeroMQ(_ call: String) -> KernelError {
        .zeroMQ(call: call, reason: String(cString: sbpl_zmq_strerror(sbpl_zmq_errno())))
    }
}
