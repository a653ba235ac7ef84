import Foundation
import Testing

@testable import KeywayCore

@Suite("Lowering")
struct LoweringTests {
    @Test func reloadAnnotationNamesExactlyTheTargetsSorted() throws {
        let apps = """
              web:
                namespace: dev
                containers:
                  app:
                    image: alpine:3.20
                secrets:
                  zeta:
                    extract: dev/z
                  alpha:
                    target: alpha-secret
                    extract: dev/a
            """
        let environment = try compiled(spec(apps: apps))
        let deployment = try #require(environment.objects.first { $0.kind == "Deployment" })
        let metadata = try #require(deployment.document["metadata"]?.mapValue)
        #expect(metadata["annotations"] == .stringMap([("secret.reloader.stakater.com/reload", "alpha-secret,zeta")]))
    }

    @Test func reloadAutoIsWrittenEvenWithoutSecretsOfItsOwn() throws {
        let apps = """
              web:
                namespace: dev
                reload: auto
                containers:
                  app:
                    image: alpine:3.20
                patch:
                  spec:
                    template:
                      spec:
                        containers:
                          - name: app
                            env:
                              - name: TOKEN
                                valueFrom: {secretKeyRef: {name: shared, key: token}}
            """
        let environment = try compiled(spec(apps: apps))
        let deployment = try #require(environment.objects.first { $0.kind == "Deployment" })
        let metadata = try #require(deployment.document["metadata"]?.mapValue)
        #expect(metadata["annotations"] == .stringMap([("secret.reloader.stakater.com/auto", "true")]))
    }

    @Test func reloadNamedWithoutSecretsWritesNoAnnotation() throws {
        let apps = """
              web:
                namespace: dev
                containers:
                  app:
                    image: alpine:3.20
            """
        let environment = try compiled(spec(apps: apps))
        let deployment = try #require(environment.objects.first { $0.kind == "Deployment" })
        #expect(deployment.document["metadata"]?.mapValue?["annotations"] == nil)
    }

    @Test func streamOrderAndRenewalSchedule() throws {
        let environment = try compiled(spec())
        #expect(environment.objects.map(\.kind) == ["ClusterSecretStore", "ExternalSecret", "Deployment", "CronJob"])
        #expect(SpecDefaults.renewalSchedule(forPeriod: 86_400) == "0 */6 * * *")
        #expect(SpecDefaults.renewalSchedule(forPeriod: 3_600) == "*/15 * * * *")
        #expect(SpecDefaults.renewalSchedule(forPeriod: 30 * 86_400) == "0 0 * * *")
    }

    @Test func scriptNeverPutsTheTokenOnACommandLine() throws {
        let script = ShellRenderer.render(try compiled(spec()).bootstrap)
        #expect(
            script.contains("token=$(vault token create -orphan -no-default-policy -policy=keyway-test -period=24h"))
        #expect(script.contains("-field=token)"))
        #expect(script.contains("printf %s \"${token}\" \\\n  | kubectl create secret generic vault-token"))
        #expect(script.contains("--from-file=token=/dev/stdin --dry-run=client -o yaml"))
        #expect(!script.contains("--from-literal"))
        #expect(script.hasPrefix("#!/bin/sh\n"))
        #expect(script.contains("\nset -eu\n"))
    }

    @Test func sameInputSameBytes() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("specs/staging.yaml"), encoding: .utf8)
        let first = Compiler.compile(bytes(text)).rendered
        let second = Compiler.compile(bytes(text)).rendered
        #expect(first != nil && first == second)
    }
}

@Suite("Drift")
struct DriftTests {
    @Test func unifiedDiff() {
        let diff = UnifiedDiff.make(old: "a\nb\nc\n", new: "a\nB\nc\n", oldName: "a/x", newName: "b/x", maxLines: 50)
        #expect(diff == "--- a/x\n+++ b/x\n@@ -1,4 +1,4 @@\n a\n-b\n+B\n c\n ")
    }

    @Test func missingExtraStale() {
        let drift = Drift.compare(
            expected: [RenderedFile(path: "a", contents: "1"), RenderedFile(path: "b", contents: "2")],
            actual: ["a": ("1", false), "c": ("3", false)],
            folder: "f"
        )
        #expect(drift.changes == [.missing(path: "b"), .extra(path: "c")])
    }

    /// Diffs are built for the changes shown only; the rest are counted with an empty diff.
    @Test func diffsOnlyForTheChangesShown() {
        let expected = (0..<5).map { RenderedFile(path: "f\($0)", contents: "new\n") }
        let found = Dictionary(
            uniqueKeysWithValues: (0..<5).map { ("f\($0)", FoundEntry.file(contents: "old\n", isExecutable: false)) })
        let drift = Drift.compare(expected: expected, found: found, folder: "d", shownChanges: 2)
        let diffs = drift.changes.map { change -> String? in
            guard case .stale(_, let diff) = change else { return nil }
            return diff
        }
        #expect(diffs.count == 5)
        #expect(diffs.prefix(2).allSatisfy { $0?.contains("-old") == true && $0?.contains("+new") == true })
        #expect(diffs.suffix(3).allSatisfy { $0 == "" })
    }
}
