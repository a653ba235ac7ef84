import ArgumentParser
import Dispatch
import Glibc
import KeywayCore

/// `compile SPEC… [--out DIR [--check]]`: the thin CLI around `KeywayCore.Compiler`.
@main
struct Compile: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile Keyway environment specs into Vault, ESO and Kubernetes artifacts.",
        discussion: """
            Without --out, prints every Kubernetes object of the specs as one YAML stream on stdout.
            With --out DIR, writes DIR/<metadata.name>/ for each spec, replacing it atomically.
            With --out DIR --check, writes nothing and exits 1 when DIR is not what the specs compile to.

            Exit status: 0 on success, 1 when a spec is invalid or the folder is stale, 64 on usage errors.
            See docs/spec.md for the spec language and docs/diagnostics.md for every diagnostic.
            """
    )

    enum DiagnosticsFormat: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Argument(help: "Spec files, one environment each.")
    var specs: [String]

    @Option(name: .long, help: "Write DIR/<metadata.name>/ for each spec instead of printing the stream.")
    var out: String?

    @Flag(name: .long, help: "With --out: write nothing; exit 1 and show a diff when DIR is stale.")
    var check = false

    @Flag(name: .long, help: "With --out: exit 1 after rewriting a folder that changed (for pre-commit).")
    var failOnChange = false

    @Option(name: .long, help: "How diagnostics are printed on stderr: text or json (one object per line).")
    var diagnostics: DiagnosticsFormat = .text

    @Flag(name: .long, help: "Treat warnings as errors.")
    var warningsAsErrors = false

    func validate() throws {
        if check && out == nil { throw ValidationError("--check needs --out DIR") }
        if failOnChange && out == nil { throw ValidationError("--fail-on-change needs --out DIR") }
        if check && failOnChange { throw ValidationError("--check and --fail-on-change exclude each other") }
    }

    func run() throws {
        let status = Runner(command: self).run()
        if status != 0 { throw ExitCode(status) }
    }
}

/// One spec as read and compiled.
struct CompiledSpec {
    var path: String
    var source: [UInt8]
    var result: CompileResult?
    var readError: String?
    /// What the run needs, rendered in the same concurrent pass: the stream, or the folder's files.
    var stream: String?
    var files: [RenderedFile]?
}

/// One result slot per spec; each concurrent iteration writes only its own index.
final class Slots: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<CompiledSpec?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    deinit {
        _ = buffer.deinitialize()
        buffer.deallocate()
    }

    func store(_ value: CompiledSpec, at index: Int) { buffer[index] = value }

    var values: [CompiledSpec?] { Array(buffer) }
}

struct Runner {
    let command: Compile

    /// One diagnostic as the chosen format prints it.
    func format(_ diagnostic: Diagnostic, with renderer: DiagnosticRenderer) -> String {
        command.diagnostics == .json ? renderer.json(diagnostic) + "\n" : renderer.render(diagnostic)
    }

    func printError(_ text: String) {
        try? FileSystem.emit(text, to: 2)
    }

    func run() -> Int32 {
        let specs = compileAll(command.specs)
        let colored =
            command.diagnostics == .text && FileSystem.isTerminal(2) && FileSystem.environment("NO_COLOR") == nil
            && FileSystem.environment("TERM") != "dumb"
        var errors = 0
        var warnings = 0
        var report = ""
        for spec in specs {
            if let readError = spec.readError {
                errors += 1
                report += "\(spec.path): error: cannot read spec: \(readError)\n"
                continue
            }
            guard let result = spec.result else { continue }
            let renderer = DiagnosticRenderer(fileName: spec.path, source: spec.source, colored: colored)
            for diagnostic in result.diagnostics {
                if diagnostic.severity == .error { errors += 1 }
                if diagnostic.severity == .warning { warnings += 1 }
                report += format(diagnostic, with: renderer)
            }
        }
        errors += duplicateNames(specs, colored: colored, report: &report)
        let failed = errors > 0 || (command.warningsAsErrors && warnings > 0)
        if command.diagnostics == .text, errors + warnings > 0 {
            report += DiagnosticRenderer.summary(errors: errors, warnings: warnings) + "\n"
            if failed, errors == 0 { report += "error: warnings are errors (--warnings-as-errors)\n" }
        }
        printError(report)
        if failed { return 1 }
        guard let out = command.out else {
            var stream = ""
            for spec in specs { stream += spec.stream ?? "" }
            do {
                try FileSystem.emit(stream, to: 1)
            } catch {
                printError("compile: error: cannot write the stream: \(error)\n")
                return 1
            }
            return 0
        }
        let rendered = specs.compactMap { spec in
            spec.result?.environment.map { (name: $0.name, files: spec.files ?? []) }
        }
        if command.check { return check(rendered, in: out) }
        return write(rendered, to: out)
    }

    /// Reads and compiles every spec, concurrently; results stay in the order given.
    func compileAll(_ paths: [String]) -> [CompiledSpec] {
        let slots = Slots(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            let path = paths[index]
            var spec = CompiledSpec(path: path, source: [], result: nil, readError: nil)
            do {
                spec.source = try FileSystem.read(path)
                let result = Compiler.compile(spec.source)
                spec.result = result
                if let environment = result.environment {
                    if command.out == nil {
                        spec.stream = OutputLayout.stream(environment)
                    } else {
                        spec.files = OutputLayout.files(environment)
                    }
                }
            } catch let error as FileSystemError {
                spec.readError = error.reason
            } catch {
                spec.readError = "\(error)"
            }
            slots.store(spec, at: index)
        }
        return slots.values.compactMap { $0 }
    }

    /// Two specs with the same `metadata.name` would write the same folder: an error at the second.
    func duplicateNames(_ specs: [CompiledSpec], colored: Bool, report: inout String) -> Int {
        var seen: [String: String] = [:]
        var errors = 0
        for spec in specs {
            guard let result = spec.result, let name = result.environment?.name, let range = result.nameRange else { continue }
            if let first = seen[name] {
                errors += 1
                let diagnostic = Diagnostic(
                    .error,
                    .duplicateEnvironment,
                    "environment '\(name)' is also defined in '\(first)'",
                    at: range,
                    help: "give each spec its own 'metadata.name': it names the output folder"
                )
                let renderer = DiagnosticRenderer(fileName: spec.path, source: spec.source, colored: colored)
                report += format(diagnostic, with: renderer)
            } else {
                seen[name] = spec.path
            }
        }
        let compiled = specs.compactMap { spec in spec.result.map { (spec: spec, result: $0) } }
        for (index, diagnostic) in VaultNameCollisions.find(in: compiled.map { ($0.spec.path, $0.result) }) {
            errors += 1
            let spec = compiled[index].spec
            report += format(diagnostic, with: DiagnosticRenderer(fileName: spec.path, source: spec.source, colored: colored))
        }
        return errors
    }

    func existingFiles(_ folder: String) throws -> [String: (contents: String, isExecutable: Bool)] {
        FileSystem.isDirectory(folder) ? try FileSystem.files(under: folder) : [:]
    }

    /// `--check`: compares every environment's folder; stale, missing and extra files are drift.
    func check(_ environments: [(name: String, files: [RenderedFile])], in out: String) -> Int32 {
        var report = ""
        var stale = 0
        for environment in environments {
            let folder = "\(out)/\(environment.name)"
            let actual: [String: (contents: String, isExecutable: Bool)]
            do {
                actual = try existingFiles(folder)
            } catch {
                printError("compile: error: cannot read \(error)\n")
                return 1
            }
            let drift = Drift.compare(expected: environment.files, actual: actual, folder: folder)
            for change in drift.changes {
                stale += 1
                switch change {
                case .missing(let path): report += "\(folder)/\(path): error: missing: the spec compiles to a file that is not there\n"
                case .extra(let path): report += "\(folder)/\(path): error: extra: the spec does not compile to this file\n"
                case .stale(let path, let diff): report += "\(folder)/\(path): error: stale: differs from what the spec compiles to\n\(diff)\n"
                case .mode(let path, let executable):
                    report += "\(folder)/\(path): error: stale: should \(executable ? "" : "not ")be executable\n"
                }
            }
        }
        if stale > 0 {
            report += "\(stale) file\(stale == 1 ? "" : "s") out of date in '\(out)'\n"
            report += "help: run 'compile \(command.specs.joined(separator: " ")) --out \(out)' and commit the result\n"
            printError(report)
            return 1
        }
        return 0
    }

    /// `--out`: writes each environment into a temporary folder beside its target, then swaps it in.
    /// Nothing is renamed until every folder is written, so a failed run leaves DIR as it was.
    func write(_ environments: [(name: String, files: [RenderedFile])], to out: String) -> Int32 {
        var changed: [String] = []
        if command.failOnChange {
            for environment in environments {
                let folder = "\(out)/\(environment.name)"
                let actual = (try? existingFiles(folder)) ?? [:]
                if !Drift.compare(expected: environment.files, actual: actual, folder: folder).isEmpty { changed.append(folder) }
            }
        }
        let suffix = "\(getpid())"
        var staged: [(temporary: String, target: String)] = []
        do {
            try FileSystem.makeDirectories(out)
            for environment in environments {
                let temporary = "\(out)/.\(environment.name).keyway-new-\(suffix)"
                FileSystem.removeTree(temporary)
                staged.append((temporary, "\(out)/\(environment.name)"))
                for file in environment.files {
                    let path = "\(temporary)/\(file.path)"
                    if let slash = path.lastIndex(of: "/") { try FileSystem.makeDirectories(String(path[..<slash])) }
                    try FileSystem.write(path, file.contents, executable: file.isExecutable)
                }
            }
        } catch {
            for stage in staged { FileSystem.removeTree(stage.temporary) }
            printError("compile: error: cannot write \(error); '\(out)' is unchanged\n")
            return 1
        }
        for stage in staged {
            let old = "\(stage.target).keyway-old-\(suffix)"
            do {
                if FileSystem.exists(stage.target) { try FileSystem.rename(stage.target, old) }
                try FileSystem.rename(stage.temporary, stage.target)
                FileSystem.removeTree(old)
            } catch {
                if FileSystem.exists(old), !FileSystem.exists(stage.target) { try? FileSystem.rename(old, stage.target) }
                for remaining in staged { FileSystem.removeTree(remaining.temporary) }
                printError("compile: error: cannot replace \(error)\n")
                return 1
            }
        }
        if !changed.isEmpty {
            printError(changed.map { "keyway: rewrote '\($0)': it was out of date\n" }.joined())
            return 1
        }
        return 0
    }
}
