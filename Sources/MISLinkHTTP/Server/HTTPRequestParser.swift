import Foundation

/// What the bytes received so far make of one request.
enum HTTPParseResult {
    /// More bytes are needed. `expectsContinue`: the head is complete and asks for `100 Continue`.
    case incomplete(expectsContinue: Bool)
    /// A whole request, taking the first `consumed` bytes of the buffer.
    case request(ParsedRequest, consumed: Int)
    /// The request is refused with this status; the connection is closed after the answer.
    case refused(status: Int, reason: String)
}

/// A request with what the connection needs to know about it.
struct ParsedRequest {
    var request: HTTPRequest
    /// Whether the connection may carry another request after this one.
    var keepAlive: Bool
}

/// Parses HTTP/1.0 and 1.1 requests (RFC 9112) from a byte buffer. Pure: the connection feeds it the
/// bytes so far and acts on the answer, so every refusal is testable without a socket.
struct HTTPRequestParser {
    /// Targets longer than this are answered 414.
    static let maxTargetBytes = 8 * 1024
    /// No method we serve is this long: a longer first word is garbage, refused before its line ends.
    static let maxMethodBytes = 32

    var limits: HTTPLimits
    var clientAddress: String

    func parse(_ bytes: [UInt8]) -> HTTPParseResult {
        // Empty lines before a request line are ignored (RFC 9112 §2.2): clients send them after a body.
        var start = 0
        while start < bytes.count, bytes[start] == .cr || bytes[start] == .lf { start += 1 }
        var lines: [Range<Int>] = []
        var lineStart = start
        var headEnd: Int?
        var index = start
        while index < bytes.count {
            if bytes[index] == .lf {
                // CRLF ends a line; a bare LF is tolerated.
                let end = index > lineStart && bytes[index - 1] == .cr ? index - 1 : index
                if end == lineStart {
                    headEnd = index + 1
                    break
                }
                lines.append(lineStart..<end)
                lineStart = index + 1
            }
            index += 1
        }
        guard let headEnd else {
            if lines.isEmpty, let refusal = checkPartialRequestLine(bytes[start...]) { return refusal }
            // Leading empty lines count too: a stream of CRLFs must not grow the buffer without end.
            if bytes.count > limits.maxHeaderBytes { return refuse(431, "the request's headers are too large") }
            if let first = lines.first, case .failure(let refusal) = parseRequestLine(bytes[first]) {
                return .refused(status: refusal.status, reason: refusal.reason)
            }
            return .incomplete(expectsContinue: false)
        }
        if headEnd > limits.maxHeaderBytes { return refuse(431, "the request's headers are too large") }
        switch parseHead(bytes, lines: lines) {
        case .failure(let refusal):
            return .refused(status: refusal.status, reason: refusal.reason)
        case .success(var head):
            let available = bytes.count - headEnd
            if available < head.contentLength {
                return .incomplete(expectsContinue: head.expectsContinue)
            }
            head.request.body = Data(bytes[headEnd..<(headEnd + head.contentLength)])
            return .request(
                ParsedRequest(request: head.request, keepAlive: head.keepAlive), consumed: headEnd + head.contentLength)
        }
    }

    // MARK: - The head

    private struct Head {
        var request: HTTPRequest
        var contentLength: Int
        var keepAlive: Bool
        var expectsContinue: Bool
    }

    struct Refusal: Error {
        var status: Int
        var reason: String
    }

    private func refuse(_ status: Int, _ reason: String) -> HTTPParseResult { .refused(status: status, reason: reason) }

    private func parseHead(_ bytes: [UInt8], lines: [Range<Int>]) -> Result<Head, Refusal> {
        let line: RequestLine
        switch parseRequestLine(bytes[lines[0]]) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let parsed): line = parsed
        }
        var headers = HTTPHeaders()
        for range in lines.dropFirst() {
            switch parseField(bytes[range]) {
            case .failure(let refusal): return .failure(refusal)
            case .success(let field): headers.add(field.name, field.value)
            }
        }
        if line.minor == 1, headers.values("Host").count != 1 {
            return .failure(Refusal(status: 400, reason: "an HTTP/1.1 request needs exactly one Host header"))
        }
        // Chunked bodies are not needed by the console; refusing them also closes the smuggling door.
        if !headers.values("Transfer-Encoding").isEmpty {
            return .failure(Refusal(status: 501, reason: "Transfer-Encoding is not supported; send Content-Length"))
        }
        let contentLength: Int
        switch parseContentLength(headers.values("Content-Length")) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let length): contentLength = length
        }
        let connection = headers.values("Connection").flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let keepAlive = line.minor == 1 && !connection.contains("close")
        let expectsContinue = line.minor == 1 && headers["Expect"]?.lowercased() == "100-continue"
        let request = HTTPRequest(
            method: line.method, path: line.path, query: line.query, headers: headers, clientAddress: clientAddress)
        return .success(
            Head(request: request, contentLength: contentLength, keepAlive: keepAlive, expectsContinue: expectsContinue))
    }

    private func parseContentLength(_ values: [String]) -> Result<Int, Refusal> {
        let parts = values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = parts.first else { return .success(0) }
        // Differing lengths are how request smuggling starts: refuse them.
        guard parts.allSatisfy({ $0 == first }), !first.isEmpty, first.count <= 18,
            first.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let length = Int(first)
        else { return .failure(Refusal(status: 400, reason: "the Content-Length header is not one valid length")) }
        if length > limits.maxBodyBytes {
            return .failure(Refusal(status: 413, reason: "the body is larger than \(limits.maxBodyBytes) bytes"))
        }
        return .success(length)
    }

    private func parseField(_ line: ArraySlice<UInt8>) -> Result<(name: String, value: String), Refusal> {
        let bad = Refusal(status: 400, reason: "a header line is malformed")
        guard let first = line.first, first != .space, first != .tab else {
            return .failure(Refusal(status: 400, reason: "folded header lines are not accepted"))
        }
        guard let colon = line.firstIndex(of: .colon), colon > line.startIndex else { return .failure(bad) }
        let name = line[line.startIndex..<colon]
        guard name.allSatisfy(\.isTokenCharacter) else { return .failure(bad) }
        var value = line[(colon + 1)...]
        while let byte = value.first, byte == .space || byte == .tab { value.removeFirst() }
        while let byte = value.last, byte == .space || byte == .tab { value.removeLast() }
        // Field values may hold visible bytes, spaces, tabs and obs-text; a CR or NUL here is an attack.
        guard value.allSatisfy({ $0 == .tab || ($0 >= 0x20 && $0 != 0x7F) }) else { return .failure(bad) }
        // UTF-8 when it is; otherwise each byte as Latin-1, the field's historical charset.
        let text = String(validating: value, as: UTF8.self) ?? String(value.map { Character(Unicode.Scalar($0)) })
        return .success((String(decoding: name, as: UTF8.self), text))
    }

    // MARK: - The request line

    private struct RequestLine {
        var method: String
        var path: String
        var query: [String: [String]]
        var minor: Int
    }

    /// Refuses garbage and overlong targets before the request line is complete, so that a client
    /// cannot hold a connection by never sending a line end.
    private func checkPartialRequestLine(_ bytes: ArraySlice<UInt8>) -> HTTPParseResult? {
        let method = bytes.prefix { $0 != .space }
        if !method.allSatisfy(\.isTokenCharacter) || method.count > Self.maxMethodBytes {
            return refuse(400, "the request line is malformed")
        }
        guard method.endIndex < bytes.endIndex else { return nil }
        let target = bytes[(method.endIndex + 1)...].prefix { $0 != .space }
        if target.count > Self.maxTargetBytes { return refuse(414, "the request target is longer than 8 KiB") }
        return nil
    }

    private func parseRequestLine(_ line: ArraySlice<UInt8>) -> Result<RequestLine, Refusal> {
        let bad = Refusal(status: 400, reason: "the request line is malformed")
        let parts = line.split(separator: .space, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .failure(bad) }
        let method = parts[0], target = parts[1], version = parts[2]
        guard !method.isEmpty, method.count <= Self.maxMethodBytes, method.allSatisfy(\.isTokenCharacter) else {
            return .failure(bad)
        }
        guard target.count <= Self.maxTargetBytes else {
            return .failure(Refusal(status: 414, reason: "the request target is longer than 8 KiB"))
        }
        guard !target.isEmpty, target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return .failure(bad) }
        let minor: Int
        switch parseVersion(version) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let value): minor = value
        }
        let methodName = String(decoding: method, as: UTF8.self)
        guard let (path, query) = Self.splitTarget(target, method: methodName) else {
            return .failure(Refusal(status: 400, reason: "the request target is not a valid path"))
        }
        return .success(RequestLine(method: methodName, path: path, query: query, minor: minor))
    }

    /// `HTTP/1.0` and `HTTP/1.1` are served; another well-formed version is 505, anything else 400.
    private func parseVersion(_ version: ArraySlice<UInt8>) -> Result<Int, Refusal> {
        let bytes = Array(version)
        guard bytes.count == 8, bytes.starts(with: Array("HTTP/".utf8)), bytes[6] == UInt8(ascii: "."),
            bytes[5].isDigit, bytes[7].isDigit
        else { return .failure(Refusal(status: 400, reason: "the request line is malformed")) }
        guard bytes[5] == UInt8(ascii: "1"), bytes[7] == UInt8(ascii: "0") || bytes[7] == UInt8(ascii: "1") else {
            return .failure(Refusal(status: 505, reason: "only HTTP/1.0 and HTTP/1.1 are supported"))
        }
        return .success(Int(bytes[7] - UInt8(ascii: "0")))
    }

    /// The decoded path and query of an origin-form target (`/a?b=c`), an absolute-form one
    /// (`http://host/a`), or `*` for OPTIONS. Nil when it is none of these or decodes badly.
    static func splitTarget(_ target: ArraySlice<UInt8>, method: String) -> (String, [String: [String]])? {
        var target = target
        if target.first != .slash {
            if method == "OPTIONS", target.elementsEqual("*".utf8) { return ("*", [:]) }
            let lowered = String(decoding: target.prefix(8), as: UTF8.self).lowercased()
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else { return nil }
            let afterScheme = target[(target.firstIndex(of: .colon)! + 3)...]
            guard let slash = afterScheme.firstIndex(where: { $0 == .slash || $0 == .question }) else {
                return ("/", [:])
            }
            target = afterScheme[slash...]
            if target.first == .question { target = Array("/".utf8)[...] + target }
        }
        let pathPart = target.prefix { $0 != .question }
        guard let path = PercentDecoding.decode(pathPart, plusIsSpace: false) else { return nil }
        var query: [String: [String]] = [:]
        if pathPart.endIndex < target.endIndex {
            for pair in target[(pathPart.endIndex + 1)...].split(separator: .ampersand) {
                let name = pair.prefix { $0 != .equals }
                let value = name.endIndex < pair.endIndex ? pair[(name.endIndex + 1)...] : []
                guard let decodedName = PercentDecoding.decode(name, plusIsSpace: true),
                    let decodedValue = PercentDecoding.decode(value, plusIsSpace: true)
                else { return nil }
                query[decodedName, default: []].append(decodedValue)
            }
        }
        return (path, query)
    }
}
