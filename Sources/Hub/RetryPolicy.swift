import Foundation

/// How a download retries transient failures within the same run, as huggingface_hub's `http_backoff` does: up to
/// `retries` more attempts, waiting `baseDelay` and doubling the wait each time up to `maxDelay`, or as long as the
/// server's `Retry-After` asks, but never more than `maxRetryAfter`.
///
/// ```swift
/// var downloader = HubDownloader(endpoint: endpoint, cache: HubCache(), token: nil)
/// downloader.retry = RetryPolicy(retries: 2, baseDelay: 0.5)
/// ```
public struct RetryPolicy: Sendable {
    /// Attempts after the first.
    public var retries: Int
    /// The wait before the first retry, in seconds.
    public var baseDelay: TimeInterval
    /// The longest wait between attempts without `Retry-After`.
    public var maxDelay: TimeInterval
    /// The longest wait a `Retry-After` header can ask for.
    public var maxRetryAfter: TimeInterval

    public init(retries: Int = 5, baseDelay: TimeInterval = 1, maxDelay: TimeInterval = 8, maxRetryAfter: TimeInterval = 30) {
        self.retries = retries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// The statuses worth another attempt: too many requests, and the server errors a retry may clear.
    static let transientStatuses: Set<Int> = [429, 500, 502, 503, 504]

    /// The wait before retry `n` (from 0).
    func delay(before n: Int, retryAfter: TimeInterval?) -> TimeInterval {
        if let retryAfter { return min(max(retryAfter, 0), maxRetryAfter) }
        return min(baseDelay * pow(2, Double(n)), maxDelay)
    }

    /// Runs `attempt` until it succeeds or throws anything but a `TransientFailure`; when the retries are spent,
    /// the last failure is thrown as `HubError.gaveUp`.
    func run<T>(_ attempt: () throws -> T) throws -> T {
        var n = 0
        while true {
            do { return try attempt() } catch let failure as TransientFailure {
                guard n < retries else { throw HubError.gaveUp(attempts: n + 1, last: failure.error) }
                Thread.sleep(forTimeInterval: delay(before: n, retryAfter: failure.retryAfter))
                n += 1
            }
        }
    }
}

/// A failure another attempt may not meet: the hub busy, or the connection dropped or stalled.
struct TransientFailure: Error {
    let error: HubError
    /// What the server's `Retry-After` header asked for, in seconds from now.
    let retryAfter: TimeInterval?

    init(_ error: HubError, retryAfter: String? = nil, now: Date = Date()) {
        self.error = error
        self.retryAfter = retryAfter.flatMap { Self.seconds($0.trimmingCharacters(in: .whitespaces), from: now) }
    }

    /// `Retry-After`'s two forms (RFC 9110): delay-seconds, or an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`).
    static func seconds(_ value: String, from now: Date) -> TimeInterval? {
        if let seconds = TimeInterval(value) { return seconds }
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "GMT")
        format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return format.date(from: value).map { $0.timeIntervalSince(now) }
    }
}
