/// Checks that keep a spec from harming the Vault and cluster it is applied to: names Vault
/// reserves, ExternalSecrets that would overwrite the store's own credential, and the settings a
/// reviewer should be told about.
extension ModelBuilder {
    /// Policies every Vault has: writing either replaces Vault's own (Vault folds policy names to lowercase).
    static let reservedPolicyNames: Set<String> = ["default", "root"]
    /// Mounts Vault keeps for itself: a KV mount there would point ESO at Vault's internals.
    static let reservedMounts: Set<String> = ["sys", "auth", "identity", "cubbyhole"]
    /// The auth mount of Vault's own token store.
    static let reservedAuthMounts: Set<String> = ["token"]
    /// Vault's default maximum lease TTL (32 days): a longer token period is worth a word.
    static let longestUsualPeriod = 768.0 * 3_600

    /// Refuses `default` and `root` as a policy name.
    mutating func checkPolicyName(_ name: Located<String>) -> Bool {
        guard Self.reservedPolicyNames.contains(name.value.lowercased()) else { return true }
        reader.report(
            .reservedVaultName,
            "policy name '\(name.value)' is one of Vault's own policies",
            at: name.range,
            help:
                "'vault policy write \(name.value.lowercased())' would replace it for every token in that Vault: choose another name"
        )
        return false
    }

    /// Refuses a policy the spec writes (per namespace in SecretStore mode) named as the read-only
    /// policy of `compile plan`, which is written beside it as `vault/keyway-plan.hcl`.
    mutating func checkPlanPolicyName(_ base: String, store: StoreConfiguration, namespaces: [String]) {
        let names: [String]
        switch store.kind {
        case .cluster: names = [base]
        case .namespaced: names = namespaces.map { SpecDefaults.perNamespaceName(base, namespace: $0) }
        }
        guard names.contains(PlanReads.policyName) else { return }
        reader.report(
            .planPolicyName,
            "policy name '\(PlanReads.policyName)' is the read-only policy 'compile plan' needs",
            at: vaultSites.policyName ?? nameRange ?? .fileStart,
            help:
                "choose another 'vault.policy.name': vault/\(PlanReads.policyName).hcl is written beside the spec's policies"
        )
    }

    /// Refuses a mount whose first segment Vault reserves.
    mutating func checkMount(_ mount: Located<String>, reserved: Set<String>, _ what: String) -> Bool {
        let first = String(mount.value.prefix { $0 != "/" })
        guard reserved.contains(first) else { return true }
        reader.report(
            .reservedVaultName,
            "\(what) '\(mount.value)' is a path Vault reserves for itself",
            at: mount.range,
            help: "name the mount where the secrets engine or auth method is actually enabled"
        )
        return false
    }

    /// The issuers clusters get when nobody sets `--service-account-issuer`: most clusters share them.
    static let defaultIssuers = ["https://kubernetes.default.svc.cluster.local", "https://kubernetes.default.svc"]

    /// A role bound to a default issuer admits the same service account of any cluster whose keys
    /// the mount trusts: the issuer does not tell clusters apart.
    mutating func warnIfDefaultIssuer(_ issuer: Located<String>) {
        guard Self.defaultIssuers.contains(Syntax.serverIdentity(issuer.value)) else { return }
        reader.report(
            .defaultJWTIssuer,
            "'boundIssuer' '\(issuer.value)' is the default issuer most clusters share: it does not tell this cluster's tokens from another's",
            at: issuer.range,
            help:
                "a mount that also trusts another cluster's keys admits that cluster's service account of the same name; give the cluster an issuer of its own (--service-account-issuer; EKS, GKE and AKS have one) and write it here ('kubectl get --raw /.well-known/openid-configuration' shows it)"
        )
    }

    /// In SecretStore mode each tenant namespace's service account gets the reviewer binding.
    mutating func warnIfClientReviewerForTenants(_ range: SourceRange) {
        reader.report(
            .clientReviewerForTenants,
            "'tokenReviewer: client' in SecretStore mode binds the service account of every app namespace to the cluster-wide 'system:auth-delegator'",
            at: range,
            help:
                "each tenant's ESO service account may then review any token and check any permission in the cluster: prefer the default reviewer (Vault's own service account) when Vault runs in the cluster"
        )
    }

    /// `http://` sends the login JWT, the token and every secret in plain text.
    mutating func warnIfPlainText(_ server: Located<String>) {
        guard server.value.lowercased().hasPrefix("http://") else { return }
        reader.report(
            .plainTextServer,
            "Vault server '\(server.value)' is reached over plain http",
            at: server.range,
            help: "ESO's credential and every secret it reads would cross the network unencrypted: use https://"
        )
    }

    /// A token that stays valid long after it leaks.
    mutating func warnIfLongPeriod(_ period: Located<GoDuration>) {
        guard period.value.seconds > Self.longestUsualPeriod else { return }
        reader.report(
            .longLivedCredential,
            "token period '\(period.value.text)' keeps a leaked token alive for that long after its last renewal",
            at: period.range,
            help: "the CronJob renews the token several times per period: 24h is usual"
        )
    }

    /// A secret-id TTL of `0` never expires.
    mutating func warnIfNeverExpires(_ ttl: Located<GoDuration>) {
        guard ttl.value.seconds == 0 else { return }
        reader.report(
            .longLivedCredential,
            "'secretIdTTL: \(ttl.value.text)' issues AppRole secret-ids that never expire",
            at: ttl.range,
            help:
                "remove it for the default (\(SpecDefaults.secretIdTTL.text)), and run the bootstrap again before it ends"
        )
    }

    /// No ExternalSecret may target the Secret its own store reads its credential from.
    mutating func checkCredentialTargets(_ targets: [(namespace: String, target: Located<String>)], auth: AuthMethod) {
        guard let credential = auth.credentialSecret else { return }
        for (namespace, target) in targets where target.value == credential.name {
            // A ClusterSecretStore's credential lives in one namespace; a SecretStore's in every app namespace.
            guard credential.namespace == nil || credential.namespace == namespace else { continue }
            reader.report(
                .targetIsCredential,
                "Secret '\(target.value)' in namespace '\(namespace)' holds the store's own Vault credential",
                at: target.range,
                help: "ESO would overwrite the credential it logs in with: give this secret another 'target'"
            )
        }
    }

    /// One ClusterSecretStore serving several namespaces lets each read every other's paths.
    mutating func warnIfSharedStore(_ store: StoreConfiguration, namespaces: [String], at range: SourceRange) {
        guard case .cluster = store.kind, namespaces.count > 1 else { return }
        reader.report(
            .sharedStore,
            "ClusterSecretStore '\(store.name)' serves \(namespaces.count) namespaces with one credential: "
                + "each namespace's ExternalSecrets can read every path the others reference",
            at: range,
            help: "use 'kind: SecretStore' for a policy and credential per namespace"
        )
    }
}

extension AuthMethod {
    /// The Kubernetes Secret holding ESO's credential (token, appRole and userPass auth; none for service account logins); `namespace` is
    /// `nil` where every app namespace holds its own.
    var credentialSecret: (name: String, namespace: String?)? {
        switch self {
        case .token(let auth): (auth.secretRef.name, auth.secretRef.namespace)
        case .appRole(let auth): (auth.secretRef.name, auth.secretRef.namespace)
        case .userPass(let auth): (auth.secretRef.name, auth.secretRef.namespace)
        case .kubernetes, .jwt: nil
        }
    }
}
