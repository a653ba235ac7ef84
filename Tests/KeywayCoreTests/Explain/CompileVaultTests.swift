import Foundation
import Testing

@testable import KeywayCore

/// `Compiler.compileVault`, what `explain` runs: the diagnostics of `Compiler.compile` and the
/// Vault side of its environment, for valid and rejected specs alike.
@Suite("compileVault")
struct CompileVaultTests {
    /// The example specs, the invalid examples and the fixtures at the top of Tests/fixtures.
    static let texts: [(name: String, text: [UInt8])] = {
        let folders = ["specs", "specs/invalid", "Tests/fixtures"].map { repositoryRoot.appendingPathComponent($0) }
        return folders.flatMap { folder in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return names.filter { $0.hasSuffix(".yaml") }.sorted().compactMap { name in
                (try? Data(contentsOf: folder.appendingPathComponent(name))).map { (name, Array($0)) }
            }
        }
    }()

    /// Fails with the spec's name when the two compiles disagree.
    func expectSame(_ name: String, _ text: [UInt8]) {
        let full = Compiler.compile(text)
        let vault = Compiler.compileVault(text)
        #expect(vault.diagnostics == full.diagnostics, "\(name): the diagnostics differ")
        #expect(vault.compiled == full.environment?.vaultSide, "\(name): the Vault side differs")
        if let compiled = vault.compiled, let environment = full.environment {
            #expect(Explanation(compiled) == Explanation(environment), "\(name): the explanation differs")
        }
    }

    @Test func examplesAndFixtures() {
        #expect(Self.texts.count > 20)
        #expect(Self.texts.contains { Compiler.compile($0.text).hasErrors })
        for (name, text) in Self.texts { expectSame(name, text) }
    }

    /// Every example cut short at every fourth line, and with one line's value replaced: broken
    /// structure, missing keys, values of the wrong type, in every part of a spec.
    @Test func brokenExamples() {
        var rejected = 0
        for (name, text) in Self.texts {
            let lines = String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            for cut in stride(from: 1, to: lines.count, by: 4) {
                let short = Array(lines[..<cut].joined(separator: "\n").utf8)
                var changed = lines
                if let colon = changed[cut].firstIndex(of: ":") {
                    changed[cut] = changed[cut][...colon] + " [1, {x: 2}]"
                }
                let wrong = Array(changed.joined(separator: "\n").utf8)
                for variant in [short, wrong] {
                    if Compiler.compile(variant).hasErrors { rejected += 1 }
                    expectSame("\(name) at line \(cut + 1)", variant)
                }
            }
        }
        #expect(rejected > 100, "the variants exercise rejection")
    }
}
