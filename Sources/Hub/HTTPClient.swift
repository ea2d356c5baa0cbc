import CCurl
import Foundation

/// A response's head: status, headers (looked up case-insensitively) and the URL that answered.
struct HTTPResponse {
    let status: Int
    let headers: [String: String]
    let url: URL

    func header(_ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Blocking HTTP exchanges on libcurl, which is opened on the first request (`CCurl`), so that sbpl starts without
/// loading it and the libraries it needs. Redirects are followed here, not by curl, so that each hop is checked.
public enum HTTPClient {
    /// How many redirects one request may follow (the hub's own and its storage's need two at most).
    static let maxRedirects = 10
    /// Who asks, for servers' logs (huggingface_hub names itself and its Python the same way).
    static let userAgent = "sbpl; hf_hub-compatible"

    /// Why an exchange failed before a complete answer.
    enum Failure: Error, CustomStringConvertible {
        /// More than `maxRedirects` redirects; the last one pointed to `url`.
        case tooManyRedirects(url: URL)
        /// No connection within the timeout, or nothing received for that long.
        case timedOut
        /// The host could not be resolved or connected to; curl's message says which.
        case cannotConnect(String)
        /// libcurl could not be loaded; the message says what to install.
        case unavailable(String)
        /// Any other failure of the transfer, in curl's words.
        case other(String)

        var description: String {
            switch self {
            case .tooManyRedirects(let url): "more than \(HTTPClient.maxRedirects) redirects, the last to \(url)"
            case .timedOut: "timed out"
            case .cannotConnect(let message), .unavailable(let message), .other(let message): message
            }
        }
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

    /// Closes the connections kept alive between requests, before the process exits.
    public static func closeConnections() { Handles.shared.closeAll() }

    /// Sends one request. Redirects are followed only while `follow(location)` says so (otherwise the redirect
    /// response itself is returned), without the `Authorization` header once they leave the origin. A successful
    /// response is shown to `accept` before its body (which it may refuse by throwing); `sink` receives the body as
    /// it arrives (and may throw to abort). `timeout` bounds the wait for a connection and any silence after it.
    static func send(_ method: String, _ url: URL, headers: [String: String], timeout: TimeInterval,
                     follow: (URL) -> Bool, accept: ((HTTPResponse) throws -> Void)? = nil,
                     sink: ((Data) throws -> Void)? = nil) throws -> HTTPResponse {
        if let error = sbpl_curl_load() { throw Failure.unavailable(String(cString: error)) }
        var url = url
        var headers = headers
        var redirects = 0
        while true {
            let exchange = Exchange(url: url, accept: accept, sink: sink)
            let response = try exchange.perform(method, headers: headers, timeout: timeout)
            guard (300..<400).contains(response.status), response.status != 304,
                  let location = response.header("Location"),
                  let target = URL(string: location, relativeTo: url)?.absoluteURL, follow(target) else { return response }
            redirects += 1
            guard redirects <= maxRedirects else { throw Failure.tooManyRedirects(url: target) }
            if !sameOrigin(url, target) {
                headers = headers.filter { $0.key.caseInsensitiveCompare("Authorization") != .orderedSame }
            }
            url = target
        }
    }

    /// The process's curl handles not in use: a handle keeps its connections alive from one request to the next,
    /// and each request borrows one, so that requests from several threads never share a handle.
    private final class Handles: @unchecked Sendable {
        static let shared = Handles()
        private let lock = NSLock()
        private var idle: [UnsafeMutableRawPointer] = []

        /// An idle handle with its options cleared, or a new one.
        func borrow() throws -> UnsafeMutableRawPointer {
            if let handle = lock.withLock({ idle.popLast() }) {
                sbpl_curl_easy_reset(handle)
                return handle
            }
            guard let handle = sbpl_curl_easy_init() else { throw Failure.other("curl_easy_init failed") }
            return handle
        }

        func giveBack(_ handle: UnsafeMutableRawPointer) { lock.withLock { idle.append(handle) } }

        func closeAll() {
            let handles = lock.withLock { () -> [UnsafeMutableRawPointer] in
                defer { idle = [] }
                return idle
            }
            for handle in handles { sbpl_curl_easy_cleanup(handle) }
        }
    }

    /// One request without redirects: its response head as it arrives, and what `accept` or `sink` threw.
    private final class Exchange {
        let url: URL
        let accept: ((HTTPResponse) throws -> Void)?
        let sink: ((Data) throws -> Void)?
        var status = 0
        var headers: [String: String] = [:]
        /// What `accept` or `sink` threw; it ends the exchange.
        var callbackError: Error?

        init(url: URL, accept: ((HTTPResponse) throws -> Void)?, sink: ((Data) throws -> Void)?) {
            self.url = url
            self.accept = accept
            self.sink = sink
        }

        var response: HTTPResponse { HTTPResponse(status: status, headers: headers, url: url) }
        var isSuccess: Bool { (200..<300).contains(status) }

        func perform(_ method: String, headers: [String: String], timeout: TimeInterval) throws -> HTTPResponse {
            let handle = try Handles.shared.borrow()
            var list: UnsafeMutablePointer<curl_slist>?
            let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
            errorBuffer.initialize(to: 0)
            defer {
                sbpl_curl_slist_free_all(list)
                errorBuffer.deallocate()
                Handles.shared.giveBack(handle)
            }
            for (name, value) in headers { list = sbpl_curl_slist_append(list, "\(name): \(value)") }
            let seconds = max(1, Int(timeout.rounded(.up)))
            sbpl_curl_setopt_string(handle, CURLOPT_URL, url.absoluteString)
            switch method {
            case "GET": sbpl_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
            case "HEAD": sbpl_curl_setopt_long(handle, CURLOPT_NOBODY, 1)
            default: sbpl_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)
            }
            sbpl_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, list)
            sbpl_curl_setopt_string(handle, CURLOPT_USERAGENT, HTTPClient.userAgent)
            sbpl_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
            sbpl_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
            // a proxy's answer to CONNECT is not the response's head
            sbpl_curl_setopt_long(handle, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)
            sbpl_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(timeout * 1000)))
            // an idle timeout, as URLSession's timeoutIntervalForRequest: less than a byte a second for `timeout`
            sbpl_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
            sbpl_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, seconds)
            sbpl_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
            let context = Unmanaged.passUnretained(self).toOpaque()
            sbpl_curl_setopt_callback(handle, CURLOPT_HEADERFUNCTION) { data, _, count, context in
                guard let data, let context else { return 0 }
                let exchange = Unmanaged<Exchange>.fromOpaque(context).takeUnretainedValue()
                return exchange.receiveHeader(UnsafeRawBufferPointer(start: data, count: count)) ? count : 0
            }
            sbpl_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
            sbpl_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION) { data, _, count, context in
                guard let data, let context else { return 0 }
                let exchange = Unmanaged<Exchange>.fromOpaque(context).takeUnretainedValue()
                return exchange.receiveBody(UnsafeRawBufferPointer(start: data, count: count)) ? count : 0
            }
            sbpl_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
            let code = withExtendedLifetime(self) { sbpl_curl_easy_perform(handle) }
            if let callbackError { throw callbackError }
            guard code == CURLE_OK else {
                let message = errorBuffer.pointee != 0 ? String(cString: errorBuffer)
                    : String(cString: sbpl_curl_easy_strerror(code))
                switch code {
                case CURLE_OPERATION_TIMEDOUT: throw Failure.timedOut
                case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
                    throw Failure.cannotConnect(message)
                default: throw Failure.other(message)
                }
            }
            return response
        }

        /// A line of a response head; the blank line ending the final head shows it to `accept` when successful.
        /// False aborts the transfer.
        func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Bool {
            let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if line.hasPrefix("HTTP/") {
                // a new head (after a 1xx): its status, and no headers yet
                status = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
                headers = [:]
            } else if line.isEmpty {
                guard !(100..<200).contains(status) else { return true }
                if isSuccess, let accept {
                    do { try accept(response) } catch {
                        callbackError = error
                        return false
                    }
                }
            } else if let colon = line.firstIndex(of: ":") {
                let name = String(line[..<colon])
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                headers[name] = headers[name].map { $0 + ", " + value } ?? value
            }
            return true
        }

        /// A piece of the body: for `sink` when the response is successful, else dropped. False aborts the transfer.
        func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
            guard isSuccess, let sink else { return true }
            do { try sink(Data(bytes)) } catch {
                callbackError = error
                return false
            }
            return true
        }
    }
}
