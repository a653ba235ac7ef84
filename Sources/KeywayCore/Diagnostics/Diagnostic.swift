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

    /// Orders by rank: errors first, then warnings, then notes.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A secondary message attached to a diagnostic, optionally pointing at a second place.
public struct DiagnosticNote: Sendable, Equatable {
    /// The note's text: lowercase, no trailing period, names in single quotes.
    public var message: String
    /// The place the note points at; `nil` for a note about no place in particular.
    public var range: SourceRange?
    /// The file `range` is in, when it is not the diagnostic's own (a problem found across specs).
    public var file: String?

    /// Creates a note with its message and, optionally, the place it points at and the file that place is in.
    public init(_ message: String, at range: SourceRange? = nil, file: String? = nil) {
        self.message = message
        self.range = range
        self.file = file
    }
}

/// One problem found in a spec, located where the user wrote it.
public struct Diagnostic: Sendable, Equatable {
    /// The stable `KWxxx` code of this kind of problem; it decides the severity.
    public var code: DiagnosticCode
    /// The message: lowercase, no trailing period, names in single quotes.
    public var message: String
    /// Where in the spec the problem was written.
    public var range: SourceRange
    /// How to fix it, shown as `help:`; `nil` when there is nothing to add.
    public var help: String?
    /// Secondary messages, such as the first place of a duplicate.
    public var notes: [DiagnosticNote]

    /// Whether the diagnostic rejects the spec (error) or only warns: its code's severity.
    public var severity: Severity { code.severity }

    /// Creates a diagnostic of a code with its message, place, help and notes.
    public init(
        _ code: DiagnosticCode,
        _ message: String,
        at range: SourceRange,
        help: String? = nil,
        notes: [DiagnosticNote] = []
    ) {
        self.code = code
        self.message = message
        self.range = range
        self.help = help
        self.notes = notes
    }
}

/// Collects the diagnostics of one spec; stages add to it and never stop at the first problem.
public struct DiagnosticCollector: Sendable {
    /// Every diagnostic added so far, in the order added.
    public private(set) var diagnostics: [Diagnostic] = []

    /// Creates an empty collector.
    public init() {}

    /// Whether any diagnostic collected is an error, so the spec is rejected.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Adds a diagnostic; its code decides whether it is an error (the spec is rejected, and
    /// checking goes on to find the other problems) or a warning.
    public mutating func report(
        _ code: DiagnosticCode,
        _ message: String,
        at range: SourceRange,
        help: String? = nil,
        notes: [DiagnosticNote] = []
    ) {
        diagnostics.append(Diagnostic(code, message, at: range, help: help, notes: notes))
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
