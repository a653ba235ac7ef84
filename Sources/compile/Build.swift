import ArgumentParser

/// How diagnostics and every other message are printed on stderr.
enum DiagnosticsFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text
    case json
}

/// What `--out DIR` does with the folder.
enum OutputMode: String, EnumerableFlag, Sendable {
    case write
    case check
    case failOnChange

    static func help(for value: OutputMode) -> ArgumentHelp? {
        switch value {
        case .write: "With --out: write DIR/<metadata.name>/ for each spec (the default)."
        case .check: "With --out: write nothing; exit 1 and show a diff when DIR is stale."
        case .failOnChange: "With --out: write, and exit 1 when that changed a folder (for pre-commit)."
        }
    }
}

/// `compile build SPEC… [--out DIR [--check | --fail-on-change]]`, also run as `compile SPEC…`.
struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Compile specs: print the manifest stream, or write, check or refresh DIR.",
        discussion: """
            Without --out, prints every Kubernetes object of the specs as one YAML stream on stdout.
            With --out DIR, writes DIR/<metadata.name>/ for each spec, swapping it in atomically.
            With --out DIR --check, writes nothing and exits 1 when DIR is not what the specs compile to.

            Exit status: 0 on success, 1 when a spec is invalid, a file cannot be read or written,
            or the folder is stale; 64 on usage errors.
            """
    )

    @Argument(help: "Spec files, one environment each.")
    var specs: [String]

    @Option(
        name: .long,
        help: ArgumentHelp("Write DIR/<metadata.name>/ for each spec instead of printing the stream.", valueName: "DIR")
    )
    var out: String?

    @Flag var mode: OutputMode = .write

    @Option(name: .long, help: "How messages are printed on stderr: text or json (one object per line).")
    var diagnostics: DiagnosticsFormat = .text

    @Flag(name: .long, help: "Treat warnings as errors.")
    var warningsAsErrors = false

    func validate() throws {
        if out == nil, mode != .write {
            throw ValidationError("--\(mode == .check ? "check" : "fail-on-change") needs --out DIR")
        }
    }

    func run() throws {
        let options = BuildOptions(
            specs: specs, out: out, mode: mode, diagnostics: diagnostics, warningsAsErrors: warningsAsErrors)
        let status = Runner(options: options).run()
        if status != 0 { throw ExitCode(status) }
    }
}
