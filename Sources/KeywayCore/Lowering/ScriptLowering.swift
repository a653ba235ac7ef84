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
            case .jwtRole(let role): statements += jwtRole(role, policy: grant.policy.name)
            case .userPass(let user): statements += userPass(user, policy: grant.policy.name)
            }
        }
        return ShellScript(fileName: "bootstrap.sh", header: header, statements: statements)
    }

    var header: [String] {
        var needs = "Needs: the vault CLI logged in with rights to write policies"
        needs += setup.authMount == nil ? ", create tokens and revoke them;" : " and auth methods;"
        var cluster = "kubectl pointed at the cluster"
        switch setup.authMount?.configuration {
        case .kubernetesFromEnvironment?: cluster += "; KUBERNETES_HOST (see below)"
        case .jwtFromEnvironment?: cluster += "; JWT_VALIDATION_PUBKEYS or OIDC_DISCOVERY_URL (see below)"
        case .none?, nil: break
        }
        return [
            GeneratedNotice.line(environment: environmentName),
            "",
            "Sets up Vault for External Secrets Operator: writes the policy files next to this script,",
            "configures ESO's \(setup.authMount.map { "\($0.type.rawValue) auth" } ?? "token"), and stores the credential ESO reads in Kubernetes.",
            "Safe to run again: a stored credential is replaced by a fresh one, and the old one is revoked.",
            needs,
            cluster + ".",
        ] + connectionNotes
    }

    /// What the operator must know about the Vault namespace and CA, when the spec has them.
    var connectionNotes: [String] {
        var notes: [String] = []
        if let namespace = setup.namespace {
            notes += [
                "Everything is written in Vault namespace '\(namespace)' (VAULT_NAMESPACE is set to it below, whatever",
                "the environment said): the namespace must exist, and VAULT_TOKEN may belong to it or to a parent.",
            ]
        }
        if setup.hasPrivateCA {
            notes += [
                "Vault's certificate is signed by the spec's private CA: set VAULT_CACERT to a PEM file of that CA,",
                "which the vault CLI reads (required unless VAULT_ADDR is plain http://).",
            ]
        }
        return notes
    }

    var prologue: [ShellStatement] {
        [
            .comment("Credentials pass through shell variables: tracing stays off, so 'sh -x' cannot print them."),
            .traceOff,
            .enterScriptFolder,
            .comment(
                "Only the vault CLI sees the operator's Vault token; kubectl and every other child run without it."),
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
        ] + connection
    }

    /// The Vault namespace, exported for every vault call; the CA the vault CLI must trust.
    var connection: [ShellStatement] {
        var statements: [ShellStatement] = []
        if let namespace = setup.namespace {
            statements += [
                .comment("Every mount, policy and role below is written inside the spec's Vault namespace."),
                .export(name: "VAULT_NAMESPACE", value: namespace),
            ]
        }
        if setup.hasPrivateCA {
            statements +=
                [
                    .comment(
                        "The vault CLI checks Vault's certificate against VAULT_CACERT, the spec's private CA as a PEM file."
                    ),
                    .unlessPrefix(
                        variable: "VAULT_ADDR", prefix: "http://",
                        body: [
                            .require(
                                variable: "VAULT_CACERT",
                                message:
                                    "keyway: set VAULT_CACERT to a PEM file of the CA that signed Vault's certificate")
                        ]
                    ),
                ] + skipVerifyRefused
        }
        return statements
    }

    /// With a CA in the spec, the script refuses to run while the vault CLI is told to skip the
    /// certificate check: `VAULT_SKIP_VERIFY`, or `BAO_SKIP_VERIFY` that the bao CLI reads first
    /// (OpenBao's `api/client.go` and `api/env.go` `ReadBaoVariable`, commit
    /// df6ce2cebaa823979215c116a16820aa913fe3b1).
    var skipVerifyRefused: [ShellStatement] {
        [.comment("Nothing may skip that check: the spec's CA is the only trust.")]
            + ["VAULT_SKIP_VERIFY", "BAO_SKIP_VERIFY"].map { variable in
                .whenSet(
                    variable: variable,
                    body: [
                        .message(
                            "keyway: \(variable) is set, which would skip the check of Vault's certificate against the spec's CA; unset it and run again"
                        ),
                        .exit,
                    ])
            }
    }

    // MARK: - Policy

    func policy(_ grant: VaultGrant) -> [ShellStatement] {
        let scope = grant.namespace.map { " for namespace '\($0)'" } ?? ""
        return [
            .comment(
                "Policy '\(grant.policy.name)': what ESO may read\(scope), and the token self-paths its credential calls."
            ),
            .pipeline([
                ShellCommand(["vault", "policy", "write", .literal(grant.policy.name), .literal(grant.policy.fileName)])
            ]),
        ]
    }

    /// `printf '%s' JSON | vault write PATH -`: every value reaches Vault as JSON data, none as an argument.
    func write(_ request: VaultWrite) -> ShellStatement {
        .pipeline([
            ShellCommand(["printf", "%s", .literal(JSONRenderer.render(.map(request.body)))]),
            ShellCommand(["vault", "write", .literal(request.path), "-"]),
        ])
    }
}
