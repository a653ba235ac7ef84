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
///
/// Bounded whatever the spec: the first `shownLimit` errors and the first `shownLimit` warnings
/// are kept, the rest only counted (`sorted` ends with one `KW005` note giving the count); a
/// diagnostic that repeats one already added (same code, place and message) is dropped; a message
/// or help longer than `textLimit` characters is cut. Help is an autoclosure: it is built only
/// for a diagnostic that is kept.
public struct DiagnosticCollector: Sendable {
    /// Every diagnostic kept so far, in the order added.
    public private(set) var diagnostics: [Diagnostic] = []
    /// The errors and warnings added beyond the limit: counted, not kept.
    public private(set) var omitted = (errors: 0, warnings: 0)
    private var errors = 0
    private var warnings = 0
    /// Every error reported, repeats and omitted ones included: what `errorCount` marks.
    private var reportedErrors = 0
    /// The hashes of the diagnostics added, to drop repeats.
    private var seen = Set<Int>()
    /// The hash of each kept diagnostic, in `diagnostics`' order, and of each omitted one in the
    /// order found: what `append(contentsOf:)` needs to join collectors as if they were one.
    private var keptHashes: [Int] = []
    private var omittedHashes = (errors: [Int](), warnings: [Int]())

    /// The most errors, and the most warnings, one spec reports.
    public static let shownLimit = 100
    /// The longest message or help kept, in characters.
    public static let textLimit = 1000

    /// Creates an empty collector.
    public init() {}

    /// Whether any diagnostic collected is an error, so the spec is rejected.
    public var hasErrors: Bool { errors > 0 }

    /// How many errors have been reported, repeats included: a mark a reader compares with later
    /// (`SpecReader.reportedErrors(since:)`).
    ///
    /// A repeat counts, so whether a reading found an error does not depend on what was read
    /// before it (another app reporting the same aliased value): apps checked on separate
    /// collectors (`ModelBuilder.inChunks`) read exactly as they would on one.
    var errorCount: Int { reportedErrors }

    /// Adds a diagnostic; its code decides whether it is an error (the spec is rejected, and
    /// checking goes on to find the other problems) or a warning.
    public mutating func report(
        _ code: DiagnosticCode,
        _ message: String,
        at range: SourceRange,
        help: @autoclosure () -> String? = nil,
        notes: [DiagnosticNote] = []
    ) {
        add(code, message, at: range, help: help, notes: notes)
    }

    private mutating func add(
        _ code: DiagnosticCode, _ message: String, at range: SourceRange, help: () -> String?,
        notes: [DiagnosticNote]
    ) {
        let severity = code.severity
        if severity == .error { reportedErrors += 1 }
        var hasher = Hasher()
        hasher.combine(code.rawValue)
        hasher.combine(range.start.line)
        hasher.combine(range.start.column)
        hasher.combine(range.end.line)
        hasher.combine(range.end.column)
        hasher.combine(message)
        let hash = hasher.finalize()
        guard count(hash, severity) else { return }
        diagnostics.append(
            Diagnostic(code, Self.clipped(message), at: range, help: help().map(Self.clipped), notes: notes))
        keptHashes.append(hash)
    }

    /// Counts a diagnostic by its hash: `false` for a repeat, and for one beyond `shownLimit`
    /// (recorded as omitted); `true` when it is to be kept.
    private mutating func count(_ hash: Int, _ severity: Severity) -> Bool {
        guard seen.insert(hash).inserted else { return false }
        let count = severity == .error ? errors : warnings
        if severity == .error { errors += 1 } else { warnings += 1 }
        guard count < Self.shownLimit else {
            if severity == .error {
                omitted.errors += 1
                omittedHashes.errors.append(hash)
            } else {
                omitted.warnings += 1
                omittedHashes.warnings.append(hash)
            }
            return false
        }
        return true
    }

    /// Text cut to `textLimit` characters, the cut marked with `…`.
    static func clipped(_ text: String) -> String {
        guard text.utf8.count > textLimit, text.count > textLimit else { return text }
        return String(text.prefix(textLimit)) + "…"
    }

    /// Adds what another collector found after everything this one found, as if one collector had
    /// found both: repeats of this one's are dropped, the limits count both, and `errorCount` goes on.
    ///
    /// Exact because the other one kept, of each severity, the first it found and omitted the rest:
    /// this one has counted at least as many of that severity once it has added those it kept, so
    /// an omitted one that is new here is omitted here too.
    public mutating func append(contentsOf other: DiagnosticCollector) {
        for (diagnostic, hash) in zip(other.diagnostics, other.keptHashes) where count(hash, diagnostic.severity) {
            diagnostics.append(diagnostic)
            keptHashes.append(hash)
        }
        for hash in other.omittedHashes.errors { _ = count(hash, .error) }
        for hash in other.omittedHashes.warnings { _ = count(hash, .warning) }
        reportedErrors += other.reportedErrors
    }

    /// Adds diagnostics found by another stage, as they are (within the limits).
    public mutating func append(contentsOf others: [Diagnostic]) {
        for diagnostic in others {
            add(
                diagnostic.code, diagnostic.message, at: diagnostic.range, help: { diagnostic.help },
                notes: diagnostic.notes)
        }
    }

    /// The one note that counts what was left out; `nil` when nothing was.
    public var omittedNote: Diagnostic? {
        let range = diagnostics.map(\.range).max { $0.start < $1.start } ?? .fileStart
        return Self.omittedNote(errors: omitted.errors, warnings: omitted.warnings, at: range.start)
    }

    /// The note (`KW005`) counting the errors and warnings left out past `shownLimit`, placed at
    /// `location`; `nil` when none were: one wording for a spec's and an import's diagnostics.
    public static func omittedNote(errors: Int, warnings: Int, at location: SourceLocation) -> Diagnostic? {
        guard errors + warnings > 0 else { return nil }
        var parts: [String] = []
        if errors > 0 { parts.append(errors == 1 ? "1 more error" : "\(errors) more errors") }
        if warnings > 0 { parts.append(warnings == 1 ? "1 more warning" : "\(warnings) more warnings") }
        return Diagnostic(
            .diagnosticsOmitted,
            "\(parts.joined(separator: " and ")) not shown: only the first \(shownLimit) of each are reported",
            at: SourceRange(start: location, end: location),
            help: "fix these and compile again to see the rest")
    }

    /// The diagnostics in source order; ties keep the order they were found in.
    ///
    /// The note counting what was left out (`KW005`) comes last.
    public var sorted: [Diagnostic] {
        diagnostics.enumerated()
            .sorted { ($0.element.range.start, $0.offset) < ($1.element.range.start, $1.offset) }
            .map(\.element) + (omittedNote.map { [$0] } ?? [])
    }
}
