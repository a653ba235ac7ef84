/// Renders diagnostics as people and tools read them.
public struct DiagnosticRenderer {
    /// The file name shown before each location.
    public var fileName: String
    /// The spec's text, for the quoted source lines.
    public var source: [UInt8]
    /// ANSI colours, for terminals only.
    public var colored: Bool

    private let lineStarts: [Int]

    /// Creates a renderer for one spec file, named `fileName` in the output, its text `source`.
    public init(fileName: String, source: [UInt8], colored: Bool) {
        self.fileName = fileName
        self.source = source
        self.colored = colored
        var starts = [0]
        for (offset, byte) in source.enumerated() where byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
        self.lineStarts = starts
    }

    private func paint(_ text: String, _ style: TerminalStyle) -> String {
        colored ? style.apply(to: text) : text
    }

    private func severityLabel(_ severity: Severity) -> String {
        paint(severity.rawValue, TerminalStyle(severity))
    }

    /// The widest source line a snippet quotes, in columns (Unicode scalars): a longer line is
    /// cut to a window of this width around the span, each cut marked with `…`.
    public static let snippetWidth = 120

    /// The bytes of a 1-based line, without its line break.
    func lineBytes(_ number: Int) -> ArraySlice<UInt8>? {
        guard number >= 1, number <= lineStarts.count else { return nil }
        let start = lineStarts[number - 1]
        var end = number < lineStarts.count ? lineStarts[number] - 1 : source.count
        if end > start, source[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        guard end >= start else { return nil }
        return source[start..<end]
    }

    /// The text of a 1-based line, without its line break; tabs shown as one space each, other
    /// control characters as U+FFFD.
    func line(_ number: Int) -> String? {
        lineBytes(number).map(Self.displayText)
    }

    static func displayText(_ bytes: ArraySlice<UInt8>) -> String {
        var text = ""
        // One scalar for one, so the carets stay under their columns; controls never reach the terminal.
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            text.unicodeScalars.append(scalar == "\t" ? " " : isControl(scalar) ? "\u{FFFD}" : scalar)
        }
        return text
    }

    /// A diagnostic as the Rust and Swift compilers print it.
    ///
    /// Location, severity, message and code (`FILE:LINE:COL: error: message [KW031]`), the source
    /// line with the span underlined, then help and notes. The line starts with
    /// `FILE:LINE:COL: SEVERITY: ` whatever the code.
    public func render(_ diagnostic: Diagnostic) -> String {
        var out = header(diagnostic.severity, diagnostic.message, code: diagnostic.code, at: diagnostic.range.start)
        let gutter = String(diagnostic.range.start.line).count
        out += snippet(diagnostic.range, gutter: gutter)
        let pad = String(repeating: " ", count: gutter + 1)
        if let help = diagnostic.help { out += "\(pad)= \(paint("help", .bold)): \(Self.oneLine(help))\n" }
        for note in diagnostic.notes {
            if let range = note.range, let file = note.file, file != fileName {
                // Another spec's text is not at hand: its place, without the quoted line.
                out +=
                    "\(pad)= \(paint("note", .bold)): \(file):\(range.start.line):\(range.start.column): \(note.message)\n"
            } else if let range = note.range {
                out += header(.note, note.message, at: range.start)
                out += snippet(range, gutter: String(range.start.line).count)
            } else {
                out += "\(pad)= \(paint("note", .bold)): \(Self.oneLine(note.message))\n"
            }
        }
        return out
    }

    private func header(
        _ severity: Severity, _ message: String, code: DiagnosticCode? = nil, at location: SourceLocation
    ) -> String {
        let location = paint("\(fileName):\(location.line):\(location.column):", .bold)
        let suffix = code.map { " " + paint("[\($0.rawValue)]", .bold) } ?? ""
        return "\(location) \(severityLabel(severity)): \(paint(Self.oneLine(message), .bold))\(suffix)\n"
    }

    /// A message as one line of inert text.
    ///
    /// A value quoted from the spec may hold line breaks or terminal escapes, which would forge
    /// diagnostic lines or drive the terminal. Control characters and Unicode line separators are
    /// written as escapes (`\n`, `\u{1B}`).
    static func oneLine(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if isControl(scalar) {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// C0 and C1 controls, DEL, the Unicode line and paragraph separators and the bidirectional
    /// overrides that reorder what a terminal shows.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
            || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    private func snippet(_ range: SourceRange, gutter: Int) -> String {
        guard let bytes = lineBytes(range.start.line), !source.isEmpty else { return "" }
        let bar = paint(String(repeating: " ", count: gutter + 1) + "|", .gutter)
        let number = paint(String(range.start.line).leftPaddedWithSpaces(to: gutter) + " |", .gutter)
        // Columns count scalars: every byte that does not continue a UTF-8 sequence.
        let length = bytes.reduce(0) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        let startColumn = min(max(range.start.column, 1), length + 1)
        var endColumn = range.end.line == range.start.line ? range.end.column : length + 1
        // A span ending on a later line, or an empty one, underlines to the end of its text.
        if endColumn <= startColumn { endColumn = max(startColumn + 1, length + 1) }
        endColumn = min(endColumn, max(length + 1, startColumn + 1))
        let window = SnippetWindow(length: length, start: startColumn, width: Self.snippetWidth)
        endColumn = min(endColumn, max(window.end, startColumn + 1))
        let scalars = Array(Self.displayText(window.slice(of: bytes)).unicodeScalars)
        // Drop trailing spaces of the underlined text (a mapping's span ends after them).
        while endColumn - 1 > startColumn, endColumn - 1 - window.start < scalars.count,
            scalars[endColumn - 1 - window.start] == " "
        {
            endColumn -= 1
        }
        var text = window.start > 1 ? "…" : ""
        text.unicodeScalars.append(contentsOf: scalars)
        if window.end <= length { text += "…" }
        let pad = (window.start > 1 ? 1 : 0) + startColumn - window.start
        let carets =
            String(repeating: " ", count: pad) + paint(String(repeating: "^", count: endColumn - startColumn), .caret)
        return "\(bar)\n\(number) \(text)\n\(bar) \(carets)\n"
    }

    /// The final count, as `2 errors, 1 warning`; empty when there is nothing to count.
    public static func summary(errors: Int, warnings: Int) -> String {
        var parts: [String] = []
        if errors > 0 { parts.append(errors == 1 ? "1 error" : "\(errors) errors") }
        if warnings > 0 { parts.append(warnings == 1 ? "1 warning" : "\(warnings) warnings") }
        return parts.joined(separator: ", ")
    }

    /// One JSON object per line, for editors and CI annotations.
    public func json(_ diagnostic: Diagnostic) -> String {
        var fields: [(String, String)] = [
            ("file", JSON.string(fileName)),
            ("line", String(diagnostic.range.start.line)),
            ("column", String(diagnostic.range.start.column)),
            ("endLine", String(diagnostic.range.end.line)),
            ("endColumn", String(diagnostic.range.end.column)),
            ("severity", JSON.string(diagnostic.severity.rawValue)),
            ("code", JSON.string(diagnostic.code.rawValue)),
            ("message", JSON.string(diagnostic.message)),
            ("help", diagnostic.help.map(JSON.string) ?? "null"),
        ]
        let notes = diagnostic.notes.map { note in
            var parts = ["\"message\":" + JSON.string(note.message)]
            if let file = note.file { parts.append("\"file\":" + JSON.string(file)) }
            if let range = note.range { parts += ["\"line\":\(range.start.line)", "\"column\":\(range.start.column)"] }
            return "{" + parts.joined(separator: ",") + "}"
        }
        fields.append(("notes", "[" + notes.joined(separator: ",") + "]"))
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}

/// The ANSI styles of the text format, used only on a terminal.
enum TerminalStyle: String {
    case bold = "1"
    case error = "1;31"
    case warning = "1;33"
    case note = "1;36"
    case gutter = "1;34"

    /// The underline of a span is red, as rustc and swiftc draw it.
    static let caret = TerminalStyle.error

    init(_ severity: Severity) {
        switch severity {
        case .error: self = .error
        case .warning: self = .warning
        case .note: self = .note
        }
    }

    /// `text` wrapped in this style's SGR sequence and a reset.
    func apply(to text: String) -> String { "\u{1B}[\(rawValue)m\(text)\u{1B}[0m" }
}

/// The columns of a source line a snippet shows: all of a short line; of a long one, a window of
/// `width` columns that starts a little before the span, or ends at the line's end.
struct SnippetWindow {
    /// The first column shown and the column after the last one shown (1-based).
    var start: Int
    var end: Int

    init(length: Int, start column: Int, width: Int) {
        guard length > width else {
            start = 1
            end = length + 1
            return
        }
        start = max(1, min(column - width / 4, length + 1 - width))
        end = start + width
    }

    /// The bytes of the window's columns.
    func slice(of bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var column = 0
        var lower = bytes.endIndex
        var upper = bytes.endIndex
        for index in bytes.indices where bytes[index] & 0xC0 != 0x80 {
            column += 1
            if column == start { lower = index }
            if column == end {
                upper = index
                break
            }
        }
        return bytes[lower..<upper]
    }
}

/// JSON string quoting, for the diagnostics' JSON lines and the CLI's other messages.
public enum JSON {
    /// `text` as a JSON string literal, quotes included.
    public static func string(_ text: String) -> String {
        var out = ""
        append(text, to: &out)
        return out
    }

    /// Appends `text` as a JSON string literal to `out`: the renderers write into one string.
    public static func append(_ text: String, to out: inout String) {
        out += "\""
        // Most strings need no escape: copied whole. 0xE2 leads U+2028 and U+2029 (and other
        // characters, which the loop below copies as they are).
        if !needsEscape(text) {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar == "\u{2028}" || scalar == "\u{2029}" {
                    out += "\\u" + String(scalar.value, radix: 16).zeroPadded(to: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    private static func needsEscape(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0xE2 }
        }
    }
}

extension String {
    func leftPaddedWithSpaces(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
