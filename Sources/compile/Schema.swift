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
        do {
            try FileSystem.emit(SpecSchema.document(), to: 1)
        } catch {
            var reporter = Reporter(format: .text, colored: false)
            reporter.report(Message(text: "cannot write the schema: \(error)"))
            reporter.flush()
            throw ExitCode(1)
        }
    }
}
