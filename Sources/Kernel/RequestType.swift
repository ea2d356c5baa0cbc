/// The requests sbpl answers, by their `msg_type`.
enum RequestType: String, CaseIterable, Sendable {
    case kernelInfo = "kernel_info_request"
    case execute = "execute_request"
    case complete = "complete_request"
    case inspect = "inspect_request"
    case isComplete = "is_complete_request"
    case history = "history_request"
    case commInfo = "comm_info_request"
    case shutdown = "shutdown_request"
    case interrupt = "interrupt_request"

    /// The `msg_type` of the reply: `_request` becomes `_reply`.
    var replyType: String { String(rawValue.dropLast("request".count)) + "reply" }

    /// Whether the control channel serves it: the requests that must be answered while a cell runs, and touch no
    /// interpreter state (the shell channel serves every request).
    var servedOnControl: Bool { self == .kernelInfo || self == .shutdown || self == .interrupt }
}
