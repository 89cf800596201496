import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
import Synchronization
#endif

/// HTTP for the DICOMweb client on URLSession (libcurl on Linux): streaming delivery of response bytes,
/// timeouts, retries with exponential backoff, cancellation through Swift concurrency. Adds the
/// Authorization header itself and never logs requests or headers.
///
/// `@unchecked Sendable`: its stored properties are immutable after init; `URLSession` is
/// thread-safe but not marked Sendable in corelibs-foundation.
final class HTTPTransport: @unchecked Sendable {
    let archive: ArchiveConfiguration
    let options: TransportOptions

    init(archive: ArchiveConfiguration, options: TransportOptions) throws {
        #if os(Linux)
        if !archive.verifyTLS {
            // swift-corelibs-foundation offers no hook to skip certificate checks; refuse rather than
            // silently verifying (or silently not).
            throw DICOMwebError.configuration("archive \(archive.name): verify_tls = false is not supported on Linux; install the archive's CA certificate instead")
        }
        #endif
        self.archive = archive
        self.options = options
    }

    func makeRequest(_ url: URL, method: String = "GET", accept: String?, contentType: String? = nil, body: Data? = nil) -> URLRequest {
        var r = URLRequest(url: url)
        r.httpMethod = method
        r.timeoutInterval = options.idleTimeout
        r.cachePolicy = .reloadIgnoringLocalCacheData
        if let accept { r.setValue(accept, forHTTPHeaderField: "Accept") }
        if let contentType { r.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        if let auth = archive.authorizationHeader { r.setValue(auth, forHTTPHeaderField: "Authorization") }
        r.httpBody = body
        return r
    }

    /// A whole response in memory (small bodies: QIDO results, metadata, STOW answers).
    func fetch(_ request: URLRequest, retry: Bool = true) async throws -> (Data, HTTPURLResponse) {
        final class Box: @unchecked Sendable { var data = Data(); var response: HTTPURLResponse? }
        let box = Box()
        try await stream(request, retry: retry, onResponse: { box.response = $0; box.data = Data() }, onData: { box.data.append($0) })
        guard let response = box.response else { throw DICOMwebError.invalidResponse("no HTTP response") }
        return (box.data, response)
    }

    /// Streams a 2xx response's body to `onData` as it arrives (on one serial queue, in order). Errors
    /// thrown by the callbacks cancel the request and are rethrown. Retries only while nothing has been
    /// delivered.
    func stream(_ request: URLRequest, retry: Bool = true, cancellation: CancellationFlag = CancellationFlag(),
                onResponse: @escaping (HTTPURLResponse) throws -> Void,
                onData: @escaping (Data) throws -> Void) async throws {
        var attempt = 1
        while true {
            let delegate = StreamDelegate(url: Self.display(request.url), cancellation: cancellation,
                                          onResponse: onResponse, onData: onData)
            do {
                try await run(request, delegate: delegate)
                return
            } catch let error as DICOMwebError {
                guard retry, error.isTransient, !delegate.delivered, attempt < options.maximumAttempts else { throw error }
                let delay = options.initialBackoff * pow(2, Double(attempt - 1)) * Double.random(in: 0.75 ... 1.25)
                try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                attempt += 1
            }
        }
    }

    private func run(_ request: URLRequest, delegate: StreamDelegate) async throws {
        try Task.checkCancellation()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = options.idleTimeout
        configuration.timeoutIntervalForResource = options.totalTimeout
        configuration.urlCache = nil
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: queue)
        defer { session.finishTasksAndInvalidate() }
        let task = session.dataTask(with: request)
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, Error>) in
                delegate.start(c, task: task)
            }
        } onCancel: {
            // Stop delivering bytes libcurl has already buffered, then stop the transfer.
            delegate.cancellation.set()
            task.cancel()
        }
    }

    /// A URL for messages: no user info, no query string (queries can hold patient names).
    static func display(_ url: URL?) -> String {
        guard let url, var c = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "?" }
        c.user = nil
        c.password = nil
        let hadQuery = c.query != nil
        c.query = nil
        return (c.url?.absoluteString ?? "?") + (hadQuery ? "?…" : "")
    }
}

/// Set when the caller's task is cancelled; checked before every delivery so a cancelled retrieval stops
/// at once even when the rest of the response is already buffered.
final class CancellationFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}

/// Bridges URLSession's delegate callbacks to one async call.
private final class StreamDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let url: String
    let cancellation: CancellationFlag
    let onResponse: (HTTPURLResponse) throws -> Void
    let onData: (Data) throws -> Void
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Void, Error>?
    private var status = 0
    private var errorBody = Data()
    private var failure: Error?
    private(set) var delivered = false
    private var authenticationRefused = false

    init(url: String, cancellation: CancellationFlag, onResponse: @escaping (HTTPURLResponse) throws -> Void,
         onData: @escaping (Data) throws -> Void) {
        self.url = url
        self.cancellation = cancellation
        self.onResponse = onResponse
        self.onData = onData
    }

    func start(_ c: CheckedContinuation<Void, Error>, task: URLSessionDataTask) {
        lock.lock()
        continuation = c
        lock.unlock()
        task.resume()
    }

    private func complete(_ result: Result<Void, Error>) {
        lock.lock()
        let c = continuation
        continuation = nil
        lock.unlock()
        c?.resume(with: result)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        guard let http = response as? HTTPURLResponse else {
            failure = DICOMwebError.invalidResponse("\(url): not an HTTP response")
            completionHandler(.cancel)
            return
        }
        status = http.statusCode
        if (200 ..< 300).contains(status) {
            do {
                try onResponse(http)
                delivered = true
            } catch {
                failure = error
                completionHandler(.cancel)
                return
            }
        }
        completionHandler(.allow)
    }

    /// We send credentials ourselves (Authorization header); a 401 must come back as a response, not
    /// wait for credentials from a delegate (without this, corelibs Foundation waits forever).
    func urlSession(_ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
                    completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {
        // Cancelling the challenge ends the task; didCompleteWithError turns that into HTTP 401.
        authenticationRefused = true
        completionHandler(.cancelAuthenticationChallenge, nil)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard failure == nil else { return }
        if cancellation.isSet {
            failure = DICOMwebError.cancelled
            dataTask.cancel()
            return
        }
        if (200 ..< 300).contains(status) {
            do { try onData(data) } catch {
                failure = error
                dataTask.cancel()
            }
        } else if errorBody.count < 2048 {
            errorBody.append(data.prefix(2048 - errorBody.count))
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if let failure { return complete(.failure(failure)) }
        if cancellation.isSet { return complete(.failure(DICOMwebError.cancelled)) }
        if let error {
            let ns = error as NSError
            switch ns.code {
            case NSURLErrorCancelled, NSURLErrorUserCancelledAuthentication:
                if authenticationRefused {
                    return complete(.failure(DICOMwebError.http(status: 401, url: url, message: "authentication required or refused (check the archive's username/password or token)")))
                }
                return complete(.failure(DICOMwebError.cancelled))
            case NSURLErrorTimedOut:
                return complete(.failure(DICOMwebError.timedOut(url: url, seconds: task.originalRequest?.timeoutInterval ?? 0)))
            default:
                return complete(.failure(DICOMwebError.connectionFailed(url: url, reason: ns.localizedDescription, partsReceived: 0)))
            }
        }
        guard (200 ..< 300).contains(status) else {
            let text = String(decoding: errorBody, as: UTF8.self)
                .unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }.map(String.init).joined()
            return complete(.failure(DICOMwebError.http(status: status, url: url, message: String(text.prefix(200)))))
        }
        complete(.success(()))
    }
}
