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

    @Test func streamOrderAndRenewalSchedule() throws {
        let environment = try compiled(spec())
        #expect(environment.objects.map(\.kind) == ["ClusterSecretStore", "ExternalSecret", "Deployment", "CronJob"])
        #expect(ModelBuilder.renewalSchedule(forPeriod: 86_400) == "0 */6 * * *")
        #expect(ModelBuilder.renewalSchedule(forPeriod: 3_600) == "*/15 * * * *")
        #expect(ModelBuilder.renewalSchedule(forPeriod: 30 * 86_400) == "0 0 * * *")
    }

    @Test func scriptNeverPutsTheTokenOnACommandLine() throws {
        let script = ShellRenderer.render(try compiled(spec()).bootstrap)
        #expect(script.contains("token=$(vault token create -orphan -policy=keyway-test -period=24h"))
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

@Suite("Goldens")
struct GoldenTests {
    /// `golden/<name>/` is exactly what `compile specs/<file> --out golden` writes.
    /// With KEYWAY_REGENERATE=1 the goldens are rewritten and the test fails, so a regeneration
    /// is never mistaken for a pass.
    @Test func goldensMatch() throws {
        let specs = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("specs").path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(specs.count >= 3)
        let regenerate = ProcessInfo.processInfo.environment["KEYWAY_REGENERATE"] == "1"
        var names = Set<String>()
        for file in specs {
            let text = try Data(contentsOf: repositoryRoot.appendingPathComponent("specs/\(file)"))
            let result = Compiler.compile(Array(text))
            let rendered = try #require(result.rendered, "specs/\(file) does not compile")
            names.insert(rendered.name)
            let folder = repositoryRoot.appendingPathComponent("golden/\(rendered.name)")
            if regenerate {
                try? FileManager.default.removeItem(at: folder)
                for file in rendered.files {
                    let url = folder.appendingPathComponent(file.path)
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(file.contents.utf8).write(to: url)
                    if file.isExecutable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path) }
                }
                Issue.record("regenerated golden/\(rendered.name): review the diff and run the tests again")
                continue
            }
            var actual: [String: (contents: String, isExecutable: Bool)] = [:]
            if let enumerator = FileManager.default.enumerator(atPath: folder.path) {
                for case let path as String in enumerator {
                    var isDirectory: ObjCBool = false
                    let full = folder.appendingPathComponent(path).path
                    guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                    actual[path] = (try String(contentsOfFile: full, encoding: .utf8), FileManager.default.isExecutableFile(atPath: full))
                }
            }
            let drift = Drift.compare(expected: rendered.files, actual: actual, folder: "golden/\(rendered.name)")
            #expect(drift.isEmpty, "golden/\(rendered.name) differs from specs/\(file) (regenerate: scripts/regenerate-goldens.sh):\n\(drift.changes)")
        }
        let folders = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("golden").path)
        #expect(Set(folders) == names, "golden/ holds folders no spec compiles to")
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
}
