import Foundation
import Testing

@testable import KeywayCore

/// `compile SPEC…` with nothing but spec paths runs `build` without the argument parser
/// (`Compile.main`): it must do exactly what `compile build SPEC…` does.
@Suite("compile SPEC… without the parser")
struct DefaultCommandTests {
    @Test func specPathsAloneRunAsBuild() throws {
        let cases: [[String]] = [
            ["specs/dev.yaml"],
            ["specs/dev.yaml", "specs/staging.yaml"],
            ["specs/invalid/many-problems.yaml"],
            ["specs/dev.yaml", "specs/invalid/duplicate-key.yaml"],
            ["specs/no-such-spec.yaml"],
            ["specs"],
        ]
        for specs in cases {
            let plain = try runCompile(specs)
            let build = try runCompile(["build"] + specs)
            #expect(plain.status == build.status, "\(specs)")
            #expect(plain.out == build.out, "\(specs)")
            #expect(plain.err == build.err, "\(specs)")
        }
        #expect(try runCompile(["specs/dev.yaml"]).status == 0)
        #expect(try runCompile(["specs/no-such-spec.yaml"]).status == 1)
    }

    /// Options, `--`, subcommand names and `help` still go through the parser.
    @Test func anythingElseIsParsed() throws {
        let json = try runCompile(["specs/dev.yaml", "--diagnostics", "json"])
        #expect(json.status == 0 && json.err.hasPrefix("{"))
        #expect(try runCompile(["specs/dev.yaml", "--no-such-option"]).status == 64)
        #expect(try runCompile([]).status == 64)
        #expect(try runCompile(["help"]).out.contains("USAGE"))
        #expect(try runCompile(["schema"]).out.contains("\"$schema\""))
    }
}
