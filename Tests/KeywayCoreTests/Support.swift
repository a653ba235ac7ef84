import Foundation
import Testing

@testable import KeywayCore

/// The repository's root, found from this file's place.
let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A minimal valid spec, with `extra` appended under the top level.
func spec(apps: String = defaultApps, vault: String = defaultVault, extra: String = "") -> String {
    """
    apiVersion: keyway.dev/v1alpha1
    kind: Environment
    metadata:
      name: test
    \(vault)
    \(extra)
    apps:
    \(apps)
    """
}

let defaultVault = """
    vault:
      server: https://vault.example.com
      kv:
        mount: kv
      auth:
        token:
          period: 24h
          secretRef: {name: vault-token, key: token, namespace: external-secrets}
    """

let defaultApps = """
      web:
        namespace: dev
        containers:
          app:
            image: alpine:3.20
        secrets:
          api:
            extract: dev/api
    """

/// Compiles and returns the errors as the user identifies them: `CODE LINE:COL message`.
///
/// For example `KW031 24:22 app 'web' has no container 'ap'`.
func errors(_ text: String) -> [String] {
    Compiler.compile(bytes(text)).diagnostics.filter { $0.severity == .error }.map(described)
}

/// Compiles and returns the warnings, as `errors` does.
func warnings(_ text: String) -> [String] {
    Compiler.compile(bytes(text)).diagnostics.filter { $0.severity == .warning }.map(described)
}

func described(_ diagnostic: Diagnostic) -> String {
    "\(diagnostic.code.rawValue) \(diagnostic.range.start.line):\(diagnostic.range.start.column) \(diagnostic.message)"
}

func compiled(_ text: String) throws -> CompiledEnvironment {
    let result = Compiler.compile(bytes(text))
    let problems = result.diagnostics.filter { $0.severity == .error }.map(\.message)
    try #require(problems.isEmpty, "unexpected errors: \(problems)")
    return try #require(result.environment)
}

/// Runs the built `compile` with arguments; returns status, stdout and stderr.
///
/// A run that outlives `timeout` seconds is terminated (and fails the caller's expectations).
func runCompile(
    _ arguments: [String],
    in directory: URL = repositoryRoot,
    timeout: Double = 120,
    input: String? = nil
) throws -> (status: Int32, out: String, err: String) {
    let binary =
        ProcessInfo.processInfo.environment["KEYWAY_COMPILE"]
        ?? repositoryRoot.appendingPathComponent(".build/debug/compile").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let stdin = Pipe()
    if input != nil { process.standardInput = stdin }
    try process.run()
    if let input {
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
    }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { if process.isRunning { process.terminate() } }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
        process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self)
    )
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("keyway-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The text of a spec whose expected diagnostics are marked in it, and the marks.
///
/// A marker `⟨KW025⟩` stands just before the first character a diagnostic of that code points
/// at. Returns the text without the markers, and each marker as `CODE LINE:COL`.
func unmarked(_ marked: String) -> (text: String, marks: [String]) {
    var text = ""
    var marks: [String] = []
    for (index, line) in marked.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        var rest = Substring(line)
        var plain = ""
        while let open = rest.range(of: "⟨KW"), let close = rest[open.upperBound...].firstIndex(of: "⟩") {
            plain += rest[..<open.lowerBound]
            let code = "KW" + rest[open.upperBound..<close]
            marks.append("\(code) \(index + 1):\(plain.unicodeScalars.count + 1)")
            rest = rest[rest.index(after: close)...]
        }
        text += (index == 0 ? "" : "\n") + plain + rest
    }
    return (text, marks)
}

/// Compiles a spec whose expected diagnostics of `severity` are marked in its text (see
/// `unmarked`) and returns each such diagnostic as `CODE message`.
///
/// Every diagnostic of that severity must sit at a marker of its code, and every marker of a code
/// of that severity must have its diagnostic; each mismatch is recorded as an issue. `only` (codes
/// such as `"KW182"`) narrows both to those codes, for a spec that also draws warnings of no interest.
func markedDiagnostics(
    _ marked: String, severity: Severity = .error, only codes: Set<String>? = nil,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> [String] {
    let (text, marks) = unmarked(marked)
    let found = Compiler.compile(bytes(text)).diagnostics.filter {
        $0.severity == severity && codes?.contains($0.code.rawValue) != false
    }
    let expected = marks.filter { mark in
        let code = String(mark.prefix { $0 != " " })
        return DiagnosticCode(rawValue: code)?.severity == severity && codes?.contains(code) != false
    }
    expectAtMarks(found, expected, sourceLocation)
    return found.map { "\($0.code.rawValue) \($0.message)" }
}

/// Compiles specs together, as `Compiler.compile(specs:)` does, whose expected diagnostics of
/// `codes` are marked in their texts (see `unmarked`), and returns each such diagnostic as
/// `SPEC-INDEX CODE message`, sorted within each spec.
///
/// Every such diagnostic must sit at a marker of its code in its own spec, and every marker of
/// those codes must have its diagnostic; each mismatch is recorded as an issue.
func markedDiagnostics(
    specs: [(name: String, text: String)], only codes: Set<String>,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> [String] {
    let texts = specs.map { unmarked($0.text) }
    let inputs = zip(specs, texts).map { SpecInput(name: $0.0.name, text: bytes($0.1.text)) }
    return zip(Compiler.compile(specs: inputs), texts).enumerated().flatMap { index, compiled in
        let found = compiled.0.diagnostics.filter { codes.contains($0.code.rawValue) }
        let expected = compiled.1.marks.filter { codes.contains(String($0.prefix { $0 != " " })) }
        expectAtMarks(found, expected, sourceLocation)
        return found.map { "\(index) \($0.code.rawValue) \($0.message)" }.sorted()
    }
}

/// Records an issue unless the diagnostics sit exactly at the marks (`CODE LINE:COL`).
private func expectAtMarks(
    _ found: [Diagnostic], _ marks: [String], _ sourceLocation: Testing.SourceLocation
) {
    let places = found.map { "\($0.code.rawValue) \($0.range.start.line):\($0.range.start.column)" }
    #expect(
        places.sorted() == marks.sorted(), "diagnostics are not at their markers", sourceLocation: sourceLocation)
}
