import ArgumentParser
import KeywayCore

/// How `compile plan` prints what would change.
enum PlanFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text
    case json
}

/// `compile plan SPEC [--format text|json] [--detailed-exitcode]`: what bootstrap.sh would change in
/// the live Vault, read with the operator's VAULT_ADDR and VAULT_TOKEN; it writes nothing.
struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what bootstrap.sh would change in a live Vault (read-only).",
        discussion: """
            Reads VAULT_ADDR (default: the spec's server) with VAULT_TOKEN, in the spec's Vault namespace
            (else VAULT_NAMESPACE), trusting VAULT_CACERT and the spec's caBundle (else the system's roots).
            The token needs only the policy vault/keyway-plan.hcl of the --out tree.
            text: + create, ~ update, each field from -> to; json: {"environment", "changes": [{"action",
            "kind", "path", "fields": {NAME: {"from", "to"}}, "notes"}], "credentials"}.

            Exit status: 0 with no changes (or any changes without --detailed-exitcode), 2 with changes
            under --detailed-exitcode, 1 on an error (invalid spec, Vault unreachable, TLS, a token
            without rights), 64 on usage errors.
            """
    )

    @Argument(help: "The spec file of one environment.")
    var spec: String

    @Option(name: .long, help: "text (the default) or json.")
    var format: PlanFormat = .text

    @Flag(name: .long, help: "Exit 2 when there are changes (as terraform plan).")
    var detailedExitcode = false

    @OptionGroup var messages: MessageOptions

    func run() throws {
        var (compiled, reporter) = try Runner.compileOne(spec, messages)
        let connection: PlanConnection
        let live: LiveVault
        do {
            connection = try PlanConnection(compiled)
            live = try connection.read(compiled)
        } catch let error as VaultError {
            reporter.report(Message(text: error.text, help: error.help))
            reporter.flush()
            throw ExitCode(1)
        }
        let plan = VaultPlan(compiled, live: live)
        let output: String
        switch format {
        case .text: output = PlanRenderer.text(plan, target: connection.target)
        case .json: output = PlanRenderer.json(plan)
        }
        let status = reporter.emit(output, what: "the plan")
        if status != 0 { throw ExitCode(status) }
        if detailedExitcode, !plan.changes.isEmpty { throw ExitCode(2) }
    }
}
