/// The spec's `vault.auth` block: exactly one of token, kubernetes, appRole and jwt auth (jwt in
/// ModelBuilder+JWT).
extension ModelBuilder {
    /// The shortest token period a CronJob can renew in time, in seconds.
    static let minimumTokenPeriod = 600.0

    mutating func authMethod(_ entry: SpecEntry, store: StoreConfiguration?) -> AuthMethod? {
        guard let fields = reader.fields(entry.value, "'vault.auth'", anchor: entry.key.range, keys: SpecKey.Auth.self)
        else { return nil }
        let chosen = fields.entries(of: SpecKey.Auth.self)
        guard chosen.count == 1, let method = chosen.first else {
            reader.report(
                .conflictingKeys,
                chosen.isEmpty
                    ? "'vault.auth' names no auth method" : "'vault.auth' names \(chosen.count) auth methods",
                at: chosen.dropFirst().first?.entry.key.range ?? entry.key.range,
                help: "write exactly one of \(SpecKey.Auth.quotedList)"
            )
            return nil
        }
        // Unknown store (already reported): assume the default, so auth problems still show.
        let namespaced = store?.kind == .namespaced
        switch method.key {
        case .token: return tokenAuth(method.entry, namespaced: namespaced).map { .token($0) }
        case .kubernetes: return kubernetesAuth(method.entry, namespaced: namespaced).map { .kubernetes($0) }
        case .appRole: return appRoleAuth(method.entry, namespaced: namespaced).map { .appRole($0) }
        case .jwt: return jwtAuth(method.entry, namespaced: namespaced).map { .jwt($0) }
        }
    }

    mutating func secretReference(_ entry: SpecEntry, _ context: String, namespaced: Bool) -> SecretKeyReference? {
        guard
            let fields = reader.fields(
                entry.value,
                context,
                anchor: entry.key.range,
                keys: SpecKey.SecretRef.self,
                namespaced: namespaced
            )
        else { return nil }
        var name: Located<String>?
        var key: Located<String>?
        var namespace: Located<String>?
        for (field, entry) in fields.written {
            switch field {
            case .name: name = reader.subdomain(entry.value, "Secret name")
            case .key: key = reader.secretKey(entry.value, "Secret key")
            case .namespace:
                namespace = referenceNamespace(
                    entry, namespaced: namespaced,
                    refusal: "a SecretStore's credential lives in each app namespace; '\(context)' takes no namespace")
            }
        }
        guard let name, let key else { return nil }
        return SecretKeyReference(name: name.value, key: key.value, namespace: namespace?.value)
    }

    /// The `namespace` of an object a store references, which only a ClusterSecretStore names (a
    /// SecretStore's objects live in its own namespace): `nil` when refused or invalid (reported).
    mutating func referenceNamespace(_ entry: SpecEntry, namespaced: Bool, refusal: String, help: String? = nil)
        -> Located<String>?
    {
        guard !namespaced else {
            reader.report(.conflictingKeys, refusal, at: entry.key.range, help: help ?? "remove 'namespace'")
            return nil
        }
        return reader.dnsLabel(entry.value, "namespace")
    }

    mutating func tokenAuth(_ entry: SpecEntry, namespaced: Bool) -> TokenAuth? {
        reader.report(
            .tokenAuth,
            "token auth keeps a long-lived Vault token in a Kubernetes Secret",
            at: entry.key.range,
            help: "prefer 'kubernetes' auth; Keyway emits a CronJob that renews this token, which ESO never does"
        )
        guard
            let fields = reader.fields(
                entry.value,
                "'auth.token'",
                anchor: entry.key.range,
                keys: SpecKey.Token.self
            )
        else { return nil }
        var period: Located<GoDuration>?
        var secretRef: SecretKeyReference?
        var renewal: (schedule: String?, image: String) = (nil, SpecDefaults.renewalImage)
        for (key, entry) in fields.written {
            switch key {
            case .period: period = tokenPeriod(entry.value)
            case .secretRef: secretRef = secretReference(entry, "'token.secretRef'", namespaced: namespaced)
            case .renewal: renewal = tokenRenewal(entry) ?? renewal
            }
        }
        guard let period, let secretRef else { return nil }
        return TokenAuth(
            period: period.value,
            secretRef: secretRef,
            renewal: TokenRenewal(
                schedule: renewal.schedule ?? SpecDefaults.renewalSchedule(forPeriod: period.value.seconds),
                image: renewal.image)
        )
    }

    /// A token period: warned when long, refused when too short to renew from a CronJob.
    mutating func tokenPeriod(_ node: SpecNode) -> Located<GoDuration>? {
        guard let period = reader.duration(node, "'period'") else { return nil }
        warnIfLongPeriod(period)
        guard period.value.seconds >= Self.minimumTokenPeriod else {
            reader.report(
                .periodTooShort,
                "token period '\(period.value.text)' is too short to renew from a CronJob",
                at: period.range,
                help: "use at least 10m; 24h is usual"
            )
            return nil
        }
        return period
    }

    /// The renewal CronJob's schedule (`nil`: derived from the period) and image.
    ///
    /// `nil` when `token.renewal` is not a mapping (already reported); an invalid value keeps its default.
    mutating func tokenRenewal(_ entry: SpecEntry) -> (schedule: String?, image: String)? {
        guard
            let fields = reader.fields(
                entry.value, "'token.renewal'", anchor: entry.key.range, keys: SpecKey.Renewal.self)
        else { return nil }
        var renewal: (schedule: String?, image: String) = (nil, SpecDefaults.renewalImage)
        for (key, entry) in fields.written {
            switch key {
            case .schedule: renewal.schedule = cronSchedule(entry.value, "'renewal.schedule'")
            case .image: renewal.image = imageReference(entry.value) ?? renewal.image
            }
        }
        return renewal
    }

    mutating func kubernetesAuth(_ entry: SpecEntry, namespaced: Bool) -> KubernetesAuth? {
        guard
            let fields = reader.fields(
                entry.value,
                "'auth.kubernetes'",
                anchor: entry.key.range,
                keys: SpecKey.Kubernetes.self
            )
        else { return nil }
        let mountPath = fields[.mountPath].map { authMount($0.value) } ?? SpecDefaults.kubernetesMount
        let ownsMount = fields[.ownsMount].map { reader.bool($0.value, "'ownsMount'") } ?? false
        let role = fields[.role].flatMap { reader.vaultName($0.value, "role name") }
        vaultSites.role = role?.range
        let account = fields[.serviceAccountRef].flatMap {
            serviceAccount($0, "'kubernetes.serviceAccountRef'", namespaced: namespaced)
        }
        let audience = fields[.audience].map { reader.line($0.value, "'audience'")?.value }
        let ttl = fields[.tokenTTL].map { reader.duration($0.value, "'tokenTTL'")?.value }
        let reviewer =
            fields[.tokenReviewer].map { reader.choice($0.value, "token reviewer", TokenReviewer.allCases) } ?? .vault
        guard let mountPath, let ownsMount, let role, let account, audience != .some(nil), ttl != .some(nil),
            let reviewer
        else { return nil }
        return KubernetesAuth(
            mountPath: mountPath,
            ownsMount: ownsMount,
            role: role.value,
            serviceAccountName: account.name,
            serviceAccountNamespace: account.namespace,
            audience: audience ?? nil,
            tokenTTL: ttl ?? nil,
            tokenReviewer: reviewer
        )
    }

    /// A `serviceAccountRef`: its name, and its namespace (a ClusterSecretStore's only).
    mutating func serviceAccount(_ entry: SpecEntry, _ context: String, namespaced: Bool) -> (
        name: String, namespace: String?
    )? {
        guard
            let ref = reader.fields(
                entry.value, context, anchor: entry.key.range, keys: SpecKey.ServiceAccountRef.self,
                namespaced: namespaced)
        else { return nil }
        var name: Located<String>?
        var namespace: Located<String>?
        for (key, entry) in ref.written {
            switch key {
            case .name: name = reader.subdomain(entry.value, "service account name")
            case .namespace:
                namespace = referenceNamespace(
                    entry, namespaced: namespaced,
                    refusal:
                        "a SecretStore logs in as the service account of its own namespace; 'serviceAccountRef' takes no namespace"
                )
            }
        }
        guard let name else { return nil }
        return (name.value, namespace?.value)
    }

    mutating func appRoleAuth(_ entry: SpecEntry, namespaced: Bool) -> AppRoleAuth? {
        guard
            let fields = reader.fields(
                entry.value,
                "'auth.appRole'",
                anchor: entry.key.range,
                keys: SpecKey.AppRole.self
            )
        else { return nil }
        let mountPath = fields[.mountPath].map { authMount($0.value) } ?? SpecDefaults.appRoleMount
        let role = fields[.role].flatMap { reader.vaultName($0.value, "role name") }
        vaultSites.role = role?.range
        let secretRef = fields[.secretRef].flatMap {
            secretReference($0, "'appRole.secretRef'", namespaced: namespaced)
        }
        var roleIdKey: String? = SpecDefaults.roleIdKey
        if let node = fields[.roleIdKey]?.value {
            let key = reader.secretKey(node, "'roleIdKey'")
            roleIdKey = key?.value
            if let key, let secretRef, key.value == secretRef.key {
                reader.report(
                    .conflictingKeys, "'roleIdKey' and 'secretRef.key' are both '\(key.value)'", at: key.range,
                    help: "the role-id and the secret-id need keys of their own")
                roleIdKey = nil
            }
        } else if secretRef?.key == SpecDefaults.roleIdKey {
            reader.report(
                .conflictingKeys, "'secretRef.key' is '\(SpecDefaults.roleIdKey)', the default key of the role-id",
                at: entry.key.range,
                help: "set 'roleIdKey' to another key")
            roleIdKey = nil
        }
        let tokenTTL = fields[.tokenTTL].map { reader.duration($0.value, "'tokenTTL'")?.value }
        let secretIdTTL = fields[.secretIdTTL].map { node -> GoDuration? in
            let ttl = reader.duration(node.value, "'secretIdTTL'")
            if let ttl { warnIfNeverExpires(ttl) }
            return ttl?.value
        }
        guard let mountPath, let role, let secretRef, let roleIdKey, tokenTTL != .some(nil), secretIdTTL != .some(nil)
        else { return nil }
        return AppRoleAuth(
            mountPath: mountPath,
            role: role.value,
            secretRef: secretRef,
            roleIdKey: roleIdKey,
            tokenTTL: tokenTTL ?? nil,
            secretIdTTL: (secretIdTTL ?? nil) ?? SpecDefaults.secretIdTTL
        )
    }

    /// An auth method's mount path, refused where Vault keeps its own token store.
    mutating func authMount(_ node: SpecNode) -> String? {
        guard let path = reader.vaultPath(node, "the auth mount") else { return nil }
        return checkMount(path, reserved: Self.reservedAuthMounts, "auth mount") ? path.value : nil
    }
}
