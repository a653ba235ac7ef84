import ArgumentParser
import KeywayCore

/// How a command that reports on one spec prints its messages (explain, plan).
struct MessageOptions: ParsableArguments {
    @Option(name: .long, help: "How messages are printed on stderr: text or json (one object per line).")
    var diagnostics: DiagnosticsFormat = .text

    @Flag(name: .long, help: "Treat warnings as errors.")
    var warningsAsErrors = false
}

/// One environment's folder as `--out` writes it.
struct EnvironmentFolder: Sendable {
    var name: String
    var files: [RenderedFile]
}

/// What one run of `compile build` was asked to do: `Build`'s options as plain values.
struct BuildOptions {
    var specs: [String]
    var out: String?
    var mode = OutputMode.write
    var diagnostics = DiagnosticsFormat.text
    var warningsAsErrors = false
}

/// One run of `compile build`: read, compile, report, then print the stream or handle DIR.
struct Runner {
    let options: BuildOptions

    func run() -> Int32 {
        var reporter = Reporter(format: options.diagnostics, colored: Self.colored(options.diagnostics))
        guard
            let environments = Self.compile(
                options.specs, warningsAsErrors: options.warningsAsErrors, reporter: &reporter)
        else { return 1 }
        guard let out = options.out else { return printStream(environments, reporter: &reporter) }
        let folders = Concurrently.map(environments) { EnvironmentFolder(name: $0.name, files: OutputLayout.files($0)) }
        let status: Int32
        switch options.mode {
        case .check: status = DriftReport(specs: options.specs, out: out).check(folders, reporter: &reporter)
        case .write, .failOnChange:
            status = TreeWriter(out: out, failOnChange: options.mode == .failOnChange).write(
                folders, reporter: &reporter)
        }
        reporter.flush()
        return status
    }

    /// Colour only on a terminal, without NO_COLOR, for text.
    static func colored(_ format: DiagnosticsFormat) -> Bool {
        format == .text && FileSystem.isTerminal(2) && FileSystem.environment("NO_COLOR") == nil
            && FileSystem.environment("TERM") != "dumb"
    }

    /// Reads and compiles specs, reporting every diagnostic and read error on stderr (flushed);
    /// the compiled environments in the given order, or `nil` when the run fails.
    static func compile(_ paths: [String], warningsAsErrors: Bool, reporter: inout Reporter) -> [CompiledEnvironment]? {
        compile(paths, warningsAsErrors: warningsAsErrors, reporter: &reporter) { inputs in
            Compiler.compile(specs: inputs).map { ($0.diagnostics, $0.environment) }
        }
    }

    /// Reads specs and compiles them with `compiler` (its diagnostics, and its value when there
    /// was no error, per input in order), reporting as `compile` does.
    static func compile<Value>(
        _ paths: [String], warningsAsErrors: Bool, reporter: inout Reporter,
        with compiler: ([SpecInput]) -> [(diagnostics: [Diagnostic], value: Value?)]
    ) -> [Value]? {
        let limit = ParseLimits().maxBytes
        let reads = Concurrently.map(paths) { path in Result { try FileSystem.read(path, limit: limit) } }
        var inputs: [SpecInput] = []
        var unread: [Int: Message] = [:]
        for (index, read) in reads.enumerated() {
            switch read {
            case .success(let bytes): inputs.append(SpecInput(name: paths[index], text: bytes))
            case .failure(let error): unread[index] = Self.message(for: error, path: paths[index])
            }
        }
        let results = compiler(inputs)
        var next = 0
        for index in paths.indices {
            if let message = unread[index] {
                reporter.report(message)
                continue
            }
            reporter.report(results[next].diagnostics, file: inputs[next].name, source: inputs[next].text)
            next += 1
        }
        let failed = reporter.finishSpecs(warningsAsErrors: warningsAsErrors)
        reporter.flush()
        guard !failed else { return nil }
        let values = results.compactMap(\.value)
        ProcessLifetime.keep(values)
        return values
    }

    /// One spec for a command that reports on it (plan): the environment and the reporter
    /// that printed its diagnostics; exit 1 when it is rejected.
    static func compileOne(_ spec: String, _ messages: MessageOptions) throws -> (CompiledEnvironment, Reporter) {
        var reporter = Reporter(format: messages.diagnostics, colored: colored(messages.diagnostics))
        guard
            let compiled = compile([spec], warningsAsErrors: messages.warningsAsErrors, reporter: &reporter)?.first
        else { throw ExitCode(1) }
        return (compiled, reporter)
    }

    /// One spec compiled as far as its Vault side (explain), with the diagnostics `compileOne`
    /// reports: the model and policies, and the reporter; exit 1 when it is rejected.
    static func compileVaultOne(_ spec: String, _ messages: MessageOptions) throws -> (CompiledVault, Reporter) {
        var reporter = Reporter(format: messages.diagnostics, colored: colored(messages.diagnostics))
        let compiled = compile([spec], warningsAsErrors: messages.warningsAsErrors, reporter: &reporter) { inputs in
            inputs.map { input in
                let result = Compiler.compileVault(input.text)
                return (result.diagnostics, result.compiled)
            }
        }
        guard let compiled = compiled?.first else { throw ExitCode(1) }
        return (compiled, reporter)
    }

    func printStream(_ environments: [CompiledEnvironment], reporter: inout Reporter) -> Int32 {
        let chunks = Concurrently.map(environments) { OutputLayout.streamChunks($0) }.joined()
        return reporter.emit(Array(chunks), what: "the stream")
    }

    /// A spec that could not be read, as `PATH: error: …`.
    static func message(for error: any Error, path: String) -> Message {
        switch error {
        case let tooLarge as TooLargeError:
            let size = tooLarge.size.map { "spec is \($0) bytes, more than the limit of \(tooLarge.limit)" }
            return Message(
                file: path,
                code: .limitExceeded,
                text: size ?? "spec is more than the limit of \(tooLarge.limit) bytes",
                help: "split the environment into several specs"
            )
        case let system as FileSystemError:
            return Message(file: path, text: "cannot read spec: \(system.reason)")
        default:
            return Message(file: path, text: "cannot read spec: \(error)")
        }
    }
}

/// Values the process keeps until it exits.
///
/// Every command compiles once and exits right after its output: the kernel takes the memory back
/// at once, where releasing a large compiled environment value by value cost 5% of a run.
enum ProcessLifetime {
    /// Holds `value` (one reference more, never released), so nothing of it is freed before exit.
    static func keep<Value>(_ value: Value) {
        _ = Unmanaged.passRetained(Kept(value))
    }

    private final class Kept<Value> {
        let value: Value
        init(_ value: Value) { self.value = value }
    }
}
