/// How bad a diagnostic is: errors reject the spec, warnings do not (unless asked to).
public enum Severity: String, Sendable, Comparable {
    case error
    case warning
    case note

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A secondary message attached to a diagnostic, optionally pointing at a second place.
public struct DiagnosticNote: Sendable, Equatable {
    public var message: String
    public var range: SourceRange?
    /// The file `range` is in, when it is not the diagnostic's own (a problem found across specs).
    public var file: String?

    public init(_ message: String, at range: SourceRange? = nil, file: String? = nil) {
        self.message = message
        self.range = range
        self.file = file
    }
}

/// One problem found in a spec, located where the user wrote it.
public struct Diagnostic: Sendable, Equatable {
    public var severity: Severity
    public var code: DiagnosticCode
    public var message: String
    public var range: SourceRange
    public var help: String?
    public var notes: [DiagnosticNote]

    public init(
        _ severity: Severity,
        _ code: DiagnosticCode,
        _ message: String,
        at range: SourceRange,
        help: String? = nil,
        notes: [DiagnosticNote] = []
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.range = range
        self.help = help
        self.notes = notes
    }
}

/// Collects the diagnostics of one spec; stages add to it and never stop at the first problem.
public struct DiagnosticCollector: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public mutating func error(
        _ code: DiagnosticCode,
        _ message: String,
        at range: SourceRange,
        help: String? = nil,
        notes: [DiagnosticNote] = []
    ) {
        diagnostics.append(Diagnostic(.error, code, message, at: range, help: help, notes: notes))
    }

    public mutating func warning(
        _ code: DiagnosticCode,
        _ message: String,
        at range: SourceRange,
        help: String? = nil,
        notes: [DiagnosticNote] = []
    ) {
        diagnostics.append(Diagnostic(.warning, code, message, at: range, help: help, notes: notes))
    }

    /// Drops the diagnostics from position `start` on that repeat one already reported: a check of
    /// one spec part run for several apps (`defaults.patch`) reports each problem once.
    public mutating func dropRepeats(from start: Int) {
        var kept = Array(diagnostics[..<start])
        for diagnostic in diagnostics[start...] where !kept.contains(diagnostic) { kept.append(diagnostic) }
        diagnostics = kept
    }

    /// Adds diagnostics found by another stage, as they are.
    public mutating func append(contentsOf others: [Diagnostic]) {
        diagnostics.append(contentsOf: others)
    }

    /// The diagnostics in source order; ties keep the order they were found in.
    public var sorted: [Diagnostic] {
        diagnostics.enumerated()
            .sorted { ($0.element.range.start, $0.offset) < ($1.element.range.start, $1.offset) }
            .map(\.element)
    }
}
