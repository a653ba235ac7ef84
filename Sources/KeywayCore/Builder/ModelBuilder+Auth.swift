/// The spec's `vault.auth` block: exactly one of token, kubernetes, appRole and jwt auth (jwt in
/// ModelBuilder+JWT).
extension ModelBuilder {
    /// The image of the token renewal CronJob when the spec names none.
    static let defaultRenewalImage = "hashicorp/vault:1.20"
    /// The shortest token period a CronJob can renew in time, in seconds.
    static let minimumTokenPeriod = 600.0

    mutating func authMethod(_ entry: SpecEntry, store: StoreConfiguration?) -> AuthMethod? {
        guard let fields = reader.fields(entry.value, "'vault.auth'", anchor: entry.key.range, keys: SpecKey.Auth.self)
        else { return nil }
        let chosen = fields.entries(of: SpecKey.Auth.self)
        guard chosen.count == 1, let method = chosen.first else {
            reader.error(
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
        let name = fields[.name].flatMap { reader.subdomain($0.value, "Secret name") }
        let key = fields[.key].flatMap { reader.secretKey($0.value, "Secret key") }
        var namespace: String?
        if let namespaceEntry = fields[.namespace] {
            if namespaced {
                reader.error(
                    .conflictingKeys,
                    "a SecretStore's credential lives in each app namespace; '\(context)' takes no namespace",
                    at: namespaceEntry.key.range,
                    help: "remove 'namespace'"
                )
                return nil
            }
            namespace = objectSites.note(reader.dnsLabel(namespaceEntry.value, "namespace"))
            if namespace == nil { return nil }
        }
        guard let name, let key else { return nil }
        return SecretKeyReference(name: name.value, key: key.value, namespace: namespace)
    }

    mutating func tokenAuth(_ entry: SpecEntry, namespaced: Bool) -> TokenAuth? {
        reader.warning(
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
        var period = fields[.period].flatMap { reader.duration($0.value, "'period'") }
        if let period { warnIfLongPeriod(period) }
        if let value = period, value.value.seconds < Self.minimumTokenPeriod {
            reader.error(
                .periodTooShort,
                "token period '\(value.value.text)' is too short to renew from a CronJob",
                at: value.range,
                help: "use at least 10m; 24h is usual"
            )
            period = nil
        }
        let secretRef = fields[.secretRef].flatMap { secretReference($0, "'token.secretRef'", namespaced: namespaced) }
        var schedule: String?
        var image = Self.defaultRenewalImage
        if let renewalEntry = fields[.renewal],
            let renewal = reader.fields(
                renewalEntry.value, "'token.renewal'", anchor: renewalEntry.key.range, keys: SpecKey.Renewal.self)
        {
            if let node = renewal[.schedule]?.value, let value = reader.line(node, "'renewal.schedule'") {
                let fields = value.value.split(separator: " ", omittingEmptySubsequences: true)
                let allowed = Set("0123456789*/,-")
                if fields.count != 5 || !fields.allSatisfy({ $0.allSatisfy { allowed.contains($0) } }) {
                    reader.error(
                        .invalidValue, "invalid cron schedule '\(value.value)'", at: value.range,
                        help: "write five fields of digits, '*', '/', ',' and '-', e.g. '0 */6 * * *'")
                } else {
                    schedule = fields.joined(separator: " ")
                }
            }
            if let node = renewal[.image]?.value, let value = imageReference(node) { image = value }
        }
        guard let period, let secretRef else { return nil }
        return TokenAuth(
            period: period.value,
            secretRef: secretRef,
            renewal: TokenRenewal(
                schedule: schedule ?? Self.renewalSchedule(forPeriod: period.value.seconds), image: image)
        )
    }

    /// A schedule that renews a token at least four times per period, on the hour or minute.
    static func renewalSchedule(forPeriod seconds: Double) -> String {
        let interval = seconds / 4
        if interval >= 86_400 { return "0 0 * * *" }
        if interval >= 3_600 {
            let hours = [12, 8, 6, 4, 3, 2, 1].first { Double($0) * 3_600 <= interval } ?? 1
            return hours == 1 ? "0 * * * *" : "0 */\(hours) * * *"
        }
        let minutes = [30, 20, 15, 12, 10, 6, 5, 4, 3, 2, 1].first { Double($0) * 60 <= interval } ?? 1
        return minutes == 1 ? "* * * * *" : "*/\(minutes) * * * *"
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
        let mountPath = fields[.mountPath].map { authMount($0.value) } ?? "kubernetes"
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
        if namespaced, reviewer == .client, let entry = fields[.tokenReviewer] {
            warnIfClientReviewerForTenants(entry.value.range)
        }
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
        let name = ref[.name].flatMap { reader.subdomain($0.value, "service account name") }
        var namespace: String?? = .some(nil)
        if let namespaceEntry = ref[.namespace] {
            if namespaced {
                reader.error(
                    .conflictingKeys,
                    "a SecretStore logs in as the service account of its own namespace; 'serviceAccountRef' takes no namespace",
                    at: namespaceEntry.key.range,
                    help: "remove 'namespace'"
                )
                namespace = nil
            } else {
                namespace = objectSites.note(reader.dnsLabel(namespaceEntry.value, "namespace")).map { .some($0) }
            }
        }
        guard let name, let namespace else { return nil }
        return (name.value, namespace)
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
        let mountPath = fields[.mountPath].map { authMount($0.value) } ?? "approle"
        let role = fields[.role].flatMap { reader.vaultName($0.value, "role name") }
        vaultSites.role = role?.range
        let secretRef = fields[.secretRef].flatMap {
            secretReference($0, "'appRole.secretRef'", namespaced: namespaced)
        }
        var roleIdKey: String? = "role-id"
        if let node = fields[.roleIdKey]?.value {
            let key = reader.secretKey(node, "'roleIdKey'")
            roleIdKey = key?.value
            if let key, let secretRef, key.value == secretRef.key {
                reader.error(
                    .conflictingKeys, "'roleIdKey' and 'secretRef.key' are both '\(key.value)'", at: key.range,
                    help: "the role-id and the secret-id need keys of their own")
                roleIdKey = nil
            }
        } else if secretRef?.key == "role-id" {
            reader.error(
                .conflictingKeys, "'secretRef.key' is 'role-id', the default key of the role-id", at: entry.key.range,
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
            secretIdTTL: (secretIdTTL ?? nil) ?? Self.defaultSecretIdTTL
        )
    }

    /// An auth method's mount path, refused where Vault keeps its own token store.
    mutating func authMount(_ node: SpecNode) -> String? {
        guard let path = reader.vaultPath(node, "the auth mount") else { return nil }
        return checkMount(path, reserved: Self.reservedAuthMounts, "auth mount") ? path.value : nil
    }
}
