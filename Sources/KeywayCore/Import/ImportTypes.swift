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

    /// How the file is read, from its extension; `-` (standard input) is a manifest stream.
    var format: ImportFormat {
        let lower = name.lowercased()
        let base = lower.split(separator: "/").last.map(String.init) ?? lower
        if lower == "-" || [".yaml", ".yml", ".json"].contains(where: lower.hasSuffix) {
            return Self.isTemplate(text) ? .skipped(ImportFormat.helmHelp) : .manifests
        }
        if lower.hasSuffix(".hcl") { return .policy }
        if lower.hasSuffix(".sh") { return .shell }
        let skipped: [(suffixes: [String], help: String)] = [
            (
                [".tf", ".tfvars", ".tf.json"],
                "Terraform is not read: import the Vault policy as a *.hcl file and the role commands as *.sh"
            ),
            ([".md", ".markdown", ".adoc", ".txt"], "documentation is not read: put its manifests in a *.yaml file"),
            ([".tpl", ".gotmpl"], ImportFormat.helmHelp),
            ([".jsonnet", ".libsonnet"], "render it first: 'jsonnet -y FILE | compile import -'"),
        ]
        for kind in skipped where kind.suffixes.contains(where: base.hasSuffix) { return .skipped(kind.help) }
        return .skipped(
            "import reads Kubernetes YAML (*.yaml, *.yml, '-' for standard input), Vault policies (*.hcl) and shell commands (*.sh)"
        )
    }

    /// Whether YAML text is an unrendered Helm template: it uses the chart's values, release or
    /// named templates, which a rendered manifest (even an ExternalSecret's own `{{ .key }}`) never has.
    static func isTemplate(_ text: [UInt8]) -> Bool {
        text.withUnsafeBufferPointer { bytes in
            // One pass over the bytes for `{{`; the markers are looked for only in a file that has one.
            let brace = UInt8(ascii: "{")
            guard bytes.indices.dropFirst().contains(where: { bytes[$0] == brace && bytes[$0 - 1] == brace })
            else { return false }
            return containsAny(bytes, of: templateMarkers)
        }
    }

    static let templateMarkers = [".Values.", ".Release.", ".Chart.", ".Capabilities.", "include \"", "{{ template \""]
        .map { Array($0.utf8) }
}

/// Whether any of `needles` occurs in `haystack`: one pass, comparing only where a needle's first
/// byte is (linear for the few short needles import uses).
func containsAny(_ haystack: UnsafeBufferPointer<UInt8>, of needles: [[UInt8]]) -> Bool {
    var starts = [Bool](repeating: false, count: 256)
    for needle in needles { if let first = needle.first { starts[Int(first)] = true } }
    for index in haystack.indices where starts[Int(haystack[index])] {
        for needle in needles where occurs(needle, in: haystack, at: index) { return true }
    }
    return false
}

/// Whether `text` contains `needle`, as `String.contains` answers: for ASCII text (one byte a
/// character) by comparing bytes, where the generic search cost thousands of instructions a call.
func containsText(_ text: String, _ needle: String) -> Bool {
    let found = text.utf8.withContiguousStorageIfAvailable { haystack -> Bool? in
        guard !needle.isEmpty, haystack.allSatisfy({ $0 < 0x80 }) else { return nil }
        return needle.utf8.withContiguousStorageIfAvailable { needle in
            haystack.indices.contains { occurs(needle, in: haystack, at: $0) }
        }
    }
    return found.flatMap { $0 } ?? text.contains(needle)
}

/// Whether `needle` (not empty) occurs in `haystack` at `index`: the one byte comparison of both
/// searches above.
private func occurs(
    _ needle: some RandomAccessCollection<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, at index: Int
) -> Bool {
    guard let first = needle.first, first == haystack[index], needle.count <= haystack.count - index else {
        return false
    }
    return UnsafeBufferPointer(rebasing: haystack[index..<index + needle.count]).elementsEqual(needle)
}

/// How an input file is read.
enum ImportFormat: Equatable {
    case manifests
    case policy
    case shell
    /// Not read: the help says what to do instead.
    case skipped(String)

    static let helmHelp =
        "a Helm template is read rendered: 'helm template RELEASE CHART -f values.yaml | compile import -'"
}

/// What the user tells `compile import` beyond the files.
public struct ImportOptions: Sendable {
    /// The spec's `metadata.name`; found in the inputs when `nil`.
    public var environmentName: String?
    /// The namespace of namespaced objects that name none (what kustomize's `namespace:` or an
    /// Argo CD Application's destination gives them); `nil`: `default`, warned.
    public var namespace: String?

    /// Options with the environment's name and the inputs' namespace, when the user gives them.
    public init(environmentName: String? = nil, namespace: String? = nil) {
        self.environmentName = environmentName
        self.namespace = namespace
    }
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
    /// What the import built, when it succeeded: immutable, held only so a caller can keep it.
    public var workspace: ImportWorkspace?

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

    /// Appends another sink's diagnostics after this one's, in their order.
    mutating func append(_ other: ImportSink) { items += other.items }

    mutating func append(_ diagnostics: [Diagnostic], file: Int) {
        items += diagnostics.map { ImportDiagnostic(file: file, diagnostic: $0) }
    }

    /// Per file in input order, each file's in source order; the inputs as a whole last.
    ///
    /// Past the first `DiagnosticCollector.shownLimit` errors and warnings, as for a spec, the rest are
    /// counted in one note (`KW005`) at the end instead of printed.
    var sorted: [ImportDiagnostic] {
        let all = items.enumerated()
            .sorted { left, right in
                let l = (left.element.file ?? Int.max, left.element.diagnostic.range.start, left.offset)
                let r = (right.element.file ?? Int.max, right.element.diagnostic.range.start, right.offset)
                return l < r
            }
            .map(\.element)
        var shown: [ImportDiagnostic] = []
        var counted = (errors: 0, warnings: 0)
        for item in all {
            let isError = item.diagnostic.severity == .error
            let count = isError ? counted.errors : counted.warnings
            if isError { counted.errors += 1 } else { counted.warnings += 1 }
            if count < DiagnosticCollector.shownLimit { shown.append(item) }
        }
        let limit = DiagnosticCollector.shownLimit
        let note = DiagnosticCollector.omittedNote(
            errors: max(0, counted.errors - limit), warnings: max(0, counted.warnings - limit),
            at: SourceRange.fileStart.start)
        return shown + (note.map { [ImportDiagnostic(file: nil, diagnostic: $0)] } ?? [])
    }
}

/// The paths of one input object whose meaning a reader carried into the spec another way, as a
/// tree of their keys: what the comparison leaves alone (`ImportContext.compareMapping`).
struct ExplainedPaths {
    /// Whether the path that leads here was explained itself.
    var isExplained = false
    /// The longer explained paths, by their next key.
    var children: [String: ExplainedPaths] = [:]

    mutating func insert(_ path: ArraySlice<String>) {
        guard let key = path.first else { return isExplained = true }
        children[key, default: ExplainedPaths()].insert(path.dropFirst())
    }

    /// The tree below `path`; `nil` when no explained path leads through it.
    func subtree(at path: [String]) -> ExplainedPaths? {
        var tree = self
        for key in path {
            guard let child = tree.children[key] else { return nil }
            tree = child
        }
        return tree
    }

    /// Whether the node at this place is explained: its path, or every entry of a mapping.
    func covers(_ node: SpecNode) -> Bool {
        if isExplained { return true }
        guard case .mapping(let mapping) = node, !mapping.entries.isEmpty else { return false }
        return mapping.entries.allSatisfy { children[$0.key.text]?.covers($0.value) ?? false }
    }
}

/// A manifest file parsed into its documents, with the parser's diagnostics.
struct ParsedManifests: Sendable {
    var documents: [SpecNode]?
    var diagnostics: [Diagnostic]

    init(_ text: [UInt8]) {
        var collector = DiagnosticCollector()
        documents = SpecParser.parseDocuments(text, limits: ParseLimits(), into: &collector)
        diagnostics = collector.diagnostics
    }
}
