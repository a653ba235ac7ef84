/// One input of `compile import`: Kubernetes YAML, a Vault policy (`*.hcl`) or shell commands (`*.sh`).
public struct ImportFile: Sendable {
    /// The name shown in diagnostics; its extension decides how the text is read.
    public var name: String
    /// The file's bytes, as read.
    public var text: [UInt8]

    /// An input named `name` holding `text`.
    public init(name: String, text: [UInt8]) {
        self.name = name
        self.text = text
    }

    /// How the file is read, from its extension.
    var format: ImportFormat {
        let lower = name.lowercased()
        if lower.hasSuffix(".hcl") { return .policy }
        if lower.hasSuffix(".sh") { return .shell }
        return .manifests
    }
}

/// How an input file is read.
enum ImportFormat {
    case manifests
    case policy
    case shell
}

/// What the user tells `compile import` beyond the files.
public struct ImportOptions: Sendable {
    /// The spec's `metadata.name`; found in the inputs when `nil`.
    public var environmentName: String?

    /// Options with the environment's name, when the user gives it.
    public init(environmentName: String? = nil) { self.environmentName = environmentName }
}

/// One problem found while importing, in one of the input files (`file`: its index), or about the
/// inputs as a whole (`file == nil`; the range is then meaningless).
public struct ImportDiagnostic: Sendable, Equatable {
    /// The index of the input file it is located in; `nil` for the inputs as a whole.
    public var file: Int?
    /// The problem, located in that file.
    public var diagnostic: Diagnostic

    /// A diagnostic of the input at index `file`.
    public init(file: Int?, diagnostic: Diagnostic) {
        self.file = file
        self.diagnostic = diagnostic
    }
}

/// What importing gives: the spec's text when there was no error, and every warning and error.
public struct ImportResult: Sendable {
    /// The spec as YAML; `nil` when any diagnostic is an error.
    public var spec: String?
    /// Every warning and error, in the order found.
    public var diagnostics: [ImportDiagnostic]

    /// Whether any diagnostic is an error (then `spec` is `nil`).
    public var hasErrors: Bool { diagnostics.contains { $0.diagnostic.severity == .error } }
}

/// Collects the diagnostics of an import, each with the file it belongs to.
struct ImportSink {
    private(set) var items: [ImportDiagnostic] = []

    var hasErrors: Bool { items.contains { $0.diagnostic.severity == .error } }

    /// Reports a problem in a file (`nil`: the inputs as a whole); its code decides the severity.
    mutating func report(
        _ code: DiagnosticCode, _ message: String, file: Int?, at range: SourceRange = .fileStart, help: String? = nil
    ) {
        items.append(ImportDiagnostic(file: file, diagnostic: Diagnostic(code, message, at: range, help: help)))
    }

    mutating func append(_ diagnostics: [Diagnostic], file: Int) {
        items += diagnostics.map { ImportDiagnostic(file: file, diagnostic: $0) }
    }

    /// Per file in input order, each file's in source order; the inputs as a whole last.
    var sorted: [ImportDiagnostic] {
        items.enumerated()
            .sorted { left, right in
                let l = (left.element.file ?? Int.max, left.element.diagnostic.range.start, left.offset)
                let r = (right.element.file ?? Int.max, right.element.diagnostic.range.start, right.offset)
                return l < r
            }
            .map(\.element)
    }
}
