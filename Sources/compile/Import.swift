import ArgumentParser
import KeywayCore

#if canImport(Glibc)
    import Glibc
#endif

/// `compile import FILE…`: reads hand-written manifests, Vault policies and shell commands and
/// prints a spec that compiles back to the same stores, ExternalSecrets and Deployments.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn existing manifests (YAML), Vault policies (*.hcl) and commands (*.sh) into a spec.",
        discussion: """
            Prints the spec on stdout. What the spec cannot carry is a located warning on stderr
            (FILE:LINE:COL: warning: … [KW11x]); see docs/import.md. '-' reads a rendered stream
            on standard input: kubectl kustomize overlays/dev | compile import - --namespace dev.

            Exit status: 0 when a spec was printed (warnings included), 1 when a file cannot be
            read or the inputs make no spec (nothing on stdout then), 64 on usage errors.
            """
    )

    @Argument(
        help:
            "Kubernetes YAML (stores, ExternalSecrets, Deployments; '-': a rendered stream on standard input), Vault policies (*.hcl), shell commands (*.sh)."
    )
    var files: [String] = []

    @Option(name: .long, help: "The spec's metadata.name (default: found in the inputs).")
    var name: String?

    @Option(name: .long, help: "The namespace of objects that name none (kustomize's or Argo CD's destination).")
    var namespace: String?

    @Option(name: .long, help: "How messages are printed on stderr: text or json (one object per line).")
    var diagnostics: DiagnosticsFormat = .text

    @Flag(name: .long, help: "Treat warnings as errors.")
    var warningsAsErrors = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one file to import, or '-' for standard input") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("'-' (standard input) can be given once") }
    }

    func run() throws {
        let status = ImportRunner(options: self).run()
        if status != 0 { throw ExitCode(status) }
    }
}

/// One run of `compile import`: read the files, import, report, print the spec.
struct ImportRunner {
    let options: Import

    func run() -> Int32 {
        let colored =
            options.diagnostics == .text && FileSystem.isTerminal(2) && FileSystem.environment("NO_COLOR") == nil
        var reporter = Reporter(format: options.diagnostics, colored: colored)
        // One malloc arena: the inputs are parsed on both cores, and a second arena kept its own
        // free memory (16 MB of the peak at 10 000 apps).
        Self.useOneMallocArena()
        let limit = ParseLimits().maxBytes
        var inputs: [ImportFile] = []
        for path in options.files {
            do {
                let text =
                    path == "-"
                    ? try FileSystem.readStandardInput(limit: limit) : try FileSystem.read(path, limit: limit)
                inputs.append(ImportFile(name: path, text: text))
            } catch {
                reporter.report(Runner.message(for: error, path: path))
            }
        }
        guard reporter.errors == 0 else {
            _ = reporter.finishSpecs(warningsAsErrors: false)
            reporter.flush()
            return 1
        }
        let result = Importer.importFiles(
            inputs, options: ImportOptions(environmentName: options.name, namespace: options.namespace))
        ProcessLifetime.keep((inputs, result))
        // One report per run of a file's diagnostics: the renderer indexes a source's lines once
        // (a rendered stream on standard input is one large file).
        var index = 0
        let items = result.diagnostics
        while index < items.count {
            guard let file = items[index].file else {
                let diagnostic = items[index].diagnostic
                reporter.report(
                    Message(
                        severity: diagnostic.severity, code: diagnostic.code, text: diagnostic.message,
                        help: diagnostic.help))
                index += 1
                continue
            }
            var end = index
            while end < items.count, items[end].file == file { end += 1 }
            let name = inputs[file].name == "-" ? "<stdin>" : inputs[file].name
            reporter.report(items[index..<end].map(\.diagnostic), file: name, source: inputs[file].text)
            index = end
        }
        let failed = reporter.finishSpecs(warningsAsErrors: options.warningsAsErrors)
        reporter.flush()
        guard !failed, let spec = result.spec else { return 1 }
        return reporter.emit(spec, what: "the spec")
    }

    /// glibc's `mallopt(M_ARENA_MAX, 1)` (`M_ARENA_MAX` is -8 in `malloc.h`, which Swift's Glibc
    /// module does not import), looked up at run time; nothing where there is no such function.
    static func useOneMallocArena() {
        #if canImport(Glibc)
            typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
            _ = unsafeBitCast(symbol, to: MallOpt.self)(-8, 1)
        #endif
    }
}
