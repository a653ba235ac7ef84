import Foundation
import Testing

@testable import KeywayCore

@Suite("compile CLI: hostile input and output trees", .serialized)
struct CLISecurityTests {
    /// A rendered folder and a secret file outside it.
    func renderedWithSecret() throws -> (out: String, secret: String) {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("out").path
        let secret = dir.appendingPathComponent("secret").path
        try "CI_JOB_TOKEN=glpat-s3cr3t\n".write(toFile: secret, atomically: true, encoding: .utf8)
        #expect(try runCompile(["specs/dev.yaml", "--out", out]).status == 0)
        return (out, secret)
    }

    @Test func checkReportsALinkedFileWithoutReadingIt() throws {
        let (out, secret) = try renderedWithSecret()
        let policy = "\(out)/dev/vault/external-secrets-access.hcl"
        try FileManager.default.removeItem(atPath: policy)
        try FileManager.default.createSymbolicLink(atPath: policy, withDestinationPath: secret)
        try FileManager.default.createSymbolicLink(atPath: "\(out)/dev/extra.yaml", withDestinationPath: secret)
        let run = try runCompile(["specs/dev.yaml", "--out", out, "--check"])
        #expect(run.status == 1)
        #expect(run.err.contains("\(policy): error: is a symbolic link, expected a file\n"))
        #expect(run.err.contains("\(out)/dev/extra.yaml: error: extra: a symbolic link the spec does not compile to\n"))
        #expect(!run.err.contains("s3cr3t"))
    }

    @Test func checkNeverFollowsALinkedFolder() throws {
        let (out, secret) = try renderedWithSecret()
        let outside = URL(fileURLWithPath: secret).deletingLastPathComponent().appendingPathComponent("outside").path
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: secret, toPath: "\(outside)/external-secrets-access.hcl")
        try FileManager.default.removeItem(atPath: "\(out)/dev/vault")
        try FileManager.default.createSymbolicLink(atPath: "\(out)/dev/vault", withDestinationPath: outside)
        var run = try runCompile(["specs/dev.yaml", "--out", out, "--check"])
        #expect(run.status == 1)
        #expect(run.err.contains("\(out)/dev/vault: error: extra: a symbolic link the spec does not compile to\n"))
        #expect(run.err.contains("\(out)/dev/vault/external-secrets-access.hcl: error: missing"))
        #expect(!run.err.contains("s3cr3t"))
        // DIR/<name> itself a link to a copy of the tree: a difference, never read.
        let copy = "\(outside)/copy"
        #expect(try runCompile(["specs/dev.yaml", "--out", copy]).status == 0)
        try FileManager.default.removeItem(atPath: "\(out)/dev")
        try FileManager.default.createSymbolicLink(atPath: "\(out)/dev", withDestinationPath: "\(copy)/dev")
        run = try runCompile(["specs/dev.yaml", "--out", out, "--check"])
        #expect(run.status == 1)
        #expect(run.err.contains("\(out)/dev: error: is a symbolic link, expected a folder\n"))
    }

    @Test func writerReplacesLinksWithoutFollowingThem() throws {
        let (out, secret) = try renderedWithSecret()
        let script = "\(out)/dev/vault/bootstrap.sh"
        try FileManager.default.removeItem(atPath: script)
        try FileManager.default.createSymbolicLink(atPath: script, withDestinationPath: "/dev/zero")
        try FileManager.default.createSymbolicLink(atPath: "\(out)/dev/vault/extra.hcl", withDestinationPath: secret)
        let run = try runCompile(["specs/dev.yaml", "--out", out, "--fail-on-change"], timeout: 20)
        #expect(run.status == 1)
        #expect(run.err.contains("\(out)/dev: error: rewritten: it was out of date\n"))
        #expect(try String(contentsOfFile: secret, encoding: .utf8) == "CI_JOB_TOKEN=glpat-s3cr3t\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: script)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        #expect(try runCompile(["specs/dev.yaml", "--out", out, "--check"]).status == 0)
    }

    @Test func inputIsBoundedBeforeItIsRead() throws {
        let zero = try runCompile(["/dev/zero"], timeout: 20)
        #expect(zero.status == 1)
        #expect(zero.err.hasPrefix("/dev/zero: error: spec is more than the limit of 16777216 bytes\n"))
        let sparse = try temporaryDirectory().appendingPathComponent("sparse.yaml").path
        #expect(FileManager.default.createFile(atPath: sparse, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: sparse))
        try handle.truncate(atOffset: 2 << 30)
        try handle.close()
        let big = try runCompile([sparse, "--diagnostics", "json"], timeout: 20)
        #expect(big.status == 1)
        #expect(big.out.isEmpty)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(big.err.utf8)) as? [String: Any])
        #expect(object["file"] as? String == sparse)
        #expect(object["code"] as? String == "KW003")
        #expect(object["message"] as? String == "spec is 2147483648 bytes, more than the limit of 16777216")
    }

    @Test func everyMessageHonoursJSON() throws {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("out").path
        let runs = [
            try runCompile(["specs/missing.yaml", "--diagnostics", "json"]),
            try runCompile(["specs/dev.yaml", "--diagnostics", "json", "--warnings-as-errors"]),
            try runCompile(["specs/dev.yaml", "--out", out, "--check", "--diagnostics", "json"]),
        ]
        for run in runs {
            #expect(run.status == 1)
            #expect(run.out.isEmpty)
            for line in run.err.split(separator: "\n") {
                #expect(
                    (try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "not JSON: \(line)")
            }
        }
        #expect(runs[0].err.contains(#""file":"specs/missing.yaml""#))
        #expect(runs[1].err.contains(#""message":"warnings are errors (--warnings-as-errors)""#))
        #expect(runs[2].err.contains(#""message":"missing: the spec compiles to a file that is not there""#))
    }

    @Test func subcommandFormAndModeFlags() throws {
        let plain = try runCompile(["specs/dev.yaml"])
        let explicit = try runCompile(["build", "specs/dev.yaml"])
        #expect(plain.status == 0 && explicit.status == 0 && plain.out == explicit.out)
        #expect(try runCompile(["specs/dev.yaml", "--out", "x", "--check", "--fail-on-change"]).status == 64)
        #expect(try runCompile(["specs/dev.yaml", "--fail-on-change"]).status == 64)
        let out = try temporaryDirectory().appendingPathComponent("out").path
        #expect(try runCompile(["specs/dev.yaml", "specs/staging.yaml", "--out", out, "--write"]).status == 0)
        #expect(try runCompile(["specs/dev.yaml", "specs/staging.yaml", "--out", out, "--check"]).status == 0)
    }
}

@Suite("Cross-spec checks and long lines")
struct CrossSpecTests {
    @Test func compileSpecsReportsADuplicateNameAtTheLaterSpec() throws {
        let text = bytes(spec())
        let results = Compiler.compile(specs: [
            SpecInput(name: "a.yaml", text: text), SpecInput(name: "b.yaml", text: text),
        ])
        #expect(results.count == 2)
        #expect(results[0].environment != nil)
        #expect(results[1].environment == nil)
        let diagnostic = try #require(results[1].diagnostics.first { $0.code == .duplicateEnvironment })
        #expect(diagnostic.message == "environment 'test' is also defined in 'a.yaml'")
        #expect(diagnostic.notes.first?.file == "a.yaml")
        let rendered = DiagnosticRenderer(fileName: "b.yaml", source: text, colored: false).render(diagnostic)
        #expect(rendered.contains("= note: a.yaml:4:9: 'test' is first defined here\n"))
    }

    @Test func aLongLineIsClippedAroundTheSpanWithTheCaretAligned() throws {
        let key = "misspelt"
        let line =
            "{apiVersion: keyway.dev/v1alpha1, list: [" + String(repeating: "1, ", count: 200_000) + "1], \(key): 1}"
        let column = Array(line.unicodeScalars).count - key.count - 4 + 1
        let diagnostic = Diagnostic(
            .unknownKey,
            "unknown key",
            at: SourceRange(
                start: SourceLocation(line: 1, column: column), end: SourceLocation(line: 1, column: column + key.count)
            )
        )
        let text = DiagnosticRenderer(fileName: "x.yaml", source: bytes(line + "\n"), colored: false).render(diagnostic)
        #expect(text.utf8.count < 600)
        let lines = text.split(separator: "\n").map(String.init)
        let quoted = try #require(lines.first { $0.hasPrefix("1 | ") })
        let carets = try #require(lines.last { $0.contains("^") })
        #expect(quoted.hasPrefix("1 | …"))
        #expect(quoted.unicodeScalars.count <= 4 + 2 + DiagnosticRenderer.snippetWidth)
        let caretOffset = try #require(carets.firstIndex(of: "^")).utf16Offset(in: carets)
        let keyOffset = try #require(quoted.range(of: key + ":")).lowerBound.utf16Offset(in: quoted)
        // The quoted line's `…` is one column but three UTF-8/one UTF-16 unit: compare in scalars.
        #expect(Array(carets.unicodeScalars).firstIndex(of: "^") == Array(quoted.unicodeScalars).firstIndex(of: "m"))
        #expect(caretOffset == keyOffset)
        #expect(carets.filter { $0 == "^" }.count == key.count)
    }
}
