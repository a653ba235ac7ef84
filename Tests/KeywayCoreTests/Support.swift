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
