/// The spec's `vault.auth` block: exactly one of token, kubernetes, appRole and jwt auth (jwt in
/// ModelBuilder+JWT).
extension ModelBuilder {
    /// The shortest token period a CronJob can renew in time, in seconds.
    static let minimumTokenPeriod = 600.0

    mutating func authMethod(_ entry: SpecEntry, store: StoreConfiguration?) -> AuthMethod? {
        guard let fields = reader.fields(entry.value, "'vault.auth'", anchor: entry.key.range, keys: SpecKey.Auth.self),
            let method = reader.exactlyOne(of: fields, naming: ("auth method", "auth methods"), anchor: entry.key.range)
        else { return nil }
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
                path: "secretRef",
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
            case .name: name = reader.text(entry, field, of: fields)
            case .key: key = reader.text(entry, field, of: fields)
            case .namespace:
                namespace = referenceNamespace(
                    entry, field, of: fields, namespaced: namespaced,
                    refusal: "a SecretStore's credential lives in each app namespace; '\(context)' takes no namespace")
            }
        }
        guard let name, let key else { return nil }
        return SecretKeyReference(name: name.value, key: key.value, namespace: namespace?.value)
    }

    /// The `namespace` of an object a store references, which only a ClusterSecretStore names (a
    /// SecretStore's objects live in its own namespace): `nil` when refused or invalid (reported).
    mutating func referenceNamespace<Key: ShapedKeySet>(
        _ entry: SpecEntry, _ key: Key, of fields: KeyedFields<Key>, namespaced: Bool, refusal: String,
        help: String? = nil
    ) -> Located<String>? {
        guard !namespaced else {
            reader.report(.conflictingKeys, refusal, at: entry.key.range, help: help ?? "remove 'namespace'")
            return nil
        }
        let namespace = reader.text(entry, key, of: fields)
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
                path: "token", in: "auth",
                anchor: entry.key.range,
                keys: SpecKey.Token.self
            )
        else { return nil }
        var period: Located<GoDuration>?
        var secretRef: SecretKeyReference?
        var renewal: (schedule: String?, image: String) = (nil, SpecDefaults.renewalImage)
        for (key, entry) in fields.written {
            switch key {
            case .period: period = tokenPeriod(entry, of: fields)
            case .secretRef: secretRef = secretReference(entry, fields.name(of: .secretRef), namespaced: namespaced)
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
    mutating func tokenPeriod(_ entry: SpecEntry, of fields: KeyedFields<SpecKey.Token>) -> Located<GoDuration>? {
        guard let period = reader.duration(entry, .period, of: fields) else { return nil }
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
                entry.value, path: "renewal", in: "token", anchor: entry.key.range, keys: SpecKey.Renewal.self)
        else { return nil }
        var renewal: (schedule: String?, image: String) = (nil, SpecDefaults.renewalImage)
        for (key, entry) in fields.written {
            switch key {
            case .schedule: renewal.schedule = cronSchedule(entry.value, fields.name(of: key))
            case .image: renewal.image = imageReference(entry.value, fields.name(of: key)) ?? renewal.image
            }
        }
        return renewal
    }

    mutating func kubernetesAuth(_ entry: SpecEntry, namespaced: Bool) -> KubernetesAuth? {
        guard
            let fields = reader.fields(
                entry.value, path: "kubernetes", in: "auth", anchor: entry.key.range,
                keys: SpecKey.Kubernetes.self)
        else { return nil }
        var written = LoginEntries()
        var audienceEntry: SpecEntry?
        var tokenReviewerEntry: SpecEntry?
        for (key, entry) in fields.written {
            switch key {
            case .mountPath: written.mountPath = entry
            case .ownsMount: written.ownsMount = entry
            case .role: written.role = entry
            case .roles: written.roles = entry
            case .serviceAccountRef: written.serviceAccountRef = entry
            case .audience: audienceEntry = entry
            case .tokenTTL: written.tokenTTL = entry
            case .tokenReviewer: tokenReviewerEntry = entry
            }
        }
        let login = login(
            written, of: fields, method: entry, namespaced: namespaced, mount: SpecDefaults.kubernetesMount)
        let mark = reader.errorCount
        let audience = audienceEntry.flatMap { reader.text($0, .audience, of: fields)?.value }
        let reviewer = tokenReviewerEntry.flatMap {
            reader.choice($0, .tokenReviewer, of: fields, as: TokenReviewer.self)
        }
        if namespaced, reviewer == .client, let entry = tokenReviewerEntry {
            warnIfClientReviewerForTenants(entry.value.range)
        }
        guard !reader.reportedErrors(since: mark), let login else { return nil }
        return KubernetesAuth(
            mountPath: login.mountPath, ownsMount: login.ownsMount, role: login.role,
            namespaceRoles: login.namespaceRoles, serviceAccountName: login.account.name,
            serviceAccountNamespace: login.account.namespace, operatorAccount: login.account.isOperator,
            audience: audience, tokenTTL: login.tokenTTL, tokenReviewer: reviewer ?? .vault)
    }

    /// The written entries of the keys Kubernetes and JWT auth share (`LoginKeySet`).
    struct LoginEntries {
        var mountPath, ownsMount, role, roles, serviceAccountRef, tokenTTL: SpecEntry?
    }

    /// What Kubernetes and JWT auth share, read once for both: the mount, whether Keyway owns it,
    /// the role (and per namespace), the service account ESO presents, the tokens' TTL.
    struct Login {
        var mountPath: String
        var ownsMount: Bool
        var role: String
        var namespaceRoles: [String: String]
        var account: (name: String, namespace: String?, isOperator: Bool)
        var tokenTTL: GoDuration?
    }

    /// Reads the keys of `LoginKeySet` through either auth's table; `nil` when one is invalid (reported).
    mutating func login<Key: LoginKeySet>(
        _ written: LoginEntries, of fields: KeyedFields<Key>, method: SpecEntry, namespaced: Bool, mount: String
    ) -> Login? {
        let mark = reader.errorCount
        let mountPath = written.mountPath.map { authMount($0, .mountPath, of: fields) } ?? mount
        let ownsMount = written.ownsMount.flatMap { reader.bool($0, .ownsMount, of: fields) } ?? false
        let role = written.role.flatMap { reader.text($0, .role, of: fields) }
        vaultSites.role = role?.range
        let roles = written.roles.flatMap { namespaceNames($0, .roles, of: fields, what: "role", base: role?.value) }
        let account = loginAccount(
            written.serviceAccountRef, fields.name(of: .serviceAccountRef), method: method, namespaced: namespaced)
        let ttl = written.tokenTTL.flatMap { reader.duration($0, .tokenTTL, of: fields) }
        // Every problem above is an error: then there is no login to build.
        guard !reader.reportedErrors(since: mark), let mountPath, let role, let account else { return nil }
        return Login(
            mountPath: mountPath, ownsMount: ownsMount, role: role.value, namespaceRoles: roles ?? [:],
            account: account, tokenTTL: ttl?.value)
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
                entry.value, context, path: "serviceAccountRef", anchor: entry.key.range,
                keys: SpecKey.ServiceAccountRef.self,
                namespaced: namespaced)
        else { return nil }
        var name: Located<String>?
        var namespace: Located<String>?
        for (key, entry) in ref.written {
            switch key {
            case .name: name = reader.text(entry, key, of: ref)
            case .namespace:
                namespace = referenceNamespace(
                    entry, key, of: ref, namespaced: namespaced,
                    refusal:
                        "a SecretStore logs in as the service account of its own namespace; 'serviceAccountRef' takes no namespace"
                )
            }
        }
        guard let name else { return nil }
        if name.value == KubernetesDefaults.serviceAccount {
            reader.report(
                .defaultServiceAccountLogin,
                "ESO would log in as the '\(name.value)' service account, which every pod of \(namespace.map { "namespace '\($0.value)'" } ?? "each namespace") naming no other runs as",
                at: name.range,
                help:
                    "any of those pods can log in to this role and read what the store reads: give ESO's login a service account of its own"
            )
        }
        return (name.value, namespace?.value)
    }

    mutating func appRoleAuth(_ entry: SpecEntry, namespaced: Bool) -> AppRoleAuth? {
        guard
            let fields = reader.fields(
                entry.value,
                path: "appRole", in: "auth",
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
        let mark = reader.errorCount
        let mountPath = mountPathEntry.map { authMount($0, .mountPath, of: fields) } ?? SpecDefaults.appRoleMount
        let role = roleEntry.flatMap { reader.text($0, .role, of: fields) }
        vaultSites.role = role?.range
        let roles = rolesEntry.flatMap { namespaceNames($0, .roles, of: fields, what: "role", base: role?.value) }
        let secretRef = secretRefEntry.flatMap {
            secretReference($0, fields.name(of: .secretRef), namespaced: namespaced)
        }
        let roleId: AppRoleID? =
            if let roleIdEntry {
                fixedRoleID(roleIdEntry, roleIdKeyEntry, of: fields, namespaced: namespaced).map { .fixed($0) }
            } else {
                roleIdKey(roleIdKeyEntry, of: fields, secretRef: secretRef, method: entry).map { .secretKey($0) }
            }
        let tokenTTL = tokenTTLEntry.flatMap { reader.duration($0, .tokenTTL, of: fields) }
        let secretIdTTL = secretIdTTLEntry.flatMap { reader.duration($0, .secretIdTTL, of: fields) }
        if let secretIdTTL { warnIfNeverExpires(secretIdTTL) }
        // Any problem above is reported as an error, so no model is built.
        guard !reader.reportedErrors(since: mark), let mountPath, let role, let secretRef, let roleId else {
            return nil
        }
        return AppRoleAuth(
            mountPath: mountPath, role: role.value, namespaceRoles: roles ?? [:], secretRef: secretRef,
            roleId: roleId, tokenTTL: tokenTTL?.value, secretIdTTL: secretIdTTL?.value ?? SpecDefaults.secretIdTTL)
    }

    /// The key of the credential's Secret holding the role-id (`roleIdKey`, default `role-id`),
    /// distinct from the secret-id's.
    mutating func roleIdKey(
        _ entry: SpecEntry?, of fields: KeyedFields<SpecKey.AppRole>, secretRef: SecretKeyReference?,
        method: SpecEntry
    ) -> String? {
        guard let entry else {
            guard secretRef?.key == SpecDefaults.roleIdKey else { return SpecDefaults.roleIdKey }
            reader.report(
                .conflictingKeys, "'secretRef.key' is '\(SpecDefaults.roleIdKey)', the default key of the role-id",
                at: method.key.range,
                help: "set 'roleIdKey' to another key")
            return nil
        }
        guard let key = reader.text(entry, .roleIdKey, of: fields) else { return nil }
        if let secretRef, key.value == secretRef.key {
            reader.report(
                .conflictingKeys, "'roleIdKey' and 'secretRef.key' are both '\(key.value)'", at: key.range,
                help: "the role-id and the secret-id need keys of their own")
            return nil
        }
        return key.value
    }

    /// `appRole.roleId`: a fixed role-id of letters, digits, '-', '_' and '.'.
    ///
    /// Vault keeps a role-id unique per mount, so SecretStore mode (a role per namespace) cannot share one.
    mutating func fixedRoleID(
        _ entry: SpecEntry, _ roleIdKey: SpecEntry?, of fields: KeyedFields<SpecKey.AppRole>, namespaced: Bool
    ) -> String? {
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
        guard let value = reader.text(entry, .roleId, of: fields) else { return nil }
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
    mutating func authMount<Key: ShapedKeySet>(_ entry: SpecEntry, _ key: Key, of fields: KeyedFields<Key>) -> String? {
        guard let path = reader.text(entry, key, of: fields) else { return nil }
        return checkMount(path, reserved: Self.reservedAuthMounts, "auth mount") ? path.value : nil
    }
}

/// The spec's `vault.auth.userPass`: a Vault user whose password the bootstrap script generates.
extension ModelBuilder {
    mutating func userPassAuth(_ entry: SpecEntry, namespaced: Bool) -> UserPassAuth? {
        guard
            let fields = reader.fields(
                entry.value, path: "userPass", in: "auth", anchor: entry.key.range, keys: SpecKey.UserPass.self,
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
        let mark = reader.errorCount
        let mountPath = mountPathEntry.map { authMount($0, .mountPath, of: fields) } ?? SpecDefaults.userPassMount
        let username = usernameEntry.flatMap { reader.text($0, .username, of: fields) }
        vaultSites.role = username?.range
        let usernames = usernamesEntry.flatMap {
            namespaceNames($0, .usernames, of: fields, what: "user", base: username?.value)
        }
        let secretRef = secretRefEntry.flatMap {
            secretReference($0, fields.name(of: .secretRef), namespaced: namespaced)
        }
        let ttl = tokenTTLEntry.flatMap { reader.duration($0, .tokenTTL, of: fields) }
        guard !reader.reportedErrors(since: mark), let mountPath, let username, let secretRef else { return nil }
        return UserPassAuth(
            mountPath: mountPath, username: username.value, namespaceUsernames: usernames ?? [:],
            secretRef: secretRef, tokenTTL: ttl?.value)
    }
}
