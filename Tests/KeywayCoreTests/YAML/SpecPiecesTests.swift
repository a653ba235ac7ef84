import Foundation
import Testing

@testable import KeywayCore

/// A spec read in pieces on several cores is the tree one reading gives, or is not used.
@Suite("Spec read in pieces")
struct SpecPiecesTests {
    /// The tree and diagnostics of one reading of the whole text.
    static func single(_ text: [UInt8]) -> (SpecNode?, [Diagnostic]) {
        var diagnostics = DiagnosticCollector()
        let root = SpecParser.parse(text, limits: ParseLimits(), into: &diagnostics)
        return (root, diagnostics.sorted)
    }

    /// The text read in pieces of at least `size` bytes: `nil` where it is not cut or a piece
    /// reports a problem.
    static func pieces(_ text: [UInt8], size: Int, limits: ParseLimits = ParseLimits()) -> SpecNode? {
        text.withUnsafeBufferPointer { buffer in
            SpecPieces.cut(buffer, layout: SpecPieces.Layout(key: "apps", pieceBytes: size)).flatMap {
                SpecPieces.parse(buffer, cut: $0, limits: limits)
            }
        }
    }

    /// Checks the rule the pieces keep; returns whether pieces were used.
    ///
    /// Where they give a tree it is the single reading's, and where that reading reports anything
    /// they give none.
    @discardableResult
    static func check(_ text: String, size: Int, limits: ParseLimits = ParseLimits()) -> Bool {
        let bytes = Array(text.utf8)
        var diagnostics = DiagnosticCollector()
        let whole = SpecParser.parse(bytes, limits: limits, into: &diagnostics)
        guard let joined = pieces(bytes, size: size, limits: limits) else { return false }
        #expect(diagnostics.sorted.isEmpty, "pieces read a text the single reading reports: \(text.prefix(200))")
        if let whole, joined != whole {
            Issue.record("pieces read another tree: \(difference(joined, whole, at: "") ?? "?") in \(text.prefix(120))")
        }
        return true
    }

    /// Where two trees first differ, by key path, for a readable failure.
    static func difference(_ left: SpecNode, _ right: SpecNode, at path: String) -> String? {
        switch (left, right) {
        case (.mapping(let a), .mapping(let b)):
            if a.entries.count != b.entries.count { return "\(path): \(a.entries.count) vs \(b.entries.count) keys" }
            for (x, y) in zip(a.entries, b.entries) {
                if x.key != y.key { return "\(path).\(x.key.text): key \(x.key) vs \(y.key)" }
                if let found = difference(x.value, y.value, at: "\(path).\(x.key.text)") { return found }
            }
            return a.range == b.range ? nil : "\(path): range \(a.range) vs \(b.range)"
        case (.sequence(let a), .sequence(let b)):
            if a.items.count != b.items.count { return "\(path): \(a.items.count) vs \(b.items.count) items" }
            for (index, (x, y)) in zip(a.items, b.items).enumerated() {
                if let found = difference(x, y, at: "\(path)[\(index)]") { return found }
            }
            return a.range == b.range ? nil : "\(path): range \(a.range) vs \(b.range)"
        default:
            return left == right ? nil : "\(path): \(left) vs \(right)"
        }
    }

    /// Every spec of the repository, cut at every app, at every other and into two; each spec of
    /// two apps or more that reads without a problem is cut.
    @Test func everyRepositorySpecAtEveryCut() throws {
        let paths = try files(under: "specs", endingWith: ".yaml") + files(under: "Tests/fixtures", endingWith: ".yaml")
        var cutSpecs = 0
        for path in paths {
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8)
            var used = false
            for size in [1, 300, 2_000, text.utf8.count / 2] where Self.check(text, size: size) { used = true }
            let (root, diagnostics) = Self.single(Array(text.utf8))
            if diagnostics.isEmpty, case .mapping(let top) = root,
                case .mapping(let apps) = top.entries.first(where: { $0.key.text == "apps" })?.value,
                apps.entries.count >= 2
            {
                #expect(used, "\(path) has \(apps.entries.count) apps and is not cut")
            }
            if used { cutSpecs += 1 }
        }
        #expect(cutSpecs >= 10)
    }

    static let head = """
        apiVersion: keyway.dev/v1alpha1
        kind: Environment
        metadata:
          name: pieces
        apps:

        """

    /// Apps whose lines begin with the apps' indentation, around a `body` written after the first.
    static func apps(_ body: String, indent: String = "  ", tail: String = "") -> String {
        head + "\(indent)one:\n\(indent)  namespace: a\n" + body + "\(indent)three:\n\(indent)  namespace: c\n" + tail
    }

    /// Texts whose cut must not change what is read: each either cut and read alike, or not cut.
    @Test(arguments: [
        apps("  two:\n    note: \"runs over\n  four: the cut\"\n"),
        apps("  two:\n    note: 'runs over\n  four: the cut'\n"),
        apps("  two: {a: 1,\n  four: 2}\n"),
        apps("  two: [a,\n  four]\n"),
        apps("  two:\n    note: |\n      text\n\n      more\n    after: 1\n"),
        apps("  two:\n    note: >-\n      folded\n      text\n"),
        apps("  two:\n    note: plain\n      continued\n"),
        apps("  two: |\n   block as the app\n"),
        apps("  two:\n    a: |+\n      kept\n\n\n"),
        apps("  two:\n    a: >2\n       indented\n"),
        apps("  two:\n    a:\n    - x\n    - y: [z]\n"),
        apps("  two:\n    a:\n      - b:\n          c: |\n            deep\n"),
        apps("# a comment at the margin\n  two:\n    a: 1\n  # indented comment\n"),
        apps("  two:\n    a: 1\n", tail: "defaults:\n  labels: {a: b}\n"),
        apps("  two:\n    a: 1\n", tail: "apps:\n  five: {}\n"),
        apps("  two:\n    a: 1\n", tail: "metadata:\n  name: again\n"),
        apps("  one:\n    a: 1\n"),
        apps("  two:\n    a: 1\n", tail: "---\nsecond: document\n"),
        apps("  two:\n    a: 1\n", tail: "...\n"),
        apps("  two:\n    a: &anchor 1\n  four:\n    b: *anchor\n"),
        apps("  two:\n\ta: 1\n"),
        apps("  two:\n    a: 1\r\n"),
        apps("  two:\n    a: \"\u{85}\"\n  four: {}\n"),
        apps("  two:\n    a: x\u{2028}  five: y\n"),
        apps("  two:\n   a: 1\n"),
        apps("  two:\n a: 1\n"),
        apps("  \"two\":\n    a: 1\n"),
        apps("  two:\n    a: 1\n", indent: "    "),
        apps("  two:\n    a: 1\n  two:\n    b: 2\n"),
        apps("  two:\n    a: {b: [c, {d: e}]}\n  four: null\n  five: ~\n  six: [x]\n"),
        apps("  two:\n    a: 1\n", tail: "zzz: 1"),
        apps("  two:\n    a: 1"),
        apps("  two:\n    ? complex\n    : key\n"),
        apps("  two: !tag x\n"),
        apps("  two:\n    <<: {a: 1}\n"),
        apps("  two:\n    a: 1\n", tail: "\u{FEFF}zz: 1\n"),
        apps("  2two:\n    a: 1\n  -x: 1\n"),
        apps("  two:\n"),
        apps("  two:\n    a:\n"),
        apps("  two:\n    a:\n    -\n"),
        apps("  two:\n    - \n"),
        apps("  two:\n    a: {}\n  four: []\n  five: ''\n  six:\n\n# end\n"),
    ])
    func cutsThatMustNotChangeTheTree(text: String) {
        for size in [1, 10, 60] { Self.check(text, size: size) }
    }

    /// The plain cases are cut: the property above is not met by never cutting.
    @Test func plainAppsAreCut() {
        #expect(Self.check(Self.apps("  two:\n    a: 1\n"), size: 1))
        #expect(Self.check(Self.apps("  two:\n    a: 1\n", tail: "defaults:\n  labels: {a: b}\n"), size: 1))
        #expect(Self.check(Self.apps("# c\n    two:\n      a: [1,\n        2]\n", indent: "    "), size: 1))
        // Empty values at the end of a piece: libyaml places them where the whole file does.
        #expect(Self.check(Self.apps("  two:\n"), size: 1))
        #expect(Self.check(Self.apps("  two:\n    a:\n    -\n"), size: 1))
        #expect(Self.check(Self.apps("  two: |\n   block\n  four:\n    - |+\n      kept\n\n"), size: 1))
    }

    /// The depth limit counts the levels above a piece's apps.
    @Test func depthLimitCountsTheLevelsAbovePieces() {
        var limits = ParseLimits()
        limits.maxDepth = 4
        // root, apps, app, a, b: five levels.
        let deep = Self.apps("  two:\n    a:\n      b: {c: 1}\n")
        #expect(!Self.check(deep, size: 1, limits: limits))
        limits.maxDepth = 5
        #expect(Self.check(deep, size: 1, limits: limits))
    }

    /// Places in a piece are the places in the file: a problem found after the pieces (here a
    /// duplicate app across two pieces) is reported where one reading reports it.
    @Test func diagnosticsAreTheSingleReadings() {
        let text = Array(Self.apps("  two:\n    a: 1\n  one:\n    b: 2\n").utf8)
        var diagnostics = DiagnosticCollector()
        _ = SpecParser.parse(
            text, limits: ParseLimits(), into: &diagnostics, pieces: SpecPieces.Layout(key: "apps", pieceBytes: 1))
        #expect(diagnostics.sorted.map(described) == Self.single(text).1.map(described))
        #expect(diagnostics.sorted.map(\.code) == [.duplicateKey])
    }
}
