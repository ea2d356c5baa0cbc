import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A blocking HTTP exchange on URLSession: status, headers, and the body streamed to a sink.
struct HTTPResponse {
    let status: Int
    let headers: [String: String]
    let url: URL

    func header(_ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

enum HTTPClient {
    /// Sends one request. Redirects are followed only while `follow(location)` says so; otherwise the redirect
    /// response itself is returned. `sink` receives the body as it arrives (and may throw to abort).
    static func send(_ method: String, _ url: URL, headers: [String: String], timeout: TimeInterval,
                     follow: @escaping (URL) -> Bool, sink: ((Data) throws -> Void)? = nil) throws -> HTTPResponse {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let exchange = Exchange(follow: follow, sink: sink)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        let session = URLSession(configuration: configuration, delegate: exchange, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        session.dataTask(with: request).resume()
        exchange.done.wait()
        if let error = exchange.sinkError { throw error }
        if let error = exchange.error { throw error }
        guard let response = exchange.response else { throw URLError(.badServerResponse) }
        let fields = response.allHeaderFields.reduce(into: [String: String]()) { $0["\($1.key)"] = "\($1.value)" }
        return HTTPResponse(status: response.statusCode, headers: fields, url: response.url ?? url)
    }

    /// The delegate that collects one exchange.
    private final class Exchange: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        let follow: (URL) -> Bool
        let sink: ((Data) throws -> Void)?
        let done = DispatchSemaphore(value: 0)
        var response: HTTPURLResponse?
        var error: Error?
        var sinkError: Error?

        init(follow: @escaping (URL) -> Bool, sink: ((Data) throws -> Void)?) {
            self.follow = follow
            self.sink = sink
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
            completionHandler(request.url.map(follow) == true ? request : nil)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
            self.response = response as? HTTPURLResponse
            completionHandler(.allow)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            guard sinkError == nil, let status = response?.statusCode, (200..<300).contains(status), let sink else { return }
            do { try sink(data) } catch {
                sinkError = error
                dataTask.cancel()
            }
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
            if sinkError == nil, let error { self.error = error }
            if response == nil { response = task.response as? HTTPURLResponse }
            done.signal()
        }
    }
}
