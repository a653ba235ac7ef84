/// The spec's `vault.auth.jwt`: ESO's service account token, checked by Vault's JWT auth.
extension ModelBuilder {
    mutating func jwtAuth(_ entry: SpecEntry, namespaced: Bool) -> JWTAuth? {
        guard let fields = reader.fields(entry.value, "'auth.jwt'", anchor: entry.key.range, keys: SpecKey.JWT.self)
        else { return nil }
        var mountPathEntry: SpecEntry?
        var ownsMountEntry: SpecEntry?
        var roleEntry: SpecEntry?
        var rolesEntry: SpecEntry?
        var serviceAccountRefEntry: SpecEntry?
        var audiencesEntry: SpecEntry?
        var boundIssuerEntry: SpecEntry?
        var tokenTTLEntry: SpecEntry?
        for (key, entry) in fields.written {
            switch key {
            case .mountPath: mountPathEntry = entry
            case .ownsMount: ownsMountEntry = entry
            case .role: roleEntry = entry
            case .roles: rolesEntry = entry
            case .serviceAccountRef: serviceAccountRefEntry = entry
            case .audiences: audiencesEntry = entry
            case .boundIssuer: boundIssuerEntry = entry
            case .tokenTTL: tokenTTLEntry = entry
            }
        }
        let mountPath = mountPathEntry.map { authMount($0.value) } ?? SpecDefaults.jwtMount
        let ownsMount = ownsMountEntry.map { reader.bool($0.value, "'ownsMount'") } ?? false
        let role = roleEntry.flatMap { reader.vaultName($0.value, "role name") }
        vaultSites.role = role?.range
        let roles = rolesEntry.map { namespaceNames($0, "'jwt.roles'", what: "role", base: role?.value) }
        let account = loginAccount(
            serviceAccountRefEntry, "'jwt.serviceAccountRef'", method: entry, namespaced: namespaced)
        let audiences = audiencesEntry.flatMap { audienceList($0.value) }
        let issuer = boundIssuerEntry.flatMap { reader.line($0.value, "'boundIssuer'") }
        if let issuer { warnIfDefaultIssuer(issuer) }
        let ttl = tokenTTLEntry.map { reader.duration($0.value, "'tokenTTL'")?.value }
        guard let mountPath, let ownsMount, let role, let account, let audiences, let issuer, ttl != .some(nil),
            roles != .some(nil)
        else {
            return nil
        }
        return JWTAuth(
            mountPath: mountPath,
            ownsMount: ownsMount,
            role: role.value,
            namespaceRoles: (roles ?? nil) ?? [:],
            serviceAccountName: account.name,
            serviceAccountNamespace: account.namespace,
            operatorAccount: account.isOperator,
            audiences: audiences,
            boundIssuer: issuer.value,
            tokenTTL: ttl ?? nil
        )
    }

    /// `jwt.audiences`: one or more distinct one-line strings.
    mutating func audienceList(_ node: SpecNode) -> [String]? {
        guard let items = reader.strings(node, "'audiences'") else { return nil }
        guard !items.isEmpty else {
            reader.report(
                .invalidValue, "'audiences' is empty", at: node.range,
                help:
                    "list the audiences ESO requests for its token, e.g. [vault]: Vault's JWT role refuses a token whose audience it does not know"
            )
            return nil
        }
        var seen = Set<String>()
        var ok = true
        for item in items {
            if item.value.isEmpty || !Syntax.isSingleLinePrintable(item.value) {
                reader.report(
                    .invalidValue, "an audience is empty or not one line of text", at: item.range,
                    help: "write each audience on one line")
                ok = false
            } else if !seen.insert(item.value).inserted {
                reader.report(
                    .duplicateKey, "duplicate audience '\(item.value)'", at: item.range, help: "list each audience once"
                )
                ok = false
            }
        }
        return ok ? items.map(\.value) : nil
    }
}
