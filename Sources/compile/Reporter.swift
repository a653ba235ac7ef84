import KeywayCore

/// A message of the CLI that is not a place in a spec: a read error, drift, the run's outcome.
struct Message: Sendable {
    var severity: Severity = .error
    /// The file or folder it is about; `nil` for the run as a whole.
    var file: String?
    var code: DiagnosticCode?
    var text: String
    var help: String?
    /// A unified diff, printed under the message (JSON: `diff`).
    var diff: String?
}

/// The one formatter of stderr: every diagnostic and every other message of a run goes through
/// it, as text or as JSON lines (`--diagnostics`), and is counted for the summary.
struct Reporter {
    let format: DiagnosticsFormat
    let colored: Bool
    private(set) var errors = 0
    private(set) var warnings = 0
    private var buffer = ""

    init(format: DiagnosticsFormat, colored: Bool) {
        self.format = format
        self.colored = colored
    }

    /// A spec's diagnostics, located in its text.
    mutating func report(_ diagnostics: [Diagnostic], file: String, source: [UInt8]) {
        guard !diagnostics.isEmpty else { return }
        let renderer = DiagnosticRenderer(fileName: file, source: source, colored: colored)
        for diagnostic in diagnostics {
            count(diagnostic.severity)
            buffer += format == .json ? renderer.json(diagnostic) + "\n" : renderer.render(diagnostic)
        }
    }

    /// A message about a file as a whole, or about the run: `FILE: error: text`.
    mutating func report(_ message: Message) {
        count(message.severity)
        buffer += format == .json ? json(message) + "\n" : text(message)
    }

    /// Ends the diagnostics of the specs: the count (text only), and whether the run fails.
    mutating func finishSpecs(warningsAsErrors: Bool) -> Bool {
        let failed = errors > 0 || (warningsAsErrors && warnings > 0)
        if format == .text, errors + warnings > 0 {
            buffer += DiagnosticRenderer.summary(errors: errors, warnings: warnings) + "\n"
        }
        if failed, errors == 0 { report(Message(text: "warnings are errors (--warnings-as-errors)")) }
        return failed
    }

    /// Writes a command's output to stdout, and returns the exit status: 0, or 1 on failure.
    ///
    /// `what` names the output in the message a failure reports (the stream, the spec, …).
    mutating func emit(_ output: String, what: String) -> Int32 {
        finish(Result { try FileSystem.emit(output, to: 1) }, what: what)
    }

    /// Writes byte chunks to stdout in order, as `emit(_:what:)` writes text.
    mutating func emit(_ chunks: [[UInt8]], what: String) -> Int32 {
        let written = Result {
            for chunk in chunks {
                try chunk.withUnsafeBufferPointer { try FileSystem.writeAll(1, $0, path: "<stdout>") }
            }
        }
        return finish(written, what: what)
    }

    /// The exit status of a write: 0, or 1 with the failure reported.
    private mutating func finish(_ written: Result<Void, any Error>, what: String) -> Int32 {
        guard case .failure(let error) = written else { return 0 }
        report(Message(text: "cannot write \(what): \(error)"))
        flush()
        return 1
    }

    /// Writes what was reported so far to stderr.
    mutating func flush() {
        try? FileSystem.emit(buffer, to: 2)
        buffer = ""
    }

    private mutating func count(_ severity: Severity) {
        if severity == .error { errors += 1 }
        if severity == .warning { warnings += 1 }
    }

    private func text(_ message: Message) -> String {
        let label = colored ? "\u{1B}[1;31m\(message.severity.rawValue)\u{1B}[0m" : message.severity.rawValue
        var out = message.file.map { "\($0): " } ?? ""
        out += "\(label): \(message.text)\n"
        if let diff = message.diff { out += diff + "\n" }
        if let help = message.help { out += "  = help: \(help)\n" }
        return out
    }

    private func json(_ message: Message) -> String {
        var fields: [(String, String)] = [
            ("file", message.file.map(JSON.string) ?? "null"),
            ("line", "null"),
            ("column", "null"),
            ("endLine", "null"),
            ("endColumn", "null"),
            ("severity", JSON.string(message.severity.rawValue)),
            ("code", message.code.map { JSON.string($0.rawValue) } ?? "null"),
            ("message", JSON.string(message.text)),
            ("help", message.help.map(JSON.string) ?? "null"),
            ("notes", "[]"),
        ]
        if let diff = message.diff { fields.append(("diff", JSON.string(diff))) }
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}
