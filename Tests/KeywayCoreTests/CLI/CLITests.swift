import Foundation
import Testing

@Suite("compile CLI", .serialized)
struct CLITests {
    @Test func printsTheStreamAndExitsZero() throws {
        let run = try runCompile(["specs/dev.yaml"])
        #expect(run.status == 0)
        #expect(run.out.hasPrefix("---\napiVersion: external-secrets.io/v1beta1\nkind: ClusterSecretStore\n"))
        #expect(run.err.contains("2 warnings"))
    }

    @Test func invalidSpecGetsLocatedErrorExitOneAndNothingOnStdout() throws {
        let dir = try temporaryDirectory()
        let bad = dir.appendingPathComponent("bad.yaml")
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("specs/dev.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "        refreshInterval: 1m", with: "        refreshIntervl: 1m")
        try text.write(to: bad, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let run = try runCompile([bad.path, "--out", out.path])
        #expect(run.status == 1)
        #expect(run.out.isEmpty)
        #expect(
            run.err.contains(
                "\(bad.path):41:9: error: unknown key 'refreshIntervl' in secret 'minha-api-secret' [KW010]\n"))
        #expect(
            run.err.contains(
                "41 |         refreshIntervl: 1m\n   |         ^^^^^^^^^^^^^^\n   = help: did you mean 'refreshInterval'?"
            ))
        #expect(run.err.hasSuffix("1 error, 2 warnings\n"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func jsonDiagnostics() throws {
        let run = try runCompile(["specs/dev.yaml", "--diagnostics", "json"])
        let first = try #require(run.err.split(separator: "\n").first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        #expect(object["code"] as? String == "KW040")
        #expect(object["line"] as? Int == 14)
        #expect(object["severity"] as? String == "warning")
    }

    @Test func warningsAsErrors() throws {
        let run = try runCompile(["specs/dev.yaml", "--warnings-as-errors"])
        #expect(run.status == 1)
        #expect(run.out.isEmpty)
    }

    @Test func usageErrorsExit64() throws {
        #expect(try runCompile(["specs/dev.yaml", "--check"]).status == 64)
        #expect(try runCompile(["specs/missing.yaml"]).status == 1)
    }

    @Test func outIsAtomicAndCheckFindsDrift() throws {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("out").path
        #expect(try runCompile(["specs/dev.yaml", "specs/staging.yaml", "--out", out]).status == 0)
        #expect(try runCompile(["specs/dev.yaml", "specs/staging.yaml", "--out", out, "--check"]).status == 0)
        let policy = "\(out)/dev/vault/external-secrets-access.hcl"
        let original = try String(contentsOfFile: policy, encoding: .utf8)
        // A failed run leaves the folder as it was.
        let bad = dir.appendingPathComponent("bad.yaml")
        try "apiVersion: nope\n".write(to: bad, atomically: true, encoding: .utf8)
        #expect(try runCompile(["specs/dev.yaml", bad.path, "--out", out]).status == 1)
        #expect(try String(contentsOfFile: policy, encoding: .utf8) == original)
        // Stale, extra and missing files are drift.
        try (original + "# edited\n").write(toFile: policy, atomically: true, encoding: .utf8)
        try "x".write(toFile: "\(out)/dev/extra.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: "\(out)/dev/kustomization.yaml")
        let check = try runCompile(["specs/dev.yaml", "--out", out, "--check"])
        #expect(check.status == 1)
        #expect(check.err.contains("\(out)/dev/vault/external-secrets-access.hcl: error: stale"))
        #expect(check.err.contains("-# edited"))
        #expect(check.err.contains("\(out)/dev/extra.yaml: error: extra"))
        #expect(check.err.contains("\(out)/dev/kustomization.yaml: error: missing"))
        // Rewriting with --fail-on-change fixes it and says so; the next run is clean.
        #expect(try runCompile(["specs/dev.yaml", "--out", out, "--fail-on-change"]).status == 1)
        #expect(try runCompile(["specs/dev.yaml", "--out", out, "--fail-on-change"]).status == 0)
        #expect(FileManager.default.isExecutableFile(atPath: "\(out)/dev/vault/bootstrap.sh"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    /// `--out` rewrites only the folders that are not already what their specs compile to: an
    /// up-to-date folder keeps its inode and files (a run on every commit writes nothing), a changed
    /// one is swapped in whole.
    @Test func outLeavesAnUpToDateFolderUntouched() throws {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("out").path
        let staging = dir.appendingPathComponent("staging.yaml")
        try String(contentsOfFile: "specs/staging.yaml", encoding: .utf8).write(
            to: staging, atomically: true, encoding: .utf8)
        #expect(try runCompile(["specs/dev.yaml", staging.path, "--out", out]).status == 0)
        let before = (dev: try inode("\(out)/dev"), staging: try inode("\(out)/staging"))
        #expect(try runCompile(["specs/dev.yaml", staging.path, "--out", out, "--fail-on-change"]).status == 0)
        #expect(try inode("\(out)/dev") == before.dev)
        #expect(try inode("\(out)/staging") == before.staging)
        // A changed spec: its folder alone is swapped, and --fail-on-change says so.
        let edited = try String(contentsOf: staging, encoding: .utf8).replacingOccurrences(
            of: "refreshInterval: 15m", with: "refreshInterval: 20m")
        try #require(edited != (try String(contentsOf: staging, encoding: .utf8)))
        try edited.write(to: staging, atomically: true, encoding: .utf8)
        let rewrite = try runCompile(["specs/dev.yaml", staging.path, "--out", out, "--fail-on-change"])
        #expect(rewrite.status == 1)
        #expect(rewrite.err.contains("\(out)/staging: error: rewritten: it was out of date"))
        #expect(!rewrite.err.contains("\(out)/dev:"))
        #expect(try inode("\(out)/dev") == before.dev)
        #expect(try inode("\(out)/staging") != before.staging)
        #expect(try runCompile(["specs/dev.yaml", staging.path, "--out", out, "--check"]).status == 0)
    }

    /// `--check` over a tree of thousands of stray files counts them all and shows the first 100,
    /// so its stderr stays bounded.
    @Test func checkShowsTheFirstHundredDifferences() throws {
        let out = try temporaryDirectory().appendingPathComponent("out").path
        #expect(try runCompile(["specs/dev.yaml", "--out", out]).status == 0)
        for index in 0..<150 {
            try "x".write(toFile: "\(out)/dev/extra-\(index).yaml", atomically: false, encoding: .utf8)
        }
        let check = try runCompile(["specs/dev.yaml", "--out", out, "--check"])
        #expect(check.status == 1)
        #expect(check.err.components(separatedBy: ": error: extra").count - 1 == 100)
        #expect(check.err.contains("\(out): error: 150 files out of date (the first 100 shown)"))
    }

    private func inode(_ path: String) throws -> UInt64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.systemFileNumber] as? UInt64)
    }

    @Test func duplicateEnvironmentNames() throws {
        let run = try runCompile(["specs/dev.yaml", "specs/dev.yaml"])
        #expect(run.status == 1)
        #expect(
            run.err.contains(
                "specs/dev.yaml:6:9: error: environment 'dev' is also defined in 'specs/dev.yaml' [KW037]\n"))
    }
}
