/// The credentials of the bootstrap script: roles, and the rotation of a stored credential.
extension ScriptLowering {
    func kubernetesRole(_ role: KubernetesRole, policy: String) -> [ShellStatement] {
        [
            .comment(
                "Role '\(role.name)': service account \(role.serviceAccountNamespace)/\(role.serviceAccountName) logs in with policy '\(policy)' only."
            ),
            write(role.write(policy: policy)),
        ]
    }

    /// The role pins the token's subject, audiences and issuer (see `JWTRole.write`).
    func jwtRole(_ role: JWTRole, policy: String) -> [ShellStatement] {
        [
            .comment(
                "Role '\(role.name)': service account \(role.serviceAccountNamespace)/\(role.serviceAccountName)'s token logs in with policy '\(policy)' only."
            ),
            write(role.write(policy: policy)),
        ]
    }

    func periodicToken(_ token: PeriodicToken, policy: String) -> [ShellStatement] {
        let issue = ShellCommand([
            "vault", "token", "create", "-orphan", "-no-default-policy", .option("-policy=", policy),
            .option("-period=", token.period.text),
            .option("-display-name=", token.displayName), "-field=token",
        ])
        return [
            .comment(
                "ESO's token: periodic (\(token.period.text)), policy '\(policy)' only, renewed by the CronJob '\(token.renewalJob)'."
            )
        ]
            + rotation(
                token.stored,
                Rotation(
                    issue: [
                        .capture(variable: "token", commands: [issue]),
                        .require(variable: "token", message: "keyway: vault returned an empty token"),
                    ],
                    secret: "token",
                    credential: "token",
                    accessor: ShellCommand(["vault", "write", "-field=accessor", "auth/token/lookup", "token=-"]),
                    destroy: ShellCommand(["vault", "write", "auth/token/revoke", "token=-"], silenced: true),
                    destroyPrevious: ShellCommand(
                        ["vault", "write", "auth/token/revoke-accessor", "accessor=-"], silenced: true),
                    input: ShellCommand(["printf", "%s", .variable("token")]),
                    source: .literal("--from-file=\(token.stored.key)=/dev/stdin"),
                    variables: ["token"]
                ))
    }

    func appRole(_ role: AppRoleCredential, policy: String) -> [ShellStatement] {
        let path = role.path
        let stored = role.stored
        let roleID = appRoleID(role, path: path)
        let issue: [ShellStatement] =
            roleID.issue + [
                .capture(
                    variable: "secret_id",
                    commands: [
                        ShellCommand(["vault", "write", "-f", "-field=secret_id", .literal("\(path)/secret-id")])
                    ]),
                .require(variable: "secret_id", message: "keyway: vault returned an empty secret-id"),
            ]
        return [
            .comment(
                "Role '\(role.name)': logs in with policy '\(policy)' only; \(roleID.stores) to Secret \(stored.namespace)/\(stored.secretName)."
            ),
            write(role.write(policy: policy)),
        ] + roleID.write
            + rotation(
                stored,
                Rotation(
                    issue: issue,
                    secret: "secret-id",
                    credential: "secret_id",
                    accessor: ShellCommand([
                        "vault", "write", "-field=secret_id_accessor", .literal("\(path)/secret-id/lookup"),
                        "secret_id=-",
                    ]),
                    destroy: ShellCommand(
                        ["vault", "write", .literal("\(path)/secret-id/destroy"), "secret_id=-"], silenced: true),
                    destroyPrevious: ShellCommand(
                        ["vault", "write", .literal("\(path)/secret-id-accessor/destroy"), "secret_id_accessor=-"],
                        silenced: true),
                    input: roleID.input,
                    source: roleID.source,
                    variables: roleID.variables
                ))
    }

    /// How the script handles an AppRole's role-id: read from Vault and stored beside the
    /// secret-id (`roleRef`), or a fixed one written to the role (`roleId`) and only the secret-id stored.
    struct AppRoleIDSteps {
        /// Statements before the rotation that write the fixed role-id to the role.
        var write: [ShellStatement]
        /// Statements that capture the role-id (and check it) when it is stored.
        var issue: [ShellStatement]
        /// What the Secret holds and its verb, for the comment.
        var stores: String
        /// Prints the Secret's contents.
        var input: ShellCommand
        /// The `kubectl create secret` source option reading that from stdin.
        var source: ShellWord
        /// The variables holding the credential, unset once it is stored.
        var variables: [String]
    }

    func appRoleID(_ role: AppRoleCredential, path: String) -> AppRoleIDSteps {
        switch role.roleId {
        case .secretKey(let key):
            return AppRoleIDSteps(
                write: [],
                issue: [
                    .capture(
                        variable: "role_id",
                        commands: [ShellCommand(["vault", "read", "-field=role_id", .literal("\(path)/role-id")])]),
                    .require(variable: "role_id", message: "keyway: vault returned an empty role-id"),
                ],
                stores: "its role-id and a new secret-id go",
                input: ShellCommand([
                    "printf", .literal("\(key)=%s\\n\(role.stored.key)=%s\\n"), .variable("role_id"),
                    .variable("secret_id"),
                ]),
                source: "--from-env-file=/dev/stdin",
                variables: ["role_id", "secret_id"])
        case .fixed:
            return AppRoleIDSteps(
                write: [.comment("The role-id is the spec's ('roleId', inline in the store): written to the role.")]
                    + (role.roleIdWrite.map { [write($0)] } ?? []),
                issue: [],
                stores: "only a new secret-id goes",
                input: ShellCommand(["printf", "%s", .variable("secret_id")]),
                source: .literal("--from-file=\(role.stored.key)=/dev/stdin"),
                variables: ["secret_id"])
        }
    }

    /// How one stored credential is issued, recorded and replaced.
    struct Rotation {
        /// Statements that set the credential's variables (and check them).
        var issue: [ShellStatement]
        /// What the credential is called in messages.
        var secret: String
        /// The variable holding the credential itself.
        var credential: String
        /// Reads the new credential on stdin and prints its accessor.
        var accessor: ShellCommand
        /// Reads the new credential on stdin and revokes it.
        var destroy: ShellCommand
        /// Reads an accessor on stdin and revokes the credential it names.
        var destroyPrevious: ShellCommand
        /// Prints the Secret's contents.
        var input: ShellCommand
        /// The `kubectl create secret` source option reading that from stdin.
        var source: ShellWord
        /// The variables holding the credential, unset once it is stored.
        var variables: [String]
    }

    /// Issue, store with the accessor recorded on the Secret, then revoke what it replaced.
    ///
    /// Until it is stored, a failure or a signal revokes the new credential, so none is left valid
    /// unstored.
    func rotation(_ stored: StoredCredential, _ rotation: Rotation) -> [ShellStatement] {
        let credential = ShellCommand(["printf", "%s", .variable(rotation.credential)])
        return [
            .capture(
                variable: "previous",
                commands: [
                    ShellCommand([
                        "kubectl", "get", "secret", .literal(stored.secretName),
                        .option("--namespace=", stored.namespace), "--ignore-not-found",
                        "-o", .literal("jsonpath={.metadata.annotations.keyway\\.dev/vault-accessor}"),
                    ])
                ])
        ]
            + rotation.issue + [
                .cleanupOnExit([.pipeline([credential, rotation.destroy])]),
                .capture(variable: "accessor", commands: [credential, rotation.accessor]),
                .require(
                    variable: "accessor", message: "keyway: vault returned no accessor for the new \(rotation.secret)"),
                .pipeline([
                    rotation.input,
                    ShellCommand([
                        "kubectl", "create", "secret", "generic", .literal(stored.secretName),
                        .option("--namespace=", stored.namespace),
                        rotation.source, "--dry-run=client", "-o", "yaml",
                    ]),
                    ShellCommand([
                        "kubectl", "annotate", "--local", "-f", "-", "-o", "yaml",
                        ShellWord([.literal("\(Self.accessorAnnotation)="), .variable("accessor")]),
                    ]),
                    ShellCommand([
                        "kubectl", "apply", "--server-side", "--force-conflicts", "--field-manager=keyway", "-f", "-",
                    ]),
                ]),
                .clearCleanup,
                .unset(rotation.variables),
                .whenSet(
                    variable: "previous",
                    body: [
                        .unless(
                            condition: [
                                ShellCommand(["printf", "%s", .variable("previous")]), rotation.destroyPrevious,
                            ],
                            body: [
                                .message(
                                    "keyway: could not revoke the previous \(rotation.secret) (it may have expired already)"
                                )
                            ]
                        )
                    ]),
                .unset(["previous", "accessor"]),
            ]
    }
}
