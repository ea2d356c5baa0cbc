import Foundation
import Language
import Logging
import Synchronization

/// sbpl as a Jupyter kernel (messaging protocol 5.3): binds the five sockets of a connection file and serves
/// requests with one interpreter, as ipykernel's `kernelbase.py` does: one table from message type to handler,
/// `status` busy/idle on iopub around each request, every reply built from the request's header.
///
/// The shell channel is served on the thread that calls `run()` (cells run there); the control channel (interrupt,
/// shutdown) and the heartbeat have a thread each, so they answer while a cell runs.
public final class Kernel: @unchecked Sendable {
    /// Which socket a request came on.
    enum Channel: String { case shell, control }

    private let signer: MessageSigner
    private let session = UUID().uuidString.lowercased()
    private let context: ZeroMQContext
    private let shell, control, stdin, iopub, heartbeat: ZeroMQSocket
    private let executor = CellExecutor()
    private let stopping = Atomic(false)
    /// Set when a cell failed with `stop_on_error`: the execute requests queued behind it are aborted.
    private var abortsQueue = false
    private let logger = Logger(label: "sbpl")
    /// How long a socket wait lasts before the loops look at `stopping` again, in milliseconds.
    private static let pollInterval = 100

    /// A kernel bound to the sockets of `connection`.
    public init(connection: ConnectionInfo) throws {
        signer = MessageSigner(key: connection.key)
        context = try ZeroMQContext()
        let bind = { [context] (kind: ZeroMQSocket.Kind, port: Int, linger: Int32) in
            try ZeroMQSocket(kind, in: context, bindingTo: connection.endpoint(port), linger: linger)
        }
        shell = try bind(.router, connection.shellPort, 0)
        control = try bind(.router, connection.controlPort, 0)
        stdin = try bind(.router, connection.stdinPort, 0)
        iopub = try bind(.publisher, connection.iopubPort, 1000)
        heartbeat = try bind(.reply, connection.hbPort, 0)
        executor.interpreter.streamsGeneration = true
    }

    /// Serves until a `shutdown_request`, then closes every socket.
    public func run() {
        let threads = DispatchGroup()
        let loops: [(String, @Sendable () -> Void)] = [("control", { self.serve(self.control, .control) }),
                                                       ("heartbeat", { self.echoHeartbeats() })]
        for (name, loop) in loops {
            threads.enter()
            let thread = Thread { loop(); threads.leave() }
            thread.name = "sbpl kernel \(name)"
            thread.start()
        }
        publish(.status, KernelStatus(executionState: .starting), parent: nil)
        serve(shell, .shell)
        threads.wait()
        for socket in [shell, control, stdin, iopub, heartbeat] { socket.close() }
        context.terminate()
    }

    // MARK: Dispatch

    private typealias Handler = @Sendable (Kernel, Message) throws -> any Encodable

    /// The handler of each request type.
    private static let handlers: [RequestType: Handler] = [
        .kernelInfo: { _, _ in KernelInfoReply(implementationVersion: version, banner: banner) },
        .execute: { kernel, message in
            let request = try message.content(as: ExecuteRequest.self)
            let reply = kernel.executor.execute(request, ask: { kernel.requestInput($0, for: message) }) { event in
                kernel.publish(event.broadcast.type, event.broadcast.content, parent: message.header)
            }
            kernel.abortsQueue = reply is ErrorContent && request.stopOnError
            return reply
        },
        .complete: { kernel, message in kernel.assistant.complete(try message.content(as: CursorRequest.self)) },
        .inspect: { kernel, message in kernel.assistant.inspect(try message.content(as: CursorRequest.self)) },
        .isComplete: { kernel, message in kernel.assistant.isComplete(try message.content(as: IsCompleteRequest.self).code) },
        .history: { kernel, message in
            let request = try message.content(as: HistoryRequest.self), history = kernel.executor.history
            return HistoryReply(history: request.histAccessType == .tail ? Array(history.suffix(max(request.n ?? 10, 0))) : history)
        },
        .commInfo: { _, _ in CommInfoReply() },
        .shutdown: { kernel, message in
            kernel.stopping.store(true, ordering: .relaxed)
            Interrupt.request()
            return ShutdownReply(restart: try message.content(as: ShutdownRequest.self).restart)
        },
        .interrupt: { _, _ in
            Interrupt.request()
            return InterruptReply()
        },
    ]

    static let version = "0.1.0"
    static let banner = "sbpl \(version): the Hugging Face pipeline, behind the scenes, as a Jupyter kernel"

    private var assistant: CellAssistant { CellAssistant(interpreter: executor.interpreter) }

    /// Receives and answers requests on `socket` until shutdown.
    private func serve(_ socket: ZeroMQSocket, _ channel: Channel) {
        while !stopping.load(ordering: .relaxed) {
            do {
                guard let frames = try socket.receive(timeout: Self.pollInterval) else { continue }
                handle(try Message(frames: frames, signer: signer), on: socket, channel)
            } catch {
                logger.error("sbpl kernel (\(channel.rawValue)): \(error)")
            }
        }
    }

    /// After a failed cell, as ipykernel: every execute request already waiting is answered `aborted` without
    /// running; other requests are served as usual. This happens before the failed cell's idle status, so a
    /// client that waits for it sends its next request after the queue is drained.
    private func abortQueued(on socket: ZeroMQSocket) {
        abortsQueue = false
        while let frames = try? socket.receive(timeout: 0) {
            do {
                let request = try Message(frames: frames, signer: signer)
                handle(request, on: socket, .shell, aborting: request.header.msgType == RequestType.execute.rawValue)
            } catch {
                logger.error("sbpl kernel (shell): \(error)")
            }
        }
    }

    /// Answers one request: busy, the handler's reply (or `aborted`), idle; after a failed cell, the queue behind
    /// it is aborted before idle.
    private func handle(_ request: Message, on socket: ZeroMQSocket, _ channel: Channel, aborting: Bool = false) {
        guard let type = RequestType(rawValue: request.header.msgType), channel == .shell || type.servedOnControl,
              let handler = Self.handlers[type] else {
            return logger.error("sbpl kernel (\(channel.rawValue)): no handler for \(request.header.msgType); ignored")
        }
        publish(.status, KernelStatus(executionState: .busy), parent: request.header)
        defer { publish(.status, KernelStatus(executionState: .idle), parent: request.header) }
        do {
            let content = aborting ? AbortedReply() : try handler(self, request)
            let reply = try Message(type.replyType, content: content, parent: request.header,
                                    session: session, identities: request.identities)
            try socket.send(try reply.frames(signedWith: signer))
        } catch {
            logger.error("sbpl kernel (\(channel.rawValue)): \(type.rawValue) failed: \(error)")
        }
        if abortsQueue { abortQueued(on: socket) }
    }

    /// Asks the front end that sent `request` for a line of input (`input_request` on stdin, to the peer that
    /// sent the request, as ipykernel routes it); nil when the kernel stops or is interrupted first.
    private func requestInput(_ prompt: String, for request: Message) -> String? {
        do {
            let question = try Message("input_request", content: InputRequest(prompt: prompt), parent: request.header,
                                       session: session, identities: request.identities)
            try stdin.send(try question.frames(signedWith: signer))
            while !stopping.load(ordering: .relaxed) {
                if Interrupt.consume() {
                    Interrupt.request()  // the cell stops with KeyboardInterrupt at its next check
                    break
                }
                guard let frames = try stdin.receive(timeout: Self.pollInterval) else { continue }
                let answer = try Message(frames: frames, signer: signer)
                if answer.header.msgType == "input_reply" { return try answer.content(as: InputReply.self).value }
            }
        } catch {
            logger.error("sbpl kernel (stdin): \(error)")
        }
        return nil
    }

    /// Broadcasts `content` as a `type` message on iopub.
    private func publish(_ type: BroadcastType, _ content: any Encodable, parent: MessageHeader?) {
        do {
            let message = try Message(type.rawValue, content: content, parent: parent, session: session,
                                      identities: [Data("kernel.\(session).\(type.rawValue)".utf8)])
            try iopub.send(try message.frames(signedWith: signer))
        } catch {
            logger.error("sbpl kernel (iopub): \(type.rawValue) not sent: \(error)")
        }
    }

    /// Echoes every heartbeat until shutdown.
    private func echoHeartbeats() {
        while !stopping.load(ordering: .relaxed) {
            do {
                if let frames = try heartbeat.receive(timeout: Self.pollInterval) { try heartbeat.send(frames) }
            } catch {
                logger.error("sbpl kernel (heartbeat): \(error)")
            }
        }
    }
}
