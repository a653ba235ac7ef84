import CCurl
import Glibc
import KeywayCore

/// A failed request: Vault unreachable, TLS refused, or an answer plan cannot use.
struct VaultError: Error, Sendable {
    var text: String
    var help: String?
}

/// Reads Vault's HTTP API through the system's libcurl (`CCurl`).
///
/// The token in `X-Vault-Token`, the
/// namespace in `X-Vault-Namespace`, Vault's certificate checked against the given CA (PEM in
/// memory) or the system's roots. Read-only: it sends GET and LIST, nothing else.
struct VaultClient {
    /// The server, without a trailing `/`.
    var address: String
    var token: String
    var namespace: String?
    /// PEM certificates replacing the system's roots; `nil` for the system's.
    var ca: [UInt8]?

    /// A response: its status and body.
    struct Response {
        var status: Int
        var body: [UInt8]
    }

    /// One request; throws when there is no HTTP answer.
    func send(_ read: VaultRead) throws -> Response {
        let method = read.operation == .list ? "LIST" : "GET"
        var headers = ["X-Vault-Token: \(token)", "X-Vault-Request: true"]
        if let namespace { headers.append("X-Vault-Namespace: \(namespace)") }
        var response = keyway_http_response()
        var error = [CChar](repeating: 0, count: 512)
        let url = address + "/v1/" + read.path
        let failed = withCStrings(headers) { lines in
            (ca ?? []).withUnsafeBufferPointer { pem in
                pem.withMemoryRebound(to: CChar.self) { pem in
                    keyway_http_request(
                        url, method, lines, lines.count, ca == nil ? nil : pem.baseAddress, pem.count, 10, &response,
                        &error, error.count)
                }
            }
        }
        defer { keyway_http_free(&response) }
        guard failed == 0 else {
            let message = error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            throw VaultError(text: String(decoding: message, as: UTF8.self), help: nil)
        }
        let body = response.body.map { Array(UnsafeBufferPointer(start: $0, count: response.length)) } ?? []
        return Response(
            status: response.status, body: body.map { UInt8(bitPattern: $0) })
    }

    /// Runs `body` with `strings` as C strings that live for the call.
    private func withCStrings<T>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        return body(pointers.map { UnsafePointer($0) })
    }
}
