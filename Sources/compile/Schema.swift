import ArgumentParser
import KeywayCore

/// `compile schema`: prints the spec's JSON Schema (draft 2020-12), for editors.
struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the spec's JSON Schema (draft 2020-12), as committed in schema/keyway.schema.json.",
        discussion: """
            Generated from the compiler's key tables. Point an editor at it with a first line
            '# yaml-language-server: $schema=PATH-OR-URL' (VS Code: the redhat.vscode-yaml extension).

            Exit status: 0 on success, 1 when stdout cannot be written, 64 on usage errors.
            """
    )

    func run() throws {
        var reporter = Reporter(format: .text, colored: false)
        let status = reporter.emit(SpecSchema.document(), what: "the schema")
        if status != 0 { throw ExitCode(status) }
    }
}
