/// Prints a `VaultSetup` as the bootstrap script: the auth mount, then per store its policy and
/// its credential.
///
/// A credential only ever passes through the shell's own memory and pipes: it is captured with
/// `$(…)` (which also drops Vault's trailing newline), checked, and written with the `printf`
/// builtin into `kubectl create secret … --from-file=KEY=/dev/stdin`; a value Vault reads from
/// the script arrives on stdin (`key=-`, or a whole JSON body), never as an argument the vault CLI
/// could read as a file (`@…`). Tracing is off, and only the vault CLI sees the operator's token.
/// A stored credential is rotated: the new one is issued and stored, then the one it replaces
/// (recorded as an accessor on its Secret) is revoked; a run that stops in between revokes the
/// new one instead.
struct ScriptLowering {
    let environmentName: String
    let setup: VaultSetup

    /// The annotation on a credential's Secret that names the accessor of the credential inside
    /// (the `jsonpath` in `rotation` reads the same key, its `.` escaped).
    static let accessorAnnotation = "keyway.dev/vault-accessor"

    func script() -> ShellScript {
        var statements = prologue
        if let mount = setup.authMount { statements += [.blank] + authMount(mount) }
        for grant in setup.grants {
            statements += [.blank] + policy(grant)
            switch grant.credential {
            case .periodicToken(let token): statements += periodicToken(token, policy: grant.policy.name)
            case .kubernetesRole(let role): statements += kubernetesRole(role, policy: grant.policy.name)
            case .appRole(let role): statements += appRole(role, policy: grant.policy.name)
            }
        }
        return ShellScript(fileName: "bootstrap.sh", header: header, statements: statements)
    }

    var header: [String] {
        var needs = "Needs: the vault CLI logged in with rights to write policies"
        needs += setup.authMount == nil ? ", create tokens and revoke them;" : " and auth methods;"
        var cluster = "kubectl pointed at the cluster"
        if case .kubernetesFromEnvironment = setup.authMount?.configuration { cluster += "; KUBERNETES_HOST (see below)" }
        return [
            GeneratedNotice.line(environment: environmentName),
            "",
            "Sets up Vault for External Secrets Operator: writes the policy files next to this script,",
            "configures ESO's \(setup.authMount.map { "\($0.type.rawValue) auth" } ?? "token"), and stores the credential ESO reads in Kubernetes.",
            "Safe to run again: a stored credential is replaced by a fresh one, and the old one is revoked.",
            needs,
            cluster + ".",
        ]
    }

    var prologue: [ShellStatement] {
        [
            .comment("Credentials pass through shell variables: tracing stays off, so 'sh -x' cannot print them."),
            .traceOff,
            .enterScriptFolder,
            .comment("Only the vault CLI sees the operator's Vault token; kubectl and every other child run without it."),
            .assign(ShellAssignment("keyway_vault_token", ShellWord([.variableOrEmpty("VAULT_TOKEN")]))),
            .unset(["VAULT_TOKEN"]),
            .function(
                name: "vault",
                body: [
                    .pipeline([
                        ShellCommand(
                            ["command", "vault", ShellWord([.allArguments])],
                            environment: [ShellAssignment("VAULT_TOKEN", .variable("keyway_vault_token"))])
                    ])
                ]),
            .comment("The Vault server is the spec's unless VAULT_ADDR says otherwise."),
            .defaultVariable(name: "VAULT_ADDR", value: setup.server),
        ]
    }

    // MARK: - Auth mount and policy

    func authMount(_ mount: AuthMount) -> [ShellStatement] {
        let missing = [
            ShellCommand(["vault", "auth", "list", "-format=json"]),
            ShellCommand(["grep", "-F", "-q", .literal("\"\(mount.path)/\"")]),
        ]
        let enable = ShellStatement.pipeline([ShellCommand(["vault", "auth", "enable", .option("-path=", mount.path), .literal(mount.type.rawValue)])])
        switch mount.configuration {
        case .none:
            return [.unless(condition: missing, body: [enable])]
        case .kubernetesFromEnvironment(ownedByKeyway: true):
            return kubernetesNotes + [
                .comment("The mount is Keyway's ('ownsMount: true'): its config is written on every run.")
            ] + requireKubernetesHost + [.unless(condition: missing, body: [enable]), kubernetesConfig(mount.path)]
        case .kubernetesFromEnvironment(ownedByKeyway: false):
            return kubernetesNotes + [
                .comment("An existing mount's config is left as it is; the script configures only a mount it enables.")
            ] + [.unless(condition: missing, body: requireKubernetesHost + [enable, kubernetesConfig(mount.path)])]
        }
    }

    var kubernetesNotes: [ShellStatement] {
        [
            .comment("Vault reviews ESO's service account tokens at the cluster's API address: KUBERNETES_HOST,"),
            .comment("e.g. https://kubernetes.default.svc:443 when Vault runs in the cluster. It is never taken from the spec."),
            .comment("Vault outside the cluster also needs the cluster's CA: KUBERNETES_CA_CERT, a PEM file."),
        ]
    }

    var requireKubernetesHost: [ShellStatement] {
        [.require(variable: "KUBERNETES_HOST", message: "keyway: set KUBERNETES_HOST to the Kubernetes API address Vault calls")]
    }

    /// The operator's own environment configures the mount: these values never come from the spec.
    func kubernetesConfig(_ path: String) -> ShellStatement {
        .pipeline([
            ShellCommand([
                "vault", "write", .literal("auth/\(path)/config"),
                ShellWord([.literal("kubernetes_host="), .variable("KUBERNETES_HOST")]),
                ShellWord([.whenSet(variable: "KUBERNETES_CA_CERT", prefix: "kubernetes_ca_cert=@")]),
            ])
        ])
    }

    func policy(_ grant: VaultGrant) -> [ShellStatement] {
        let scope = grant.namespace.map { " for namespace '\($0)'" } ?? ""
        return [
            .comment("Policy '\(grant.policy.name)': what ESO may read\(scope), and the token self-paths its credential calls."),
            .pipeline([ShellCommand(["vault", "policy", "write", .literal(grant.policy.name), .literal(grant.policy.fileName)])]),
        ]
    }

    /// `printf '%s' JSON | vault write PATH -`: every value reaches Vault as JSON data, none as an argument.
    func write(_ path: String, _ body: ManifestMap) -> ShellStatement {
        .pipeline([
            ShellCommand(["printf", "%s", .literal(JSONRenderer.render(.map(body)))]),
            ShellCommand(["vault", "write", .literal(path), "-"]),
        ])
    }
}
