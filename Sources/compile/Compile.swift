import ArgumentParser
import Glibc

/// The root command, `compile`.
///
/// `compile SPEC…` runs its default subcommand, `compile build SPEC…`;
/// later subcommands (explain, schema, import) sit beside `build`.
@main
struct Compile: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile Keyway environment specs into Vault, ESO and Kubernetes artifacts.",
        discussion: "`compile SPEC…` is `compile build SPEC…`. See docs/spec.md and docs/diagnostics.md.",
        subcommands: [Build.self, Explain.self, Plan.self, Schema.self, Import.self],
        defaultSubcommand: Build.self
    )

    /// Runs the command line; `compile SPEC…` alone (the pre-commit hook's and the Argo CD
    /// plugin's call) is run as `compile build SPEC…` without the argument parser, whose first
    /// lookups in Swift's runtime type tables were more than half of compiling a small spec.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let specs = plainSpecs(arguments) else { return main(nil) }
        Glibc.exit(Runner(options: BuildOptions(specs: specs)).run())
    }

    /// The arguments when they are spec paths only, as the parser would read them for `build`:
    /// no option, no `--`, no subcommand or `help`; `nil` otherwise (the parser decides).
    static func plainSpecs(_ arguments: [String]) -> [String]? {
        let words = Set(["help"] + configuration.subcommands.compactMap { $0.configuration.commandName })
        guard !arguments.isEmpty, !arguments.contains(where: { $0.hasPrefix("-") || words.contains($0) }) else {
            return nil
        }
        return arguments
    }
}
