import ArgumentParser

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
}
