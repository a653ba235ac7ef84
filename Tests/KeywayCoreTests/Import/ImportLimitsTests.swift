import Testing

@testable import KeywayCore

@Suite("Import's diagnostic limits")
struct ImportLimitsTests {
    /// A policy of 500 rules no app reads: 500 warnings.
    ///
    /// As for a spec, the first 100 are shown,
    /// the rest counted in one note (`KW005`) at the end; the error is kept.
    @Test func pastTheLimitTheRestAreCounted() {
        let store = """
            apiVersion: external-secrets.io/v1
            kind: ClusterSecretStore
            metadata: {name: vault}
            spec:
              provider:
                vault:
                  server: https://vault.example.com
                  path: kv
                  version: v2
                  auth:
                    kubernetes:
                      mountPath: kubernetes
                      role: external-secrets
                      serviceAccountRef: {name: external-secrets, namespace: external-secrets}
            ---
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata: {name: s, namespace: ns}
            spec:
              refreshInterval: 1h
              secretStoreRef: {name: vault, kind: ClusterSecretStore}
              target: {name: s}
              dataFrom:
                - extract: {key: dev/s}

            """
        let rules = (0..<500).map { "path \"kv/data/dev/p\($0)/*\" {\n  capabilities = [\"read\", \"list\"]\n}\n" }
        let inputs = [
            ImportFile(name: "in.yaml", text: Array(store.utf8)),
            ImportFile(name: "eso.hcl", text: Array(rules.joined().utf8)),
        ]
        let result = Importer.importFiles(inputs, options: ImportOptions())
        let severities = result.diagnostics.map(\.diagnostic.severity)
        #expect(severities.filter { $0 == .warning }.count == DiagnosticCollector.shownLimit)
        #expect(severities.filter { $0 == .error }.count == 1)
        let note = result.diagnostics.last
        #expect(note?.file == nil)
        #expect(note?.diagnostic.code == .diagnosticsOmitted)
        #expect(note?.diagnostic.message.hasPrefix("401 more warnings not shown") == true)
        #expect(result.diagnostics.dropLast().allSatisfy { $0.diagnostic.code != .diagnosticsOmitted })
    }
}
