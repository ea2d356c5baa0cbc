import CZeroMQ
import Foundation

/// One ZeroMQ socket through libzmq's C API: bound, multipart send and receive, and a poll with a timeout. Calls
/// are serialised by a lock, so the iopub socket can be shared by the shell and control threads.
final class ZeroMQSocket: @unchecked Sendable {
    /// The socket types a kernel uses.
    enum Kind {
        /// shell, control, stdin: replies go back to the peer that asked.
        case router
        /// iopub: broadcasts to every front end.
        case publisher
        /// heartbeat: echoes.
        case reply

        var type: Int32 {
            switch self {
            case .router: ZMQ_ROUTER
            case .publisher: ZMQ_PUB
            case .reply: ZMQ_REP
            }
        }
    }

    private var handle: UnsafeMutableRawPointer?
    private let lock = NSLock()

    /// A socket of `kind` in `context`, bound to `endpoint`; on close it waits up to `linger` ms to send what
    /// is queued.
    init(_ kind: Kind, in context: ZeroMQContext, bindingTo endpoint: String, linger: Int32 = 0) throws {
        guard let handle = sbpl_zmq_socket(context.handle, kind.type) else { throw KernelError.lastZeroMQ("zmq_socket") }
        self.handle = handle
        var linger = linger
        sbpl_zmq_setsockopt(handle, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size)
        if kind == .publisher {  // queue every message for a slow subscriber rather than drop past 1000 (a cell's idle)
            var unlimited: Int32 = 0
            sbpl_zmq_setsockopt(handle, ZMQ_SNDHWM, &unlimited, MemoryLayout<Int32>.size)
        }
        guard sbpl_zmq_bind(handle, endpoint) == 0 else {
            let error = KernelError.lastZeroMQ("sbpl_zmq_bind(\(endpoint))")
            close()
            throw error
        }
    }

    deinit { close() }

    /// Sends `frames` as one multipart message.
    func send(_ frames: [Data]) throws {
        try locked {
            for (index, frame) in frames.enumerated() {
                let flags = index < frames.count - 1 ? ZMQ_SNDMORE : 0
                let sent = frame.withUnsafeBytes { sbpl_zmq_send(handle, $0.baseAddress, $0.count, flags) }
                if sent < 0 { throw KernelError.lastZeroMQ("zmq_send") }
            }
        }
    }

    /// The frames of the next multipart message, or nil when none arrives within `timeout` milliseconds.
    func receive(timeout: Int) throws -> [Data]? {
        try locked {
            var item = zmq_pollitem_t(socket: handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
            guard sbpl_zmq_poll(&item, 1, timeout) > 0 else { return nil }
            var frames = [Data]()
            var more = true
            while more {
                var message = zmq_msg_t()
                sbpl_zmq_msg_init(&message)
                defer { sbpl_zmq_msg_close(&message) }
                while sbpl_zmq_msg_recv(&message, handle, 0) < 0 {
                    if sbpl_zmq_errno() != EINTR { throw KernelError.lastZeroMQ("zmq_msg_recv") }
                }
                frames.append(Data(bytes: sbpl_zmq_msg_data(&message), count: sbpl_zmq_msg_size(&message)))
                more = sbpl_zmq_msg_more(&message) != 0
            }
            return frames
        }
    }

    /// Closes the socket (once; later calls do nothing).
    func close() {
        locked {
            if let handle { sbpl_zmq_close(handle) }
            handle = nil
        }
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}

/// A libzmq context: owns the I/O thread of every socket made in it.
final class ZeroMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    /// A new context, libzmq opened first (the kernel's first use of it).
    init() throws {
        if let error = sbpl_zmq_load() { throw KernelError.libraryUnavailable(String(cString: error)) }
        guard let handle = sbpl_zmq_ctx_new() else { throw KernelError.lastZeroMQ("zmq_ctx_new") }
        self.handle = handle
    }

    /// Ends the context once every socket in it is closed.
    func terminate() {
        while sbpl_zmq_ctx_term(handle) != 0 && sbpl_zmq_errno() == EINTR {}
    }
}
