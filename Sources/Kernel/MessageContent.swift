/// The contents of the messages sbpl reads and writes, as the Jupyter messaging protocol 5.3 spells them.

// MARK: Requests

struct ExecuteRequest: Decodable {
    var code: String
    var silent = false
    var storeHistory = true
    /// Whether an error aborts the execute requests already queued behind this one (as "Run All" expects).
    var stopOnError = true
    /// Whether the front end answers `input_request`s on the stdin channel.
    var allowStdin = false

    enum CodingKeys: String, CodingKey {
        case code, silent, storeHistory = "store_history", stopOnError = "stop_on_error", allowStdin = "allow_stdin"
    }

    /// A request to run `code` as a notebook cell (shown and counted).
    init(code: String) {
        self.code = code
    }

    init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        code = try values.decode(String.self, forKey: .code)
        silent = try values.decodeIfPresent(Bool.self, forKey: .silent) ?? false
        // silent forces store_history off
        let storeHistory = try values.decodeIfPresent(Bool.self, forKey: .storeHistory) ?? true
        self.storeHistory = !silent && storeHistory
        stopOnError = try values.decodeIfPresent(Bool.self, forKey: .stopOnError) ?? true
        allowStdin = try values.decodeIfPresent(Bool.self, forKey: .allowStdin) ?? false
    }
}

/// `complete_request` and `inspect_request`: the cell and the cursor's offset in it, in Unicode code points.
struct CursorRequest: Decodable {
    var code: String
    var cursorPos: Int

    enum CodingKeys: String, CodingKey { case code, cursorPos = "cursor_pos" }
}

struct IsCompleteRequest: Decodable {
    var code: String
}

/// `history_request`: `tail` (the last `n` cells) or everything (`range` and `search` are answered with the
/// whole session).
struct HistoryRequest: Decodable {
    enum Access: String, Decodable { case tail, range, search }

    var histAccessType: Access
    var n: Int?

    enum CodingKeys: String, CodingKey { case n, histAccessType = "hist_access_type" }
}

/// The front end's answer to an `input_request`, on the stdin channel.
struct InputReply: Decodable {
    var value: String
}

struct ShutdownRequest: Decodable {
    var restart = false
}

// MARK: Replies

/// Every reply's `status`.
enum ReplyStatus: String, Encodable {
    case ok, error, aborted
}

/// The reply to an execute request skipped because an earlier cell failed.
struct AbortedReply: Encodable {
    let status = ReplyStatus.aborted
}

struct KernelInfoReply: Encodable {
    struct LanguageInfo: Encodable {
        let name = "python"
        let version = "3.11"
        let mimetype = "text/x-python"
        let fileExtension = ".sbpl"
        let codemirrorMode = "python"
        let pygmentsLexer = "python"
        let nbconvertExporter = "python"

        enum CodingKeys: String, CodingKey {
            case name, version, mimetype
            case fileExtension = "file_extension", codemirrorMode = "codemirror_mode", pygmentsLexer = "pygments_lexer"
            case nbconvertExporter = "nbconvert_exporter"
        }
    }

    let status = ReplyStatus.ok
    let protocolVersion = MessageHeader.protocolVersion
    let implementation = "sbpl"
    let implementationVersion: String
    let languageInfo = LanguageInfo()
    let banner: String
    let helpLinks: [String] = []

    enum CodingKeys: String, CodingKey {
        case status, implementation, banner
        case protocolVersion = "protocol_version", implementationVersion = "implementation_version"
        case languageInfo = "language_info", helpLinks = "help_links"
    }
}

struct ExecuteReply: Encodable {
    /// ipykernel's `set_next_input` payload: the front end puts `text` into the cell (`%load`).
    struct Payload: Encodable, Equatable {
        let source = "set_next_input"
        let text: String
        let replace = true
    }

    let status = ReplyStatus.ok
    let executionCount: Int
    let userExpressions: [String: String] = [:]
    var payload: [Payload] = []

    enum CodingKeys: String, CodingKey {
        case status, payload
        case executionCount = "execution_count", userExpressions = "user_expressions"
    }
}

/// A failed cell: the `error` message on iopub and, with `status` and `execution_count`, the execute reply.
struct ErrorContent: Encodable {
    let status = ReplyStatus.error
    let ename: String
    let evalue: String
    let traceback: [String]
    var executionCount: Int?

    enum CodingKeys: String, CodingKey { case status, ename, evalue, traceback, executionCount = "execution_count" }
}

struct CompleteReply: Encodable {
    let status = ReplyStatus.ok
    let matches: [String]
    let cursorStart: Int
    let cursorEnd: Int
    let metadata: [String: String] = [:]

    enum CodingKeys: String, CodingKey {
        case status, matches, metadata
        case cursorStart = "cursor_start", cursorEnd = "cursor_end"
    }
}

struct InspectReply: Encodable {
    let status = ReplyStatus.ok
    let found: Bool
    let data: [String: String]
    let metadata: [String: String] = [:]
}

struct IsCompleteReply: Encodable {
    /// `complete`, `incomplete`, `invalid` or `unknown`.
    enum Verdict: String, Encodable {
        case complete, incomplete, invalid, unknown
    }

    let status: Verdict
    /// For `incomplete`: the indentation of the next line.
    let indent: String?
}

struct HistoryReply: Encodable {
    /// One cell: `[session, line, input]`, the line being its execution count.
    struct Entry: Encodable, Equatable {
        let session: Int
        let line: Int
        let input: String

        func encode(to encoder: any Encoder) throws {
            var values = encoder.unkeyedContainer()
            try values.encode(session)
            try values.encode(line)
            try values.encode(input)
        }
    }

    let status = ReplyStatus.ok
    let history: [Entry]
}

struct CommInfoReply: Encodable {
    let status = ReplyStatus.ok
    let comms: [String: String] = [:]
}

struct ShutdownReply: Encodable {
    let status = ReplyStatus.ok
    let restart: Bool
}

struct InterruptReply: Encodable {
    let status = ReplyStatus.ok
}

/// A question to the user, sent on the stdin channel while a cell runs (`%reset`'s "Proceed (y/[n])?").
struct InputRequest: Encodable {
    let prompt: String
    let password = false
}

// MARK: iopub

/// The `msg_type`s the kernel broadcasts on iopub.
enum BroadcastType: String {
    case status, stream, error
    case executeInput = "execute_input", executeResult = "execute_result"
}

struct KernelStatus: Encodable {
    enum State: String, Encodable { case busy, idle, starting }
    let executionState: State

    enum CodingKeys: String, CodingKey { case executionState = "execution_state" }
}

struct StreamContent: Encodable {
    enum Name: String, Encodable { case stdout, stderr }
    let name: Name
    let text: String
}

struct ExecuteInput: Encodable {
    let code: String
    let executionCount: Int

    enum CodingKeys: String, CodingKey { case code, executionCount = "execution_count" }
}

struct ExecuteResult: Encodable {
    let executionCount: Int
    let data: [String: String]
    let metadata: [String: String] = [:]

    enum CodingKeys: String, CodingKey { case data, metadata, executionCount = "execution_count" }
}
