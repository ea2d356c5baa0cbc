import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A blocking HTTP exchange on URLSession: status, headers, and the body streamed to a sink.
struct HTTPResponse {
    let status: Int
    let headers: [String: String]
    let url: URL

    init(_ response: HTTPURLResponse, requested: URL) {
        status = response.statusCode
        headers = response.allHeaderFields.reduce(into: [String: String]()) { $0["\($1.key)"] = "\($1.value)" }
        url = response.url ?? requested
    }

    func header(_ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

public enum HTTPClient {
    /// How many redirects one request may follow (the hub's own and its storage's need two at most).
    static let maxRedirects = 10

    /// Why an exchange failed, beyond what URLSession reports.
    enum Failure: Error {
        /// More than `maxRedirects` redirects; the last one pointed to `url`.
        case tooManyRedirects(url: URL)
    }

    /// Whether `a` and `b` have the same scheme, host and port: credentials for one are never sent to another, as
    /// requests (under huggingface_hub) drops `Authorization` on a redirect to another host.
    static func sameOrigin(_ a: URL, _ b: URL) -> Bool {
        func origin(_ url: URL) -> String {
            let scheme = url.scheme?.lowercased() ?? ""
            return "\(scheme)://\(url.host?.lowercased() ?? ""):\(url.port ?? (scheme == "https" ? 443 : 80))"
        }
        return origin(a) == origin(b)
    }

    /// Ends the process's sessions before it exits (`Sessions.closeAll`).
    public static func closeConnections() { Sessions.shared.closeAll() }

    /// Sends one request. Redirects are followed only while `follow(location)` says so (otherwise the redirect
    /// response itself is returned), without the `Authorization` header once they leave the origin. A successful
    /// response is shown to `accept` before its body (which it may refuse by throwing); `sink` receives the body as
    /// it arrives (and may throw to abort).
    static func send(_ method: String, _ url: URL, headers: [String: String], timeout: TimeInterval,
                     follow: @escaping (URL) -> Bool, accept: ((HTTPResponse) throws -> Void)? = nil,
                     sink: ((Data) throws -> Void)? = nil) throws -> HTTPResponse {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let exchange = Exchange(follow: follow, accept: accept, sink: sink)
        let task = Sessions.shared.session(timeout: timeout).dataTask(with: request)
        Sessions.shared.register(exchange, for: task)
        task.resume()
        exchange.done.wait()
        if let error = exchange.sinkError { throw error }
        if let error = exchange.error { throw error }
        guard let response = exchange.response else { throw URLError(.badServerResponse) }
        return HTTPResponse(response, requested: url)
    }

    /// The process's URLSessions, one per timeout (an ETag request and a download wait differently), so that
    /// connections are kept alive from one request to the next; their delegate hands each task's events to the
    /// exchange that sent it.
    private final class Sessions: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        static let shared = Sessions()
        private let lock = NSLock()
        private var sessions: [TimeInterval: URLSession] = [:]
        private var exchanges: [Int: Exchange] = [:]

        func session(timeout: TimeInterval) -> URLSession {
            lock.withLock {
                if let session = sessions[timeout] { return session }
                let configuration = URLSessionConfiguration.ephemeral
                configuration.timeoutIntervalForRequest = timeout
                let session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
                sessions[timeout] = session
                return session
            }
        }

        /// Ends every session, waiting (briefly) until each has let its connections go: what a process does before
        /// it exits, as a transfer still winding down when the process's libraries are torn down can crash it.
        func closeAll() {
            let open = lock.withLock { () -> [URLSession] in
                defer { sessions = [:] }
                return Array(sessions.values)
            }
            for session in open { session.invalidateAndCancel() }
            for _ in open { _ = closed.wait(timeout: .now() + 2) }
        }

        private let closed = DispatchSemaphore(value: 0)

        func urlSession(_ session: URLSession, didBecomeInvalidWithError error: Error?) { closed.signal() }

        func register(_ exchange: Exchange, for task: URLSessionTask) { lock.withLock { exchanges[task.taskIdentifier] = exchange } }

        private func exchange(_ task: URLSessionTask) -> Exchange? { lock.withLock { exchanges[task.taskIdentifier] } }

        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
            guard let exchange = exchange(task) else { return completionHandler(nil) }
            completionHandler(exchange.redirect(task, response, to: request))
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
            completionHandler(exchange(dataTask)?.receive(dataTask, response) ?? .cancel)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            exchange(dataTask)?.receive(dataTask, data)
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
            let exchange = lock.withLock { exchanges.removeValue(forKey: task.taskIdentifier) }
            exchange?.complete(task, error)
        }
    }

    /// What one request collects: its response, body and error.
    private final class Exchange: @unchecked Sendable {
        let follow: (URL) -> Bool
        let accept: ((HTTPResponse) throws -> Void)?
        let sink: ((Data) throws -> Void)?
        let done = DispatchSemaphore(value: 0)
        var response: HTTPURLResponse?
        var error: Error?
        /// What `accept`, `sink` or the redirect limit threw; it ends the exchange.
        var sinkError: Error?
        var redirects = 0

        init(follow: @escaping (URL) -> Bool, accept: ((HTTPResponse) throws -> Void)?, sink: ((Data) throws -> Void)?) {
            self.follow = follow
            self.accept = accept
            self.sink = sink
        }

        /// The request to follow a redirect with (without `Authorization` off the origin), or nil to stop there.
        func redirect(_ task: URLSessionTask, _ response: HTTPURLResponse, to request: URLRequest) -> URLRequest? {
            guard let target = request.url, follow(target) else { return nil }
            redirects += 1
            guard redirects <= HTTPClient.maxRedirects else {
                sinkError = Failure.tooManyRedirects(url: target)
                return nil
            }
            var next = request
            if let from = response.url ?? task.currentRequest?.url, !HTTPClient.sameOrigin(from, target) {
                next.setValue(nil, forHTTPHeaderField: "Authorization")
            }
            return next
        }

        /// The response's head: shown to `accept` when successful, which may refuse the body.
        func receive(_ task: URLSessionDataTask, _ response: URLResponse) -> URLSession.ResponseDisposition {
            let http = response as? HTTPURLResponse
            self.response = http
            if let http, (200..<300).contains(http.statusCode), let accept, let url = http.url ?? task.currentRequest?.url {
                do { try accept(HTTPResponse(http, requested: url)) } catch {
                    sinkError = error
                    return .cancel
                }
            }
            return .allow
        }

        /// A piece of a successful response's body, for `sink`.
        func receive(_ task: URLSessionDataTask, _ data: Data) {
            guard sinkError == nil, let status = response?.statusCode, (200..<300).contains(status), let sink else { return }
            do { try sink(data) } catch {
                sinkError = error
                task.cancel()
            }
        }

        func complete(_ task: URLSessionTask, _ error: Error?) {
            if sinkError == nil, let error { self.error = error }
            if response == nil { response = task.response as? HTTPURLResponse }
            done.signal()
        }
    }
}
