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
        case .userPass: return userPassAuth(method.entry, namespaced: namespaced).map { .userPass($0) }
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
        let namespace = reader.dnsLabel(entry.value, "namespace")
        _ = objectSites.note(namespace)
        return namespace
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
        var mountPathEntry: SpecEntry?
        var ownsMountEntry: SpecEntry?
        var roleEntry: SpecEntry?
        var rolesEntry: SpecEntry?
        var serviceAccountRefEntry: SpecEntry?
        var audienceEntry: SpecEntry?
        var tokenTTLEntry: SpecEntry?
        var tokenReviewerEntry: SpecEntry?
        for (key, entry) in fields.written {
            switch key {
            case .mountPath: mountPathEntry = entry
            case .ownsMount: ownsMountEntry = entry
            case .role: roleEntry = entry
            case .roles: rolesEntry = entry
            case .serviceAccountRef: serviceAccountRefEntry = entry
            case .audience: audienceEntry = entry
            case .tokenTTL: tokenTTLEntry = entry
            case .tokenReviewer: tokenReviewerEntry = entry
            }
        }
        let mountPath = mountPathEntry.map { authMount($0.value) } ?? SpecDefaults.kubernetesMount
        let ownsMount = ownsMountEntry.map { reader.bool($0.value, "'ownsMount'") } ?? false
        let role = roleEntry.flatMap { reader.vaultName($0.value, "role name") }
        vaultSites.role = role?.range
        let roles = rolesEntry.map { namespaceNames($0, "'kubernetes.roles'", what: "role", base: role?.value) }
        let account = loginAccount(
            serviceAccountRefEntry, "'kubernetes.serviceAccountRef'", method: entry, namespaced: namespaced)
        let audience = audienceEntry.map { reader.line($0.value, "'audience'")?.value }
        let ttl = tokenTTLEntry.map { reader.duration($0.value, "'tokenTTL'")?.value }
        let reviewer =
            tokenReviewerEntry.map { reader.choice($0.value, "token reviewer", TokenReviewer.allCases) } ?? .vault
        if namespaced, reviewer == .client, let entry = tokenReviewerEntry {
            warnIfClientReviewerForTenants(entry.value.range)
        }
        guard let mountPath, let ownsMount, let role, let account, audience != .some(nil), ttl != .some(nil),
            let reviewer, roles != .some(nil)
        else { return nil }
        return KubernetesAuth(
            mountPath: mountPath,
            ownsMount: ownsMount,
            role: role.value,
            namespaceRoles: (roles ?? nil) ?? [:],
            serviceAccountName: account.name,
            serviceAccountNamespace: account.namespace,
            operatorAccount: account.isOperator,
            audience: audience ?? nil,
            tokenTTL: ttl ?? nil,
            tokenReviewer: reviewer
        )
    }

    /// The service account ESO logs in as: `serviceAccountRef`, or without it ESO's own (the
    /// operator's), which only a ClusterSecretStore can use and which is warned about.
    mutating func loginAccount(_ entry: SpecEntry?, _ context: String, method: SpecEntry, namespaced: Bool) -> (
        name: String, namespace: String?, isOperator: Bool
    )? {
        if let entry {
            return serviceAccount(entry, context, namespaced: namespaced).map { ($0.name, $0.namespace, false) }
        }
        if namespaced {
            reader.report(
                .operatorAccountNamespaced,
                "\(context) is missing: every namespace's SecretStore would log in as ESO's own service account",
                at: method.key.range,
                help: "add 'serviceAccountRef: {name: NAME}', the service account of each namespace ESO logs in as")
            return nil
        }
        let account = "\(esoOperator.namespace)/\(esoOperator.serviceAccount)"
        reader.report(
            .operatorAccountShared,
            "without \(context) ESO logs in as its own service account '\(account)'",
            at: method.key.range,
            help:
                "any SecretStore naming this role, in any namespace, then gets this store's access: give 'serviceAccountRef' an account of its own to keep it to this store"
        )
        return (esoOperator.serviceAccount, esoOperator.namespace, true)
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
        var mountPathEntry: SpecEntry?
        var roleEntry: SpecEntry?
        var rolesEntry: SpecEntry?
        var secretRefEntry: SpecEntry?
        var roleIdEntry: SpecEntry?
        var roleIdKeyEntry: SpecEntry?
        var tokenTTLEntry: SpecEntry?
        var secretIdTTLEntry: SpecEntry?
        for (key, entry) in fields.written {
            switch key {
            case .mountPath: mountPathEntry = entry
            case .role: roleEntry = entry
            case .roles: rolesEntry = entry
            case .secretRef: secretRefEntry = entry
            case .roleId: roleIdEntry = entry
            case .roleIdKey: roleIdKeyEntry = entry
            case .tokenTTL: tokenTTLEntry = entry
            case .secretIdTTL: secretIdTTLEntry = entry
            }
        }
        let timing = (mountPath: mountPathEntry, tokenTTL: tokenTTLEntry, secretIdTTL: secretIdTTLEntry)
        let role = roleEntry.flatMap { reader.vaultName($0.value, "role name") }
        vaultSites.role = role?.range
        let roles = rolesEntry.map { namespaceNames($0, "'appRole.roles'", what: "role", base: role?.value) }
        let secretRef = secretRefEntry.flatMap {
            secretReference($0, "'appRole.secretRef'", namespaced: namespaced)
        }
        if let roleIdEntry {
            let fixed = fixedRoleID(roleIdEntry, roleIdKeyEntry, namespaced: namespaced)
            return appRole(
                timing, role: role, roles: roles, secretRef: secretRef, roleId: fixed.map { .fixed($0) })
        }
        var roleIdKey: String? = SpecDefaults.roleIdKey
        if let node = roleIdKeyEntry?.value {
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
        return appRole(
            timing, role: role, roles: roles, secretRef: secretRef, roleId: roleIdKey.map { .secretKey($0) })
    }

    /// The AppRole settings once the role-id's place is known; `entries` are the written
    /// `mountPath`, `tokenTTL` and `secretIdTTL`.
    mutating func appRole(
        _ entries: (mountPath: SpecEntry?, tokenTTL: SpecEntry?, secretIdTTL: SpecEntry?), role: Located<String>?,
        roles: [String: String]??, secretRef: SecretKeyReference?, roleId: AppRoleID?
    ) -> AppRoleAuth? {
        let mountPath = entries.mountPath.map { authMount($0.value) } ?? SpecDefaults.appRoleMount
        let tokenTTL = entries.tokenTTL.map { reader.duration($0.value, "'tokenTTL'")?.value }
        let secretIdTTL = entries.secretIdTTL.map { node -> GoDuration? in
            let ttl = reader.duration(node.value, "'secretIdTTL'")
            if let ttl { warnIfNeverExpires(ttl) }
            return ttl?.value
        }
        guard let mountPath, let role, let secretRef, let roleId, tokenTTL != .some(nil), secretIdTTL != .some(nil),
            roles != .some(nil)
        else { return nil }
        return AppRoleAuth(
            mountPath: mountPath,
            role: role.value,
            namespaceRoles: (roles ?? nil) ?? [:],
            secretRef: secretRef,
            roleId: roleId,
            tokenTTL: tokenTTL ?? nil,
            secretIdTTL: (secretIdTTL ?? nil) ?? SpecDefaults.secretIdTTL
        )
    }

    /// `appRole.roleId`: a fixed role-id of letters, digits, '-', '_' and '.'.
    ///
    /// Vault keeps a role-id unique per mount, so SecretStore mode (a role per namespace) cannot share one.
    mutating func fixedRoleID(_ entry: SpecEntry, _ roleIdKey: SpecEntry?, namespaced: Bool) -> String? {
        if let roleIdKey {
            reader.report(
                .conflictingKeys, "'roleIdKey' has no use with 'roleId': the Secret holds only the secret-id",
                at: roleIdKey.key.range, help: "remove 'roleIdKey'")
            return nil
        }
        if namespaced {
            reader.report(
                .conflictingKeys, "'roleId' is one role-id, but SecretStore mode writes a role per namespace",
                at: entry.key.range,
                help: "remove 'roleId': each namespace's role-id is then read from Vault and stored with its secret-id")
            return nil
        }
        guard let value = reader.line(entry.value, "'roleId'") else { return nil }
        guard value.value.count <= 128,
            value.value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
        else {
            reader.report(
                .invalidValue, "invalid role-id '\(value.value)'", at: value.range,
                help: "write at most 128 letters, digits, '-', '_' and '.', such as a UUID")
            return nil
        }
        return value.value
    }

    /// An auth method's mount path, refused where Vault keeps its own token store.
    mutating func authMount(_ node: SpecNode) -> String? {
        guard let path = reader.vaultPath(node, "the auth mount") else { return nil }
        return checkMount(path, reserved: Self.reservedAuthMounts, "auth mount") ? path.value : nil
    }
}

/// The spec's `vault.auth.userPass`: a Vault user whose password the bootstrap script generates.
extension ModelBuilder {
    mutating func userPassAuth(_ entry: SpecEntry, namespaced: Bool) -> UserPassAuth? {
        guard
            let fields = reader.fields(
                entry.value, "'auth.userPass'", anchor: entry.key.range, keys: SpecKey.UserPass.self,
                namespaced: namespaced)
        else { return nil }
        var mountPathEntry: SpecEntry?
        var usernameEntry: SpecEntry?
        var usernamesEntry: SpecEntry?
        var secretRefEntry: SpecEntry?
        var tokenTTLEntry: SpecEntry?
        for (key, entry) in fields.written {
            switch key {
            case .mountPath: mountPathEntry = entry
            case .username: usernameEntry = entry
            case .usernames: usernamesEntry = entry
            case .secretRef: secretRefEntry = entry
            case .tokenTTL: tokenTTLEntry = entry
            }
        }
        let mountPath = mountPathEntry.map { authMount($0.value) } ?? SpecDefaults.userPassMount
        let username = usernameEntry.flatMap { reader.vaultName($0.value, "username") }
        vaultSites.role = username?.range
        let usernames = usernamesEntry.map {
            namespaceNames($0, "'userPass.usernames'", what: "user", base: username?.value)
        }
        let secretRef = secretRefEntry.flatMap {
            secretReference($0, "'userPass.secretRef'", namespaced: namespaced)
        }
        let ttl = tokenTTLEntry.map { reader.duration($0.value, "'tokenTTL'")?.value }
        guard let mountPath, let username, let secretRef, ttl != .some(nil), usernames != .some(nil) else {
            return nil
        }
        return UserPassAuth(
            mountPath: mountPath, username: username.value, namespaceUsernames: (usernames ?? nil) ?? [:],
            secretRef: secretRef, tokenTTL: ttl ?? nil)
    }
}
