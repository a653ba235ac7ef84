import Foundation
import Testing

@testable import KeywayCore

/// What keeps any spec's cost bounded: the diagnostics kept, the did-you-mean work, the help lists,
/// the wiring of secrets into containers. (`Tests/verify/test_hostile_specs.py` times whole specs.)
@Suite("Bounds")
struct BoundsTests {
    static let head = """
        apiVersion: keyway.dev/v1alpha1
        kind: Environment
        metadata: {name: bounds}
        vault:
          server: https://vault.example.com
          kv: {mount: kv}
          auth:
            kubernetes:
              role: eso
              serviceAccountRef: {name: eso, namespace: eso}
        apps:
          a:
            namespace: ns
            containers:
              app: {image: 'busybox:1.36'}

        """

    /// Thousands of errors: 100 kept, in source order, then one KW005 note with the count of the rest.
    @Test func diagnosticsAreCappedWithACount() {
        let uses = (0..<3000).map { "      s\($0): {use: nope\($0)}\n" }.joined()
        let diagnostics = Compiler.compile(bytes(Self.head + "    secrets:\n" + uses)).diagnostics
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(errors.count == DiagnosticCollector.shownLimit)
        #expect(errors.first?.message.contains("'nope0'") == true)
        let note = diagnostics.last
        #expect(note?.code == .diagnosticsOmitted)
        #expect(note?.severity == .note)
        #expect(note?.message.hasPrefix("2900 more errors not shown") == true, "\(note?.message ?? "")")
    }

    /// Errors are never lost behind warnings: the first error is kept after any number of warnings.
    @Test func anErrorAfterManyWarningsIsKept() {
        var collector = DiagnosticCollector()
        for line in 1...500 {
            collector.report(
                .fastRefresh, "w\(line)",
                at: SourceRange(start: .init(line: line, column: 1), end: .init(line: line, column: 2)))
        }
        collector.report(.invalidValue, "the error", at: .fileStart)
        collector.report(
            .fastRefresh, "w1", at: SourceRange(start: .init(line: 1, column: 1), end: .init(line: 1, column: 2)))
        #expect(collector.hasErrors)
        #expect(collector.diagnostics.contains { $0.message == "the error" })
        #expect(collector.omitted.warnings == 400)
        #expect(collector.sorted.last?.message.hasPrefix("400 more warnings not shown") == true)
    }

    /// The help of a dropped diagnostic is never built.
    @Test func helpIsBuiltOnlyForKeptDiagnostics() {
        var collector = DiagnosticCollector()
        var built = 0
        func help() -> String {
            built += 1
            return "h"
        }
        for line in 1...300 {
            collector.report(
                .invalidValue, "e\(line)",
                at: SourceRange(start: .init(line: line, column: 1), end: .init(line: line, column: 1)), help: help())
        }
        #expect(built == DiagnosticCollector.shownLimit)
    }

    /// One did-you-mean: the closest name within a few edits, none for a far or huge word.
    @Test func didYouMeanIsBounded() {
        #expect(
            Syntax.didYouMean("refreshIntervl", among: ["refreshInterval", "target"])
                == "did you mean 'refreshInterval'?")
        #expect(Syntax.didYouMean("xyz", among: ["refreshInterval"]) == nil)
        #expect(Syntax.didYouMean(String(repeating: "a", count: 100_000), among: ["a"]) == nil)
        // Candidates of a far length are not compared; a near one among many is found.
        let many = (0..<100_000).map { "name-\($0)" } + ["target"]
        #expect(
            Syntax.didYouMean("targt", among: many.filter { $0.count > 8 } + ["target"]) == "did you mean 'target'?")
        #expect(Syntax.quotedNames((0..<25).map { "k\($0)" }).hasSuffix("'k9' and 15 more"))
    }

    /// Every secret given to every container of a big app: refused (KW003) before any output is built.
    @Test func wiringIsLimited() {
        let containers = (0..<600).map { "      c\($0): {image: 'busybox:1.36'}\n" }.joined()
        let secrets = (0..<600).map { "      s\($0): {extract: dev/s\($0)}\n" }.joined()
        let text =
            Self.head.replacingOccurrences(of: "      app: {image: 'busybox:1.36'}\n", with: containers)
            + "    secrets:\n" + secrets
        let found = markedDiagnostics(text.replacingOccurrences(of: "\n  a:\n", with: "\n  ⟨KW003⟩a:\n"))
        #expect(found.count == 1)
        #expect(
            found.first?.hasPrefix("KW003 the secrets of the apps up to 'a' add 360000 entries") == true,
            "\(found)")
    }

    /// A patch naming one container twice is refused, at the second entry.
    @Test func aContainerPatchedTwiceIsAnError() {
        let patch = """
                patch:
                  spec:
                    template:
                      spec:
                        containers:
                          - {name: app, env: [{name: A, value: "1"}]}
                          - {name: app, env: [{name: B, value: "2"}]}

            """
        #expect(errors(Self.head + patch).contains { $0.hasPrefix("KW172 ") && $0.contains("'app' twice") })
    }
}
