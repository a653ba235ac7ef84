/// The spec's `vault.auth.jwt`: ESO's service account token, checked by Vault's JWT auth.
extension ModelBuilder {
    mutating func jwtAuth(_ entry: SpecEntry, namespaced: Bool) -> JWTAuth? {
        guard
            let fields = reader.fields(
                entry.value, path: "jwt", in: "auth", anchor: entry.key.range, keys: SpecKey.JWT.self)
        else { return nil }
        var written = LoginEntries()
        var audiencesEntry: SpecEntry?
        var boundIssuerEntry: SpecEntry?
        for (key, entry) in fields.written {
            switch key {
            case .mountPath: written.mountPath = entry
            case .ownsMount: written.ownsMount = entry
            case .role: written.role = entry
            case .roles: written.roles = entry
            case .serviceAccountRef: written.serviceAccountRef = entry
            case .audiences: audiencesEntry = entry
            case .boundIssuer: boundIssuerEntry = entry
            case .tokenTTL: written.tokenTTL = entry
            }
        }
        let login = login(written, of: fields, method: entry, namespaced: namespaced, mount: SpecDefaults.jwtMount)
        let audiences = audiencesEntry.flatMap { audienceList($0, of: fields) }
        let issuer = boundIssuerEntry.flatMap { reader.text($0, .boundIssuer, of: fields) }
        if let issuer { warnIfDefaultIssuer(issuer) }
        guard let login, let audiences, let issuer else { return nil }
        return JWTAuth(
            mountPath: login.mountPath, ownsMount: login.ownsMount, role: login.role,
            namespaceRoles: login.namespaceRoles, serviceAccountName: login.account.name,
            serviceAccountNamespace: login.account.namespace, operatorAccount: login.account.isOperator,
            audiences: audiences, boundIssuer: issuer.value, tokenTTL: login.tokenTTL)
    }

    /// `jwt.audiences`: one or more distinct one-line strings.
    mutating func audienceList(_ entry: SpecEntry, of fields: KeyedFields<SpecKey.JWT>) -> [String]? {
        let what = fields.name(of: .audiences)
        guard let items = reader.strings(entry.value, what) else { return nil }
        guard !items.isEmpty else {
            reader.report(
                .invalidValue, "\(what) is empty", at: entry.value.range,
                help:
                    "list the audiences ESO requests for its token, e.g. [vault]: Vault's JWT role refuses a token whose audience it does not know"
            )
            return nil
        }
        // A problem below is an error, so no model is built: the list is returned as written.
        var seen = Set<String>()
        for item in items {
            if item.value.isEmpty || !Syntax.isSingleLinePrintable(item.value) {
                reader.report(
                    .invalidValue, "an audience is empty or not one line of text", at: item.range,
                    help: "write each audience on one line")
            } else if !seen.insert(item.value).inserted {
                reader.report(
                    .duplicateKey, "duplicate audience '\(item.value)'", at: item.range, help: "list each audience once"
                )
            }
        }
        return items.map(\.value)
    }
}
