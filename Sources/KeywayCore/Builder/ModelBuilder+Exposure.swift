/// `expose: {env: {VAR: KEY}}`, and the apps with secrets only (no workload in the spec).
extension ModelBuilder {
    /// `expose.env`: each variable a valid name, each key a valid Secret key; `nil` when one is not.
    mutating func namedVariables(_ entry: SpecEntry) -> Exposure? {
        guard case .mapping(let mapping) = entry.value, !mapping.entries.isEmpty else {
            reader.report(
                .wrongType, "expected a mapping of variables for 'expose.env', found \(entry.value.kindDescription)",
                at: entry.value.range,
                help:
                    "write each variable with the Secret's key it reads, e.g. 'env: {PAPERLESS_DBPASS: POSTGRES_PASSWORD}'"
            )
            return nil
        }
        var variables: [EnvVariable] = []
        let mark = reader.errorCount
        for variable in mapping.entries {
            guard Syntax.isEnvVarName(variable.key.text) else {
                reader.report(
                    .invalidKubernetesName, "'\(variable.key.text)' is not a valid environment variable name",
                    at: variable.key.range,
                    help: "use letters, digits, '_', '-' and '.', not starting with a digit")
                continue
            }
            guard let key = reader.secretKey(variable.value, "key of variable '\(variable.key.text)'") else {
                continue
            }
            variables.append(EnvVariable(name: variable.key.text, key: key.value))
        }
        return reader.reportedErrors(since: mark) ? nil : .envNamed(variables)
    }

    /// The Secret keys `expose.env` names, with their places (none when `expose` is not that form).
    func envKeyPlaces(_ expose: SpecNode) -> [Located<String>] {
        guard case .mapping(let fields) = expose,
            case .mapping(let env)? = fields.entries.first(where: { $0.key.text == SpecKey.Expose.env.rawValue })?.value
        else { return [] }
        return env.entries.compactMap { variable in
            guard case .scalar(let key) = variable.value else { return nil }
            return Located(key.text, at: key.range)
        }
    }

    /// Each key `expose.env` reads must be one the Secret has, where its keys are known (`keys:`,
    /// a template's data); an `extract` or `find` Secret's keys come from Vault and are not checked.
    mutating func checkEnvKeys(_ places: [Located<String>], against keys: [String]?, of context: String) -> Bool {
        guard let keys else { return true }
        let known = Set(keys)
        var unknown = 0
        for place in places where !known.contains(place.value) {
            // The help is built only for a diagnostic that is kept, and both parts are bounded.
            unknown += 1
            reader.report(
                .envKeyUnknown, "\(context) has no key '\(place.value)' for 'expose.env'", at: place.range,
                help: Syntax.didYouMean(place.value, among: keys) ?? "its keys are: " + Syntax.quotedNames(keys))
        }
        return unknown == 0
    }

    /// On an app with secrets only, a secret's `expose`, `containers` and `use` wire it into a pod
    /// the spec does not have: refused.
    mutating func refuseWiring(_ fields: KeyedFields<SpecKey.Secret>, app: String, context: String) {
        for key in [SpecKey.Secret.expose, .containers, .use] {
            guard let entry = fields[key] else { continue }
            reader.report(
                .secretsOnlyKey,
                "'\(key.rawValue)' of \(context) wires it into a pod, but app '\(app)' has no workload in the spec",
                at: entry.key.range,
                help: "remove it; or give the app 'containers', or name its workload with 'workload:'")
        }
    }

    /// Refuses `reload`, `reloadOptions` and `patch` on an app with secrets only: they act on no workload.
    ///
    /// Returns whether none is written.
    mutating func refuseWorkloadKeys(_ fields: KeyedFields<SpecKey.App>, app: String) -> Bool {
        var ok = true
        for key in SpecKey.App.workloadOnlyKeys {
            guard let entry = fields[key] else { continue }
            reader.report(
                .secretsOnlyKey, "'\(key.rawValue)' acts on a workload, but app '\(app)' has none in the spec",
                at: entry.key.range,
                help: "remove it; or give the app 'containers', or name its workload with 'workload:'")
            ok = false
        }
        return ok
    }

    /// Whether an app declares no workload: neither `workload` nor `containers` nor a key that
    /// shapes one, and has secrets.
    static func hasSecretsOnly(_ fields: KeyedFields<SpecKey.App>) -> Bool {
        fields[.workload] == nil && fields[.containers] == nil && fields[.secrets] != nil
            && SpecKey.App.ownedWorkloadShape.allSatisfy { fields[$0] == nil }
    }
}

extension Exposure {
    /// Whether this is `expose: {env: {VAR: KEY}}`.
    var isEnvNamed: Bool {
        if case .envNamed = self { return true }
        return false
    }
}
