import ArgumentParser
import KeywayCore

/// How `compile explain` prints who can read what.
enum ExplainFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text
    case json
    case mermaid
}

/// `compile explain SPEC [--format text|json|mermaid]`: per namespace, its store and policy, what
/// its ExternalSecrets read and everything its store's credential can read.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show who can read what: per namespace, its store, policy, reads and every Vault path it can read.",
        discussion: """
            Computed from the Vault policies the spec compiles to, with Vault's ACL matching.
            text: an aligned table; json: {"environment", "namespaces": {NS: {"store", "policy",
            "reads", "canRead", "canReadUnder", "secrets"}}}; mermaid: a flowchart for a README.

            Exit status: 0 on success, 1 when the spec is invalid or cannot be read, 64 on usage errors.
            """
    )

    @Argument(help: "The spec file of one environment.")
    var spec: String

    @Option(name: .long, help: "text (the default), json or mermaid.")
    var format: ExplainFormat = .text

    @OptionGroup var messages: MessageOptions

    func run() throws {
        var (compiled, reporter) = try Runner.compileVaultOne(spec, messages)
        let explanation = Explanation(compiled)
        let output: String
        switch format {
        case .text: output = ExplanationRenderer.text(explanation)
        case .json: output = ExplanationRenderer.json(explanation)
        case .mermaid: output = ExplanationRenderer.mermaid(explanation)
        }
        let status = reporter.emit(output, what: "the explanation")
        if status != 0 { throw ExitCode(status) }
    }
}
