import Foundation

/// A blob's transfer: the GET of what `<etag>.incomplete` lacks, retried with a Range from where each attempt
/// stopped, its length checked before the body is written, its size and digest checked before it becomes the blob.
extension HubDownloader {
    /// Fetches the blob `meta` names into `partial`, then renames it to `blob`; `name` is the repository file.
    func fetchBlob(_ meta: Metadata, into partialURL: URL, then blob: URL, name: String) throws {
        let partial = try PartialDownload(partialURL, becoming: name, expected: meta.size)
        let progress = showProgress ? ProgressBar(name: name, total: meta.size, start: partial.size) : nil
        defer { progress?.finish() }
        try retry.run { try receive(meta, into: partial, name: name, progress: progress) }
        try partial.synchronize()
        try verify(partial.url, meta, written: partial.size, name: name)
        do { try FileManager.default.moveItem(at: partial.url, to: blob) } catch {
            throw HubError.cacheNotWritable(path: blob.path)
        }
    }

    /// One GET of what `partial` lacks (nothing when it has the announced size). A failure another attempt may
    /// mend (a busy hub, a connection dropped or stalled mid-body) is a `TransientFailure`.
    private func receive(_ meta: Metadata, into partial: PartialDownload, name: String, progress: ProgressBar?) throws {
        if let size = meta.size, partial.size >= size { return }
        try stopIfInterrupted(partial, name: name)
        let start = partial.size
        var headers = HTTPClient.sameOrigin(meta.location, endpoint) ? authorization : [:]
        if start > 0 { headers["Range"] = "bytes=\(start)-" }
        var answered = false
        let response: HTTPResponse
        do {
            response = try HTTPClient.send(
                "GET", meta.location, headers: headers, timeout: downloadTimeout, follow: { _ in true },
                accept: { response in
                    answered = true
                    try accept(response, resuming: start, into: partial, meta, name: name)
                },
                sink: { data in
                    try stopIfInterrupted(partial, name: name)
                    try partial.append(data)
                    progress?.update(partial.size)
                })
        } catch let error as HubError {
            throw error
        } catch HTTPClient.Failure.timedOut {
            throw TransientFailure(.stalled(file: name, url: meta.location.absoluteString, seconds: downloadTimeout,
                                            got: partial.size, expected: meta.size))
        } catch where answered {
            throw TransientFailure(.incomplete(file: name, expected: meta.size ?? partial.size, got: partial.size))
        } catch {
            throw hubError(error, url: meta.location)
        }
        guard (200..<300).contains(response.status) else {
            let error = HubError.server(status: response.status, url: response.url.absoluteString)
            guard RetryPolicy.transientStatuses.contains(response.status) else { throw error }
            throw TransientFailure(error, retryAfter: response.header("Retry-After"))
        }
        if let size = meta.size, partial.size < size {
            throw TransientFailure(.incomplete(file: name, expected: size, got: partial.size))
        }
    }

    private func stopIfInterrupted(_ partial: PartialDownload, name: String) throws {
        if isInterrupted() { throw HubError.interrupted(file: name, got: partial.size, expected: partial.expected) }
    }

    /// Checks a response before its body is written: a 206 continues `partial`, a 200 (a server that ignored the
    /// Range) restarts it, and either must come to the size the metadata announced.
    private func accept(_ response: HTTPResponse, resuming start: Int, into partial: PartialDownload, _ meta: Metadata,
                        name: String) throws {
        if response.status != 206 && start > 0 { try partial.restart() }
        guard let size = meta.size, let length = response.header("Content-Length").flatMap({ Int($0) }) else { return }
        let total = (response.status == 206 ? start : 0) + length
        guard total == size else {
            throw HubError.sizeMismatch(file: name, url: response.url.absoluteString, announced: size, sent: total)
        }
    }

    /// Checks a finished download against the size and the digest its ETag names; `name` is the repository file.
    private func verify(_ file: URL, _ meta: Metadata, written: Int, name: String) throws {
        if let size = meta.size, written != size {
            if written > size { try? FileManager.default.removeItem(at: file) }
            throw HubError.incomplete(file: name, expected: size, got: written)
        }
        guard let kind = FileDigest.Kind(etag: meta.etag) else { return }
        guard let digest = try FileDigest.digest(kind, of: file) else { throw HubError.cacheNotWritable(path: file.path) }
        guard digest == meta.etag.lowercased() else {
            try? FileManager.default.removeItem(at: file)
            throw HubError.checksumMismatch(file: name, digest: kind.rawValue, expected: meta.etag, got: digest)
        }
    }
}
