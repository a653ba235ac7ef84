import Foundation
import Testing

@testable import KeywayCore

@Suite("Diagnostic codes")
struct DiagnosticCodeTests {
    static func documentation() throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent("docs/diagnostics.md"), encoding: .utf8)
    }

    /// Every code has its row in `docs/diagnostics.md`: code, severity and title, as the code
    /// declares them, so the reference cannot fall behind the compiler.
    @Test func everyCodeIsDocumented() throws {
        let rows = try Self.documentation().split(separator: "\n").map(String.init)
        for code in DiagnosticCode.allCases {
            let row = "| \(code.rawValue) | \(code.severity.rawValue) | \(code.title) | "
            #expect(rows.contains { $0.hasPrefix(row) }, "docs/diagnostics.md has no row starting '\(row)'")
        }
    }

    /// The reference documents no code the compiler does not have.
    @Test func theDocumentationNamesOnlyRealCodes() throws {
        let codes = Set(DiagnosticCode.allCases.map(\.rawValue))
        let documented = try Self.documentation().split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| KW") else { return nil }
            return line.split(separator: "|").first.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        #expect(Set(documented) == codes)
        #expect(documented.count == codes.count, "a code is documented twice")
    }

    /// The text format keeps `FILE:LINE:COL: SEVERITY: ` as the literal start of the line and puts
    /// the code at its end; notes carry no code.
    @Test func textFormatEndsTheFirstLineWithTheCode() {
        let source = bytes("a: 1\na: 2\n")
        let renderer = DiagnosticRenderer(fileName: "x.yaml", source: source, colored: false)
        let diagnostic = Diagnostic(
            .duplicateKey, "duplicate key 'a'",
            at: SourceRange(start: .init(line: 2, column: 1), end: .init(line: 2, column: 2)),
            help: "merge them",
            notes: [
                DiagnosticNote(
                    "'a' first defined here",
                    at: SourceRange(start: .init(line: 1, column: 1), end: .init(line: 1, column: 2)))
            ])
        #expect(
            renderer.render(diagnostic) == """
                x.yaml:2:1: error: duplicate key 'a' [KW013]
                  |
                2 | a: 2
                  | ^
                  = help: merge them
                x.yaml:1:1: note: 'a' first defined here
                  |
                1 | a: 1
                  | ^

                """)
    }

    /// On a terminal the same text is styled, and stripping the styles gives it back.
    @Test func coloursAreATypedStyleAroundTheSameText() {
        let source = bytes("a: 1\n")
        let range = SourceRange(start: .init(line: 1, column: 4), end: .init(line: 1, column: 5))
        let diagnostic = Diagnostic(.fastRefresh, "fast", at: range)
        let plain = DiagnosticRenderer(fileName: "x.yaml", source: source, colored: false).render(diagnostic)
        let painted = DiagnosticRenderer(fileName: "x.yaml", source: source, colored: true).render(diagnostic)
        #expect(painted.contains(TerminalStyle.warning.apply(to: "warning")))
        #expect(painted.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression) == plain)
    }

    /// A value quoted in a message cannot forge a diagnostic line or drive the terminal: line
    /// breaks and control characters are escaped, and the quoted source line shows U+FFFD.
    @Test func quotedValuesStayOnTheirLine() {
        let range = SourceRange(start: .init(line: 1, column: 7), end: .init(line: 1, column: 9))
        let diagnostic = Diagnostic(
            .invalidKubernetesName, "name 'a\nx.yaml:1:1: error: fake\u{1B}[2J\u{202E}'", at: range,
            help: "h\u{85}")
        let rendered = DiagnosticRenderer(fileName: "x.yaml", source: bytes("name: \u{1B}b\n"), colored: false).render(
            diagnostic)
        #expect(
            rendered == """
                x.yaml:1:7: error: name 'a\\nx.yaml:1:1: error: fake\\u{1B}[2J\\u{202E}' [KW020]
                  |
                1 | name: \u{FFFD}b
                  |       ^^
                  = help: h\\u{85}

                """)
    }
}
