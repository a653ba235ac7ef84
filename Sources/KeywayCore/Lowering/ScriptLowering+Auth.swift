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
        let owner = VaultTokenStore.recordedDisplayName(token.displayName)
        let help =
            "keyway: help: revoke by hand the tokens with display name '\(owner)' and policy '\(policy)' the Secret does not hold ('vault list auth/token/accessors' and 'vault token lookup -accessor ACCESSOR' find them, 'vault token revoke -accessor ACCESSOR' revokes one)"
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
                    verifyPrevious: tokenOwnership(token.stored, owner: owner, policy: policy, help: help),
                    help: help,
                    input: ShellCommand(["printf", "%s", .variable("token")]),
                    source: .literal("--from-file=\(token.stored.key)=/dev/stdin"),
                    variables: ["token"]
                ))
    }

    /// Stops unless the recorded accessor names a live token of this store: its display name and its
    /// policies (exactly the store's one) as `auth/token/lookup-accessor` reports them.
    func tokenOwnership(_ stored: StoredCredential, owner: String, policy: String, help: String) -> [ShellStatement] {
        func lookup(_ field: String) -> [ShellCommand] {
            [
                ShellCommand(["printf", "%s", .variable("previous")]),
                ShellCommand([
                    "vault", "write", .literal("-field=\(field)"), "auth/token/lookup-accessor", "accessor=-",
                ]),
            ]
        }
        let foreign: [ShellStatement] = [
            .message(
                "keyway: the annotation \(Self.accessorAnnotation) on Secret \(stored.namespace)/\(stored.secretName) names a token that is not this store's (its display name is not '\(owner)' or its policies are not exactly '\(policy)'): nothing was revoked or issued"
            ),
            .message(help), .message(Self.thenRerun), .exit,
        ]
        return [
            .captureOrElse(
                variable: "owner", commands: lookup("display_name"),
                otherwise: missingPrevious(stored, secret: "token", help: help)),
            .capture(variable: "policies", commands: lookup("policies")),
            .unlessEqual(
                expected: [
                    ShellAssignment("owner", .literal(owner)),
                    ShellAssignment("policies", .literal(VaultTokenStore.recordedPolicies([policy]))),
                ],
                body: foreign),
            .unset(["owner", "policies"]),
        ]
    }

    /// Stops unless the recorded accessor names a secret-id of this store's own role.
    ///
    /// The role's `secret-id-accessor/lookup` answers an accessor of another role with an empty
    /// success (the CLI then prints `Success!`, not the field), so the accessor it returns must be the
    /// one asked for (OpenBao's `internal/builtin/credential/approle/path_role.go`,
    /// `pathRoleSecretIDAccessorLookupUpdate`, commit df6ce2cebaa823979215c116a16820aa913fe3b1).
    func secretIdOwnership(_ stored: StoredCredential, path: String, help: String) -> [ShellStatement] {
        let missing = missingPrevious(stored, secret: "secret-id", help: help)
        return [
            .captureOrElse(
                variable: "found",
                commands: [
                    ShellCommand(["printf", "%s", .variable("previous")]),
                    ShellCommand([
                        "vault", "write", "-field=secret_id_accessor", .literal("\(path)/secret-id-accessor/lookup"),
                        "secret_id_accessor=-",
                    ]),
                ],
                otherwise: missing),
            .unlessEqual(expected: [ShellAssignment("found", .variable("previous"))], body: missing),
            .unset(["found"]),
        ]
    }

    /// The annotation names no credential Vault knows (for this role): it expired, or a tenant changed it.
    func missingPrevious(_ stored: StoredCredential, secret: String, help: String) -> [ShellStatement] {
        [
            .message(
                "keyway: the annotation \(Self.accessorAnnotation) on Secret \(stored.namespace)/\(stored.secretName) names no \(secret) of this store in Vault: it expired, or the annotation was changed; nothing was revoked or issued"
            ),
            .message("keyway: help: if it expired, delete the Secret and run again; otherwise:"),
            .message(help), .message(Self.thenRerun), .exit,
        ]
    }

    func appRole(_ role: AppRoleCredential, policy: String) -> [ShellStatement] {
        let path = role.path
        let stored = role.stored
        let help =
            "keyway: help: destroy by hand the secret-ids of role '\(role.name)' the Secret does not hold ('vault list \(path)/secret-id' lists their accessors; writing one as secret_id_accessor to \(path)/secret-id-accessor/destroy destroys its secret-id)"
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
                    verifyPrevious: secretIdOwnership(stored, path: path, help: help),
                    help: help,
                    input: roleID.input,
                    source: roleID.source,
                    variables: roleID.variables
                ))
    }

    /// The last step of the help when the run stopped before issuing anything.
    static let thenRerun = "keyway: help: then delete the Secret and run again"

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
        /// Stops, before anything is issued, unless `previous` names a live credential of this store.
        var verifyPrevious: [ShellStatement]
        /// What the operator does by hand when a replaced credential cannot be revoked.
        var help: String
        /// Prints the Secret's contents.
        var input: ShellCommand
        /// The `kubectl create secret` source option reading that from stdin.
        var source: ShellWord
        /// The variables holding the credential, unset once it is stored.
        var variables: [String]
    }

    /// Check what the Secret records, issue, store with the accessor recorded on the Secret, then
    /// revoke what it replaced.
    ///
    /// The annotation is writable by whoever may edit the Secret (a tenant, in SecretStore mode), so
    /// it is trusted only once Vault confirms it names this store's credential; a Secret without it,
    /// or naming anything else, stops the run before a credential is issued, and a replaced credential
    /// that cannot be revoked fails the run. Until the new one is stored, a failure or a signal
    /// revokes it, so none is left valid unstored.
    func rotation(_ stored: StoredCredential, _ rotation: Rotation) -> [ShellStatement] {
        let credential = ShellCommand(["printf", "%s", .variable(rotation.credential)])
        return recordedAccessor(stored, rotation) + rotation.issue + [
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
                                "keyway: the new \(rotation.secret) is stored, but the one it replaced could not be revoked and may still be valid"
                            ),
                            .message(rotation.help), .exit,
                        ]
                    )
                ]),
            .unset(["previous", "stored", "accessor"]),
        ]
    }

    /// Reads the accessor the Secret records (and whether the Secret exists), and stops unless it
    /// names this store's credential; a Secret that exists without one stops the run too.
    func recordedAccessor(_ stored: StoredCredential, _ rotation: Rotation) -> [ShellStatement] {
        func get(_ output: String) -> [ShellCommand] {
            [
                ShellCommand([
                    "kubectl", "get", "secret", .literal(stored.secretName),
                    .option("--namespace=", stored.namespace), "--ignore-not-found", "-o", .literal(output),
                ])
            ]
        }
        return [
            .capture(
                variable: "previous",
                commands: get("jsonpath={.metadata.annotations.keyway\\.dev/vault-accessor}")),
            .capture(variable: "stored", commands: get("name")),
            .whenSet(
                variable: "stored",
                body: [
                    .whenUnset(
                        variable: "previous",
                        body: [
                            .message(
                                "keyway: Secret \(stored.namespace)/\(stored.secretName) has no annotation \(Self.accessorAnnotation), so the \(rotation.secret) it holds could not be revoked once replaced; nothing was revoked or issued"
                            ),
                            .message(rotation.help), .message(Self.thenRerun), .exit,
                        ])
                ]),
            .whenSet(variable: "previous", body: rotation.verifyPrevious),
        ]
    }
}
