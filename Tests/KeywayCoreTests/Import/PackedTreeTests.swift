import Foundation
import Testing

@testable import KeywayCore

/// The packed form import keeps of its inputs while the spec compiles, and the byte paths of the
/// comparison's text checks: each gives what the slower form gave.
@Suite("Import: packed trees and text checks")
struct PackedTreeTests {
    /// Every document of the example goldens, the import corpus and a stream of odd
    /// shapes (flow collections, block and quoted scalars, non-ASCII text, long lines, CRLF) unpacks
    /// to the tree that was packed: the same texts, styles and ranges.
    @Test func unpacksToTheTreePacked() throws {
        let odd = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: "odd", labels: {a: b, "ü": 'ö'}}
            data:
              block: |
                first line
                  indented — ünïcode
              folded: >-
                one
                two
              flow: [1, 2.5, null, ~, true, {x: [y, z]}, "tab\\there"]
              empty: ""
              nested:
                - - deep
                  - {k: v}
                -
              long: \(String(repeating: "x", count: 5000))
            ---
            apiVersion: v1\r\nkind: Secret\r\nmetadata:\r\n  name: crlf\r\n
            """
        var texts = [Array(odd.utf8)]
        for path in try files(under: "Tests/fixtures/import-corpus", endingWith: ".yaml")
            + files(under: "golden", endingWith: ".yaml")
        {
            texts.append(Array(try Data(contentsOf: repositoryRoot.appendingPathComponent(path))))
        }
        var documents = 0
        for text in texts {
            var collector = DiagnosticCollector()
            for case .mapping(let mapping) in SpecParser.parseDocuments(text, limits: ParseLimits(), into: &collector)
                ?? []
            {
                #expect(PackedTree.unpack(PackedTree.pack(mapping)) == mapping)
                documents += 1
            }
        }
        #expect(documents > 20)
    }

    /// Ranges the parser never writes (lines going back, the largest columns) pack too.
    @Test func packsAnyRange() {
        func scalar(_ text: String, _ line: Int, _ column: Int, _ endLine: Int, _ endColumn: Int) -> SpecScalar {
            SpecScalar(
                text: text, style: .quoted,
                range: SourceRange(
                    start: SourceLocation(line: line, column: column),
                    end: SourceLocation(line: endLine, column: endColumn)))
        }
        let mapping = SpecMapping(
            entries: [
                SpecEntry(key: scalar("a", 900_000, 3, 900_001, 1), value: .scalar(scalar("", 1, 1, 1, 1))),
                SpecEntry(
                    key: scalar("b", 5, Int(Int32.max), 2, 1),
                    value: .sequence(SpecSequence(items: [], range: .fileStart))),
            ],
            range: SourceRange(start: SourceLocation(line: 7, column: 2), end: SourceLocation(line: 3, column: 9)))
        #expect(PackedTree.unpack(PackedTree.pack(mapping)) == mapping)
    }

    /// `containsText` answers as the standard library's `contains`, ASCII or not.
    @Test func containsTextAnswersAsContains() {
        let texts = [
            "", "secret.reloader.stakater.com/reload", "reloader.stakater.com", "x.reloader.stakater.co",
            "ünï.reloader.stakater.com/auto", "reloader.stakater.com\u{301}", "e\u{301}reloader.stakater.com",
        ]
        for text in texts {
            for needle in ["reloader.stakater.com", "", "e", "é"] {
                // `firstRange(of:)`: the standard library's search, which `contains` is in the core
                // (Foundation's `contains`, imported here, answers otherwise for an empty needle).
                #expect(containsText(text, needle) == (text.firstRange(of: needle) != nil), "\(text) \(needle)")
            }
        }
    }

    /// `trimmingSpaces` drops the spaces `Character` by `Character` would, ASCII or not.
    @Test func trimmingSpacesAsCharacters() {
        let texts = ["", " ", "  a b  ", "a", " \u{301}a ", "ü ", " \r\n ", "\ta\t"]
        for text in texts {
            let slow = String(
                Substring(text).drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
            #expect(Substring(text).trimmingSpaces() == slow, "\(text.debugDescription)")
        }
    }

    /// The byte lexer of ASCII policies gives the `Character` lexer's tokens, ranges and problems:
    /// on every ASCII character in and around each kind of token, CR LF and lone CRs, comments,
    /// escapes and unclosed strings and comments, and on the examples' policies.
    @Test func byteLexerAsCharacterLexer() throws {
        var texts = [
            "path \"kv/data/a\" {\r\n  capabilities = [\"read\", \"list\"]\r\n}\r\n# c\r\nx\n",
            "// one\npath \"a\\\"b\\\\c\\nd\\te\\\r\n\" { /* block\r\n */ capabilities = [] }",
            "a\rb", "\"open", "/* open", "/*/", "\"\\", "x.y-z_1 = 2", "#\r\r\n\n", "\"a\nb\"", "",
        ]
        for byte in UInt8(0)..<0x80 {
            let character = String(decoding: [byte], as: UTF8.self)
            texts += ["a\(character)b", "\"a\(character)b\"", "# \(character)\nx", "\(character)"]
        }
        for path in try files(under: "golden", endingWith: ".hcl") {
            texts.append(
                String(decoding: try Data(contentsOf: repositoryRoot.appendingPathComponent(path)), as: UTF8.self))
        }
        for text in texts {
            var fast: HCLLexer.Problems = []
            var slow: HCLLexer.Problems = []
            let bytes = HCLLexer.tokens(text, problems: &fast)
            let characters = HCLLexer.characterTokens(text, problems: &slow)
            #expect(bytes?.map(\.token) == characters?.map(\.token), "\(text.debugDescription)")
            #expect(bytes?.map(\.range) == characters?.map(\.range), "\(text.debugDescription)")
            #expect(fast.map(\.message) == slow.map(\.message), "\(text.debugDescription)")
            #expect(fast.map(\.range) == slow.map(\.range), "\(text.debugDescription)")
        }
    }
}
