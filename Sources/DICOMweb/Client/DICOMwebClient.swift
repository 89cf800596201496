import DICOM
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A DICOMweb client (PS3.18): QIDO-RS search, WADO-RS metadata / instance / frame retrieval streamed
/// part by part, STOW-RS upload. Safe to share between tasks; every call is independent.
///
///     let client = try DICOMwebClient(archive: registry.resolve("dicomweb://pacs"))
///     let studies = try await client.searchStudies(StudyQuery(patientID: "123"))
///     try await client.retrieve(study: uid) { instance in … }   // first instance arrives before the last is sent
public final class DICOMwebClient: Sendable {
    public let archive: ArchiveConfiguration
    let transport: HTTPTransport
    /// Optional on-disk cache consulted by `retrieveSeries`.
    public let cache: InstanceCache?

    public init(archive: ArchiveConfiguration, options: TransportOptions = .init(), cache: InstanceCache? = nil) throws {
        self.archive = archive
        self.transport = try HTTPTransport(archive: archive, options: options)
        self.cache = cache
    }

    // MARK: - QIDO-RS

    public func searchStudies(_ query: StudyQuery) async throws -> [StudySummary] {
        try query.validate()
        return try await qido(path: ["studies"], items: query.queryItems).map(StudySummary.init)
    }

    public func searchSeries(study: String, modality: String? = nil) async throws -> [SeriesSummary] {
        var items = [URLQueryItem(name: "includefield", value: "NumberOfSeriesRelatedInstances")]
        if let modality { items.append(URLQueryItem(name: "Modality", value: modality)) }
        return try await qido(path: ["studies", try uid(study), "series"], items: items).map(SeriesSummary.init)
    }

    /// Instance-level search: DICOM JSON objects (SOP Instance UID, Instance Number, …).
    public func searchInstances(study: String, series: String) async throws -> [DICOMJSONObject] {
        try await qido(path: ["studies", try uid(study), "series", try uid(series), "instances"], items: [])
    }

    private func qido(path: [String], items: [URLQueryItem]) async throws -> [DICOMJSONObject] {
        let url = try endpoint(path, query: items)
        let (data, response) = try await transport.fetch(transport.makeRequest(url, accept: "application/dicom+json"))
        // 204 No Content = no matches.
        if response.statusCode == 204 || data.isEmpty { return [] }
        return try DICOMJSONDecoder.decodeArray(data)
    }

    // MARK: - WADO-RS

    /// Study or series metadata: one DICOM JSON object per instance (bulk data as URIs).
    public func metadata(study: String, series: String? = nil) async throws -> [DICOMJSONObject] {
        var path = ["studies", try uid(study)]
        if let series { path += ["series", try uid(series)] }
        let url = try endpoint(path + ["metadata"], query: [])
        let (data, _) = try await transport.fetch(transport.makeRequest(url, accept: "application/dicom+json"))
        return try DICOMJSONDecoder.decodeArray(data)
    }

    /// Retrieves a study, series or instance as Part 10 files in their stored transfer syntax, calling
    /// `onInstance` for each as soon as its part is complete (on a background queue, in order).
    /// Returns the number of instances. If the response stops early, instances already delivered stay
    /// delivered and the error says how many there were.
    @discardableResult
    public func retrieve(study: String, series: String? = nil, instance: String? = nil,
                         onInstance: @escaping (RetrievedInstance) throws -> Void) async throws -> Int {
        var path = ["studies", try uid(study)]
        if let series { path += ["series", try uid(series)] }
        if let instance {
            guard series != nil else { throw DICOMwebError.configuration("an instance needs its series") }
            path += ["instances", try uid(instance)]
        }
        let url = try endpoint(path, query: [])
        let request = transport.makeRequest(url, accept: "multipart/related; type=\"application/dicom\"; transfer-syntax=*")
        let display = HTTPTransport.display(url)
        // `@unchecked`: the transport delivers chunks one at a time, in order, on its delegate queue.
        final class State: @unchecked Sendable { var parser: MultipartParser?; var count = 0 }
        let state = State()
        let cancellation = CancellationFlag()
        do {
            try await transport.stream(request, cancellation: cancellation, onResponse: { response in
                let type = response.value(forHTTPHeaderField: "Content-Type") ?? ""
                guard let boundary = multipartBoundary(fromContentType: type) else {
                    throw DICOMwebError.malformedMultipart("Content-Type \"\(type.prefix(80))\" has no multipart boundary", partsReceived: 0)
                }
                state.parser = MultipartParser(boundary: boundary)
                state.count = 0
            }, onData: { data in
                // Mutate in place: copying the parser out would copy its buffer on every chunk.
                guard state.parser != nil else { return }
                let parts = try state.parser!.feed(data)
                for part in parts {
                    if cancellation.isSet { throw DICOMwebError.cancelled }
                    state.count += 1
                    let instance = try RetrievedInstance(part: part, index: state.count)
                    try self.cache?.insert(instance)
                    try onInstance(instance)
                }
            })
        } catch let e as DICOMwebError {
            switch e {
            case let .connectionFailed(u, reason, _): throw DICOMwebError.connectionFailed(url: u, reason: reason, partsReceived: state.count)
            case let .malformedMultipart(reason, _): throw DICOMwebError.malformedMultipart(reason, partsReceived: state.count)
            case .timedOut where state.count > 0: throw DICOMwebError.incomplete(url: display, partsReceived: state.count)
            default: throw e
            }
        }
        guard let parser = state.parser else { throw DICOMwebError.invalidResponse("\(display): empty response") }
        if parser.state != .epilogue {
            if parser.partsEmitted == 0 && parser.state == .preamble {
                throw DICOMwebError.malformedMultipart("no boundary delimiter in the body", partsReceived: 0)
            }
            throw DICOMwebError.incomplete(url: display, partsReceived: state.count)
        }
        return state.count
    }

    /// The same as `retrieve`, as an async sequence (for a viewer that shows slices as they arrive).
    public func instances(study: String, series: String? = nil) -> AsyncThrowingStream<RetrievedInstance, Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await self.retrieve(study: study, series: series) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// A series through the cache: instances already cached are served from disk; if any is missing the
    /// series is fetched and cached. Calls `onInstance` for each instance.
    public func retrieveSeries(study: String, series: String, onInstance: @escaping (RetrievedInstance) throws -> Void) async throws -> Int {
        if let cache {
            let listed = try await searchInstances(study: study, series: series).compactMap { $0.string(.sopInstanceUID) }
            let cached = listed.compactMap { cache.load($0) }
            if !listed.isEmpty, cached.count == listed.count {
                for (i, c) in cached.enumerated() {
                    let file = try DICOMFile.parse(c, options: .init(stopBeforePixelData: true, memoryMapped: false))
                    try onInstance(RetrievedInstance(cachedData: c, file: file, index: i + 1))
                }
                return cached.count
            }
        }
        return try await retrieve(study: study, series: series, onInstance: onInstance)
    }

    /// Pixel data of frames (1-based) of one instance, as the archive stores them (`transfer-syntax=*`).
    public func frames(study: String, series: String, instance: String, numbers: [Int]) async throws -> [Data] {
        guard !numbers.isEmpty, numbers.allSatisfy({ $0 >= 1 }) else { throw DICOMwebError.configuration("frame numbers start at 1") }
        let list = numbers.map(String.init).joined(separator: ",")
        let url = try endpoint(["studies", try uid(study), "series", try uid(series), "instances", try uid(instance), "frames", list], query: [])
        let (data, response) = try await transport.fetch(transport.makeRequest(url, accept: "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*"))
        let type = response.value(forHTTPHeaderField: "Content-Type") ?? ""
        guard let boundary = multipartBoundary(fromContentType: type) else {
            throw DICOMwebError.malformedMultipart("frames response has no multipart boundary", partsReceived: 0)
        }
        var parser = MultipartParser(boundary: boundary)
        let parts = try parser.feed(data)
        try parser.finish()
        guard parts.count == numbers.count else {
            throw DICOMwebError.invalidResponse("asked for \(numbers.count) frame(s), got \(parts.count)")
        }
        return parts.map(\.body)
    }

    // MARK: - STOW-RS

    /// Uploads Part 10 files in one request; `study` restricts them to that study (optional).
    public func store(files: [URL], study: String? = nil) async throws -> StoreResult {
        let boundary = "lightbox-" + UUID().uuidString
        var body = Data()
        for f in files {
            let data: Data
            do { data = try Data(contentsOf: f) } catch { throw DICOMwebError.configuration("cannot read \(f.path): \(error.localizedDescription)") }
            guard data.count >= 132, data[128 ..< 132].elementsEqual("DICM".utf8) else {
                throw DICOMwebError.configuration("\(f.path) is not a DICOM Part 10 file")
            }
            body.append(Data("--\(boundary)\r\nContent-Type: application/dicom\r\nContent-Length: \(data.count)\r\n\r\n".utf8))
            body.append(data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var path = ["studies"]
        if let study { path.append(try uid(study)) }
        let url = try endpoint(path, query: [])
        let request = transport.makeRequest(url, method: "POST", accept: "application/dicom+json",
                                            contentType: "multipart/related; type=\"application/dicom\"; boundary=\(boundary)", body: body)
        // A POST is not retried: the archive may have stored part of it.
        let (data, _) = try await transport.fetch(request, retry: false)
        guard !data.isEmpty else { return StoreResult(storedSOPInstanceUIDs: [], failures: [:]) }
        let json = try JSONSerialization.jsonObject(with: data)
        let object: DICOMJSONObject
        if let dict = json as? [String: Any] {
            object = try DICOMJSONDecoder.object(dict, depth: 0)
        } else if let array = json as? [[String: Any]], let first = array.first {
            object = try DICOMJSONDecoder.object(first, depth: 0)
        } else {
            throw DICOMwebError.invalidResponse("STOW-RS answer is not a DICOM JSON object")
        }
        let stored = object.items(Tag(0x0008, 0x1199)).compactMap { $0.string(Tag(0x0008, 0x1155)) }
        var failures: [String: Int] = [:]
        for item in object.items(Tag(0x0008, 0x1198)) {
            failures[item.string(Tag(0x0008, 0x1155)) ?? "?"] = item.int(Tag(0x0008, 0x1197)) ?? 0
        }
        return StoreResult(storedSOPInstanceUIDs: stored, failures: failures)
    }

    // MARK: - URLs

    /// UIDs go into URL paths: only digits and dots, at most 64 characters.
    func uid(_ s: String) throws -> String {
        guard !s.isEmpty, s.count <= 64, s.allSatisfy({ $0 == "." || $0.isASCII && $0.isNumber }) else {
            throw DICOMwebError.configuration("not a DICOM UID: \(s.prefix(70))")
        }
        return s
    }

    func endpoint(_ path: [String], query: [URLQueryItem]) throws -> URL {
        var url = archive.baseURL
        for p in path { url.appendPathComponent(p) }
        guard var c = URLComponents(url: url, resolvingAgainstBaseURL: false) else {
            throw DICOMwebError.configuration("cannot build a URL from \(archive.baseURL.absoluteString)")
        }
        if !query.isEmpty { c.queryItems = query }
        // URLComponents leaves "+" alone, which servers read as a space.
        c.percentEncodedQuery = c.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        guard let final = c.url else { throw DICOMwebError.configuration("cannot build a URL for \(path.joined(separator: "/"))") }
        return final
    }
}
