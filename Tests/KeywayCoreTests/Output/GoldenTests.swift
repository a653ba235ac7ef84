import Foundation
import Testing

@testable import KeywayCore

/// `KEYWAY_REGENERATE=1 swift test` (what `scripts/regenerate-goldens.sh` runs) rewrites every
/// golden these tests compare against and fails the run, so a regeneration is never mistaken for
/// a pass: review `git diff`, then run the tests again.
enum Regeneration {
    static var isOn: Bool { ProcessInfo.processInfo.environment["KEYWAY_REGENERATE"] == "1" }

    /// Writes one golden file and records the failure that says so.
    static func write(_ text: String, to relativePath: String) throws {
        try Data(text.utf8).write(to: repositoryRoot.appendingPathComponent(relativePath))
        Issue.record("KEYWAY_REGENERATE=1 rewrote \(relativePath): review 'git diff', then run the tests again")
    }
}

/// The `.yaml` files of a folder of the repository, sorted.
func specFiles(in folder: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent(folder).path)
        .filter { $0.hasSuffix(".yaml") }.sorted()
}

/// The example specs (`specs/*.yaml`) and the broken ones (`specs/invalid/*.yaml`), the arguments
/// of the golden tests: one test case per spec, so a failure names its spec.
let exampleSpecs = (try? specFiles(in: "specs")) ?? []
let invalidSpecs = (try? specFiles(in: "specs/invalid")) ?? []

@Suite("Goldens", .serialized)
struct GoldenTests {
    @Test func theGoldensHaveSpecs() {
        #expect(exampleSpecs.count >= 3)
        #expect(invalidSpecs.count >= 4)
    }

    /// `golden/<name>/` is exactly what `compile specs/<file> --out golden` writes.
    @Test(arguments: exampleSpecs) func goldenMatches(_ file: String) throws {
        let text = try Data(contentsOf: repositoryRoot.appendingPathComponent("specs/\(file)"))
        let rendered = try #require(Compiler.compile(Array(text)).rendered, "specs/\(file) does not compile")
        let folder = repositoryRoot.appendingPathComponent("golden/\(rendered.name)")
        if Regeneration.isOn {
            try rewrite(folder, with: rendered.files)
            return
        }
        let drift = Drift.compare(
            expected: rendered.files, actual: try filesUnder(folder), folder: "golden/\(rendered.name)")
        #expect(
            drift.isEmpty,
            "golden/\(rendered.name) differs from specs/\(file) (regenerate: scripts/regenerate-goldens.sh):\n\(drift.changes)"
        )
    }

    /// `golden/` holds a folder per example spec and nothing else (a regeneration removes the rest).
    @Test func goldenHoldsOnlyTheSpecsFolders() throws {
        var names = Set<String>()
        for file in exampleSpecs {
            let text = try Data(contentsOf: repositoryRoot.appendingPathComponent("specs/\(file)"))
            if let rendered = Compiler.compile(Array(text)).rendered { names.insert(rendered.name) }
        }
        let folders = Set(
            try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("golden").path))
        if Regeneration.isOn {
            for stale in folders.subtracting(names) {
                try FileManager.default.removeItem(at: repositoryRoot.appendingPathComponent("golden/\(stale)"))
            }
            return
        }
        #expect(folders == names, "golden/ holds folders no spec compiles to")
    }

    /// Each valid `specs/NAME.yaml` prints exactly `specs/NAME.stderr` (its warnings; an empty
    /// file when it has none), exits 0: a new or reworded warning is reviewed like output.
    @Test(arguments: exampleSpecs) func validSpecPrintsItsGoldenStderr(_ spec: String) throws {
        let run = try runCompile(["specs/\(spec)"])
        #expect(run.status == 0, "specs/\(spec): \(run.err)")
        try compareStderr(run.err, golden: "specs/\(spec.dropLast(5)).stderr")
    }

    /// Each `specs/invalid/NAME.yaml` prints exactly `specs/invalid/NAME.stderr`, exits 1 and
    /// prints nothing on stdout.
    @Test(arguments: invalidSpecs) func invalidSpecPrintsItsGoldenStderr(_ spec: String) throws {
        let run = try runCompile(["specs/invalid/\(spec)"])
        #expect(run.status == 1, "\(spec)")
        #expect(run.out.isEmpty, "\(spec)")
        try compareStderr(run.err, golden: "specs/invalid/\(spec.dropLast(5)).stderr")
    }

    /// Every `.stderr` golden belongs to a spec beside it.
    @Test func everyStderrGoldenHasItsSpec() throws {
        for folder in ["specs", "specs/invalid"] {
            let files = try FileManager.default.contentsOfDirectory(
                atPath: repositoryRoot.appendingPathComponent(folder).path)
            for golden in files where golden.hasSuffix(".stderr") {
                #expect(files.contains(golden.dropLast(7) + ".yaml"), "\(folder)/\(golden) has no spec")
            }
        }
    }

    private func compareStderr(_ actual: String, golden: String) throws {
        if Regeneration.isOn {
            try Regeneration.write(actual, to: golden)
            return
        }
        let url = repositoryRoot.appendingPathComponent(golden)
        let expected = try? String(contentsOf: url, encoding: .utf8)
        #expect(expected != nil, "\(golden) is missing (regenerate: scripts/regenerate-goldens.sh)")
        #expect(actual == expected ?? "", "\(golden): stderr differs (regenerate: scripts/regenerate-goldens.sh)")
    }

    private func rewrite(_ folder: URL, with files: [RenderedFile]) throws {
        try? FileManager.default.removeItem(at: folder)
        for file in files {
            let url = folder.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.contents.utf8).write(to: url)
            if file.isExecutable {
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
            }
        }
        Issue.record(
            "KEYWAY_REGENERATE=1 rewrote golden/\(folder.lastPathComponent): review 'git diff', then run the tests again"
        )
    }

    private func filesUnder(_ folder: URL) throws -> [String: (contents: String, isExecutable: Bool)] {
        var actual: [String: (contents: String, isExecutable: Bool)] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return actual }
        for case let path as String in enumerator {
            var isDirectory: ObjCBool = false
            let full = folder.appendingPathComponent(path).path
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue else {
                continue
            }
            actual[path] = (
                try String(contentsOfFile: full, encoding: .utf8), FileManager.default.isExecutableFile(atPath: full)
            )
        }
        return actual
    }
}
