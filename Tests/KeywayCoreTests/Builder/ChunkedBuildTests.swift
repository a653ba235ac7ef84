import Testing

@testable import KeywayCore

/// The apps are read in chunks on both cores (`ModelBuilder.inChunks`), each chunk on a collector of
/// its own: joined, the diagnostics and sites are those of reading the apps one after another.
@Suite("Chunked build")
struct ChunkedBuildTests {
    static let head = """
        apiVersion: keyway.dev/v1alpha1
        kind: Environment
        metadata: {name: chunks}
        vault:
          server: https://vault.example.com
          kv: {mount: kv, version: 1}
          auth:
            kubernetes:
              role: eso
              serviceAccountRef: {name: eso, namespace: eso}

        """

    /// A diagnostic of a sequence: repeats (the same index) are the same code, place and message.
    static func report(_ index: Int, into collector: inout DiagnosticCollector) {
        let range = SourceRange(start: .init(line: index, column: 1), end: .init(line: index, column: 2))
        collector.report(index % 3 == 0 ? .fastRefresh : .invalidValue, "d\(index)", at: range)
    }

    /// One collector, against the same reports cut into three collectors joined in order: the kept
    /// diagnostics, their order, the counts left out and the repeats dropped are the same, wherever
    /// the cuts fall (repeats across cuts, before and beyond the limit, included).
    @Test(arguments: [(1, 2), (40, 300), (250, 260), (599, 600)])
    func joinedCollectorsCountAsOne(cuts: (Int, Int)) {
        // 700 reports of 450 distinct diagnostics: every index from 0, then repeats of earlier ones.
        let sequence = (0..<450).map { $0 } + (0..<250).map { ($0 * 7) % 450 }
        var whole = DiagnosticCollector()
        for index in sequence { Self.report(index, into: &whole) }
        var parts = [DiagnosticCollector(), DiagnosticCollector(), DiagnosticCollector()]
        for (position, index) in sequence.enumerated() {
            Self.report(index, into: &parts[position < cuts.0 ? 0 : position < cuts.1 ? 1 : 2])
        }
        var joined = parts[0]
        joined.append(contentsOf: parts[1])
        joined.append(contentsOf: parts[2])
        #expect(joined.sorted == whole.sorted)
        #expect(joined.omitted == whole.omitted)
        #expect(joined.errorCount == whole.errorCount)
        #expect(whole.omitted.errors == 300 - DiagnosticCollector.shownLimit)
    }

    /// A repeated error counts as reported, so a reading's result does not depend on what an
    /// earlier app reported.
    @Test func aRepeatedErrorCountsAsReported() {
        var collector = DiagnosticCollector()
        collector.report(.invalidValue, "same", at: .fileStart)
        let mark = collector.errorCount
        collector.report(.invalidValue, "same", at: .fileStart)
        #expect(collector.errorCount == mark + 1)
        #expect(collector.diagnostics.count == 1)
    }

    /// Many more apps than one chunk, each with a warning and a KV v2 use, the `defaults.patch` with
    /// an error: the warnings come in source order, the patch's error once, every KV v2 use is
    /// reported, and each namespace's place is its first app's.
    @Test func appsInManyChunksReportAsReadInOrder() throws {
        let chunk = ModelBuilder.appChunkSize
        let count = 3 * chunk + 5
        // The first chunk's apps are all in ns0: the other namespaces are first written in the second.
        let namespace = { (index: Int) in index < chunk ? 0 : index % 7 }
        let apps = (0..<count).map { index in
            """
              app\(index):
                namespace: ns\(namespace(index))
                containers:
                  main: {image: 'busybox:1.36'}
                secrets:
                  s.\(index): {extract: {key: p/\(index), version: 3}}

            """
        }
        let defaults = "defaults:\n  patch:\n    spec:\n      template:\n        spec: {nope: 1}\n"
        let result = Compiler.compile(bytes(Self.head + defaults + "apps:\n" + apps.joined()))
        let unknown = result.diagnostics.filter { $0.code == .patchUnknownField }
        #expect(unknown.count == 1)
        let regexes = result.diagnostics.filter { $0.code == .reloaderRegex }
        #expect(regexes.count == DiagnosticCollector.shownLimit)
        #expect(regexes.map(\.message) == (0..<regexes.count).map { Self.regexMessage($0) })
        let versions = result.diagnostics.filter { $0.code == .needsKVv2 }
        #expect(versions.count == DiagnosticCollector.shownLimit - 1)
        // Errors: the patch's and one KV v2 use an app; warnings: one an app.
        let note = try #require(result.diagnostics.last)
        let limit = DiagnosticCollector.shownLimit
        #expect(note.message.hasPrefix("\(count + 1 - limit) more errors and \(count - limit) more warnings"))
        // The head's 10 lines, the defaults' 5, `apps:`, then 6 lines an app, `namespace` its second.
        for written in 0..<7 {
            let first = try #require((0..<count).first { namespace($0) == written })
            #expect(result.objectSites.namespaces["ns\(written)"]?.start.line == 17 + 6 * first + 1)
        }
    }

    static func regexMessage(_ index: Int) -> String {
        "Reloader reads Secret name 's.\(index)' as a regular expression, where '.' matches any character"
    }
}

/// The exact policy is gathered in chunks of apps on both cores (`PolicyRules.rules`): merged, the
/// rules and their order are those of granting each app's secrets in turn.
@Suite("Chunked policy")
struct ChunkedPolicyTests {
    @Test func chunkedRulesAreTheRulesInTurn() throws {
        // Apps past three chunks, reading shared and own paths (whole secrets, keys, finds) on KV v1,
        // where a find's folder is read and listed at one path: the same path comes back in later
        // chunks with other capabilities.
        var apps = ""
        for index in 0..<(PolicyRules.appChunkSize * 3 + 7) {
            let shared = "shared/s\(index % 5)"
            let source =
                switch index % 4 {
                case 0: "extract: \(shared)"
                case 1: "keys: {k: \(shared)#p}"
                case 2: "find: {path: shared, name: '^s'}"
                default: "extract: own/a\(index)"
                }
            apps += "  a\(index):\n    namespace: team\n    secrets:\n      s\(index): {\(source)}\n"
        }
        let text = ChunkedBuildTests.head + "apps:\n" + apps
        let result = Compiler.compile(bytes(text))
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.message).prefix(3))")
        let environment = try #require(result.environment)
        let model = environment.model
        var expected: [PolicyRule] = []
        var position: [String: Int] = [:]
        for app in model.apps {
            for rule in PolicyRules.rules(for: [app], vault: model.vault) {
                guard let at = position[rule.path] else {
                    position[rule.path] = expected.count
                    expected.append(rule)
                    continue
                }
                let merged = Set(expected[at].capabilities).union(rule.capabilities)
                expected[at].capabilities = VaultCapability.allCases.filter(merged.contains)
            }
        }
        #expect(PolicyRules.rules(for: model.apps, vault: model.vault) == expected)
        #expect(expected.contains { $0.capabilities.count > 1 })
    }
}
