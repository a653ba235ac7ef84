/// The auth mount of the bootstrap script: enabled when missing, and configured from the
/// operator's environment (never from the spec) when the script enables it, or on every run when
/// Keyway owns it.
extension ScriptLowering {
    func authMount(_ mount: AuthMount) -> [ShellStatement] {
        let missing = [
            ShellCommand(["vault", "auth", "list", "-format=json"]),
            ShellCommand(["grep", "-F", "-q", .literal("\"\(mount.path)/\"")]),
        ]
        let enable = ShellStatement.pipeline([
            ShellCommand(["vault", "auth", "enable", .option("-path=", mount.path), .literal(mount.type.rawValue)])
        ])
        let notes: [ShellStatement]
        let requirements: [ShellStatement]
        let config: ShellStatement
        switch mount.configuration {
        case .none:
            return [.unless(condition: missing, body: [enable])]
        case .kubernetesFromEnvironment(_, let reviewer):
            notes = kubernetesNotes(reviewer)
            requirements = requireKubernetesHost
            config = configWrite(mount)
        case .jwtFromEnvironment:
            notes = jwtNotes
            requirements = requireJWTKeys
            config = configWrite(mount)
        }
        if mount.configuration.ownedByKeyway {
            return notes + [.comment(ScriptMarker.ownsMount)]
                + requirements + [
                    .unless(condition: missing, body: [enable]), config,
                ]
        }
        return notes + [
            .comment("An existing mount's config is left as it is; the script configures only a mount it enables.")
        ] + [
            .unless(condition: missing, body: requirements + [enable, config])
        ]
    }

    func kubernetesNotes(_ reviewer: TokenReviewer) -> [ShellStatement] {
        let review: [ShellStatement]
        switch reviewer {
        case .vault: review = []
        case .client:
            review = [
                .comment(
                    "'tokenReviewer: client': Vault reviews each login with ESO's own JWT, never a JWT of its own"),
                .comment("(disable_local_ca_jwt); the manifests bind ESO's service accounts to system:auth-delegator."),
            ]
        }
        return [
            .comment("Vault reviews ESO's service account tokens at the cluster's API address: KUBERNETES_HOST,"),
            .comment(
                "e.g. https://kubernetes.default.svc:443 when Vault runs in the cluster. It is never taken from the spec."
            ),
            .comment("Vault outside the cluster also needs the cluster's CA: KUBERNETES_CA_CERT, a PEM file."),
        ] + review
    }

    var requireKubernetesHost: [ShellStatement] {
        [
            .require(
                variable: "KUBERNETES_HOST",
                message: "keyway: set KUBERNETES_HOST to the Kubernetes API address Vault calls")
        ]
    }

    /// The operator's own environment configures the mount: these values never come from the spec.
    var jwtNotes: [ShellStatement] {
        [
            .comment(
                "Vault checks ESO's service account tokens against the cluster issuer's keys, from the operator's"),
            .comment(
                "environment, never from the spec: JWT_VALIDATION_PUBKEYS, a PEM file of the issuer's public keys, or"),
            .comment(
                "OIDC_DISCOVERY_URL, the issuer's discovery URL. The issuer itself ('boundIssuer') is not a mount setting:"
            ),
            .comment(
                "each role requires it as a bound 'iss' claim (JSON on stdin), so a shared mount's config stays as it is."
            ),
        ]
    }

    var requireJWTKeys: [ShellStatement] {
        [
            .requireAny(
                variables: ["JWT_VALIDATION_PUBKEYS", "OIDC_DISCOVERY_URL"],
                message:
                    "keyway: set JWT_VALIDATION_PUBKEYS (a PEM file of the issuer's public keys) or OIDC_DISCOVERY_URL"),
            .whenSet(
                variable: "JWT_VALIDATION_PUBKEYS",
                body: [
                    .whenSet(
                        variable: "OIDC_DISCOVERY_URL",
                        body: [
                            .message("keyway: set only one of JWT_VALIDATION_PUBKEYS and OIDC_DISCOVERY_URL"), .exit,
                        ])
                ]),
        ]
    }

    /// `vault write auth/PATH/config` with the operator's settings (a required one always, the others
    /// when set; a file's as `@FILE`, which the vault CLI reads) and the fields the spec decides.
    func configWrite(_ mount: AuthMount) -> ShellStatement {
        var words: [ShellWord] = ["vault", "write", .literal(mount.configPath)]
        for setting in mount.operatorSettings {
            let prefix = setting.field + (setting.fromFile ? "=@" : "=")
            words.append(
                setting.required
                    ? ShellWord([.literal(prefix), .variable(setting.variable)])
                    : ShellWord([.whenSet(variable: setting.variable, prefix: prefix)]))
        }
        for field in mount.specConfig.entries {
            words.append(.literal("\(field.key)=\(JSONRenderer.render(field.value))"))
        }
        return .pipeline([ShellCommand(words)])
    }
}
