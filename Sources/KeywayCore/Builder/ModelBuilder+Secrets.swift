/// The secrets of an app: each ExternalSecret's target, policies, Vault source and exposure.
extension ModelBuilder {
    mutating func secret(
        _ entry: SpecEntry,
        app: String,
        containers: [String]?,
        defaults: DefaultSettings,
        into paths: inout [Located<String>]
    ) -> (model: AppSecret, located: LocatedSecret)? {
        let nameValue = Located(entry.key.text, at: entry.key.range)
        let name = reader.checkSubdomain(nameValue, "ExternalSecret name")
        let context = "secret '\(entry.key.text)'"
        guard let fields = reader.fields(entry.value, context, anchor: entry.key.range, keys: SpecKey.Secret.self)
        else { return nil }
        if containers == nil {
            refuseWiring(fields, app: app, context: context)
            if fields[.use] != nil { return nil }
        }
        if let use = fields[.use], let containers {
            return usedSecret(fields, use: use, name: name, app: app, context: context, containers: containers)
        }
        let target = fields[.target].map { reader.subdomain($0.value, "target Secret name") } ?? name
        let interval =
            fields[.refreshInterval].map { refreshInterval($0.value) } ?? defaults.refreshInterval
            ?? SpecDefaults.refreshInterval
        let creation =
            fields[.creationPolicy].map { reader.choice($0.value, "creationPolicy", CreationPolicy.allCases) }
            ?? SpecDefaults.creationPolicy
        let deletion = fields[.deletionPolicy].map { deletionPolicy($0, creation: creation) } ?? .some(nil)
        let mount = fields[.mount].map { secretMount($0) } ?? 0
        currentMount = mount ?? 0
        let source = vaultSource(fields, anchor: entry.key.range, context: context, into: &paths)
        let shape = secretShape(fields, source: source, context: context)
        let exposure: Exposure?
        let chosen: [String]?
        if let containers {
            exposure =
                fields[.expose].map { secretExposure($0, source: source, shape: shape, context: context) } ?? .envFrom
            chosen = exposedContainers(fields, exposure: exposure, app: app, context: context, among: containers)
        } else {
            // An app with secrets only: nothing in the spec reads the Secret.
            exposure = Exposure.none
            chosen = []
        }
        guard let name, let target, let interval, let creation, let deletion, let source, let shape, let exposure,
            let chosen, let mount
        else { return nil }
        let model = AppSecret(
            name: name.value,
            target: target.value,
            refreshInterval: interval,
            creationPolicy: creation,
            deletionPolicy: deletion,
            source: source,
            exposure: exposure,
            containers: chosen,
            template: shape.template,
            refreshPolicy: shape.refreshPolicy,
            immutable: shape.immutable,
            rewrite: shape.rewrite,
            mountIndex: mount
        )
        return (model, LocatedSecret(name: name, target: target, expose: fields[.expose]?.value.range))
    }

    /// `mount`: one of the mounts of `vault.kv`, as its index (any, unchecked, when `vault.kv` is invalid).
    mutating func secretMount(_ entry: SpecEntry) -> Int? {
        guard let path = reader.vaultPath(entry.value, "the secret's KV mount") else { return nil }
        guard let paths = kvMountPaths else { return 0 }
        if let index = paths.firstIndex(of: path.value) { return index }
        reader.report(
            .unknownMount, "KV mount '\(path.value)' is not one of 'vault.kv'", at: path.range,
            help: "name one of \(paths.map { "'\($0)'" }.joined(separator: ", "))")
        return nil
    }

    /// The containers a secret reaches: `containers`, else all.
    ///
    /// None for `none` and `imagePullSecret` (which refuse `containers`). `nil` when that is a
    /// problem (reported).
    mutating func exposedContainers(
        _ fields: KeyedFields<SpecKey.Secret>, exposure: Exposure?, app: String, context: String,
        among containers: [String]
    ) -> [String]? {
        let entry = fields[.containers]
        switch exposure {
        case .none?, .imagePullSecret?:
            guard let entry else { return [] }
            reader.report(
                .conflictingKeys, "'containers' of \(context) reaches no container: the secret is not exposed to them",
                at: entry.key.range,
                help: "remove 'containers', or expose the secret as envFrom, env or a volume")
            return nil
        case .envFrom?, .env?, .envNamed?, .volume?, nil:
            let chosen = entry.map { secretContainers($0, app: app, context: context, among: containers) } ?? containers
            if chosen.isEmpty, entry == nil, exposure != nil {
                reader.report(
                    .exposeNeedsContainers,
                    "\(context) of app '\(app)' is exposed to containers, but the app names none",
                    at: fields[.expose]?.value.range ?? fields.fields.anchor,
                    help: "list the workload's containers under 'workload.containers', or use 'expose: none'")
            }
            return chosen.isEmpty ? nil : chosen
        }
    }

    /// A `use: APP` entry: only `use`, `expose` and `containers`; its target and source come
    /// from the other app's secret when `use` entries are resolved.
    mutating func usedSecret(
        _ fields: KeyedFields<SpecKey.Secret>, use: SpecEntry, name: Located<String>?, app: String, context: String,
        containers: [String]
    ) -> (model: AppSecret, located: LocatedSecret)? {
        var ok = true
        var envKeys: [Located<String>] = []
        for entry in fields.entries where !SpecKey.Secret.useKeys.contains(where: { $0.rawValue == entry.key.text }) {
            reader.report(
                .conflictingKeys, "'\(entry.key.text)' cannot be set on \(context), which uses another app's secret",
                at: entry.key.range,
                help:
                    "a 'use' entry takes only 'use', 'expose' and 'containers'; set the rest where the secret is defined"
            )
            ok = false
        }
        let owner = reader.dnsLabel(use.value, "app name")
        let exposure = fields[.expose].map { self.exposure($0.value) } ?? .envFrom
        if case .envNamed? = exposure, let expose = fields[.expose] {
            // Checked against the used secret's keys once `use` entries are resolved.
            envKeys = envKeyPlaces(expose.value)
        }
        let chosen = exposedContainers(fields, exposure: exposure, app: app, context: context, among: containers)
        guard ok, let name, let owner, let exposure, let chosen else { return nil }
        let model = AppSecret(
            name: name.value, target: name.value, refreshInterval: SpecDefaults.refreshInterval,
            creationPolicy: SpecDefaults.creationPolicy,
            deletionPolicy: nil, source: .keys([]), exposure: exposure, containers: chosen,
            origin: .shared(from: owner.value))
        return (
            model,
            LocatedSecret(name: name, target: name, use: owner, expose: fields[.expose]?.value.range, envKeys: envKeys)
        )
    }

    /// A secret's `deletionPolicy`, checked against its creation policy: `.some(nil)` is none
    /// written, `nil` an invalid one (already reported).
    mutating func deletionPolicy(_ entry: SpecEntry, creation: CreationPolicy?) -> DeletionPolicy?? {
        guard let chosen = reader.choice(entry.value, "deletionPolicy", DeletionPolicy.allCases) else { return nil }
        guard let creation else { return .some(chosen) }
        if chosen == .delete, creation != .owner {
            reader.report(
                .deletionPolicyConflict,
                "deletionPolicy 'Delete' needs creationPolicy 'Owner', found '\(creation.rawValue)'",
                at: entry.value.range,
                help: "ESO deletes only Secrets it owns: set 'creationPolicy: Owner' or choose 'Retain'"
            )
            return nil
        }
        if chosen == .merge, creation == .none {
            reader.report(
                .deletionPolicyConflict,
                "deletionPolicy 'Merge' cannot be used with creationPolicy 'None'",
                at: entry.value.range,
                help: "with 'None' there is no Secret to merge into; choose 'Retain'"
            )
            return nil
        }
        return .some(chosen)
    }

    /// The one Vault source a secret names: exactly one of `extract`, `keys`, `find`.
    mutating func vaultSource(
        _ fields: KeyedFields<SpecKey.Secret>,
        anchor: SourceRange,
        context: String,
        into paths: inout [Located<String>]
    ) -> SecretSource? {
        let sources = fields.entries(of: SpecKey.SecretSource.self)
        guard sources.count == 1, let chosen = sources.first else {
            reader.report(
                .conflictingKeys,
                sources.isEmpty
                    ? "\(context) names no Vault source" : "\(context) names \(sources.count) Vault sources",
                at: sources.dropFirst().first?.entry.key.range ?? anchor,
                help: "write exactly one of \(SpecKey.SecretSource.quotedList)"
            )
            return nil
        }
        return secretSource(chosen.key, chosen.entry, context: context, into: &paths)
    }

    /// A secret's `expose`; `env` needs the Secret's keys known (`keys:`, or a template's data),
    /// each a valid variable name.
    mutating func secretExposure(_ entry: SpecEntry, source: SecretSource?, shape: SecretShape?, context: String)
        -> Exposure?
    {
        let exposure = self.exposure(entry.value)
        guard exposure == .env || exposure?.isEnvNamed == true, let source, let shape else { return exposure }
        var fetched: [String]?
        if case .keys(let keys) = source { fetched = keys.map(\.name) }
        let outputKeys = AppSecret.outputKeys(fetched: fetched, template: shape.template)
        if exposure?.isEnvNamed == true {
            return checkEnvKeys(envKeyPlaces(entry.value), against: outputKeys, of: context) ? exposure : nil
        }
        guard let keys = outputKeys else {
            reader.report(
                .exposeNeedsKeys,
                "'expose: env' needs the secret's keys, but \(context) has none listed",
                at: entry.value.range,
                help: shape.template == nil
                    ? "list them under 'keys:', or use 'expose: envFrom'"
                    : "list them under 'keys:', give the template 'data' (with 'mergePolicy: Replace'), or use 'expose: envFrom'"
            )
            return nil
        }
        if let bad = keys.first(where: { !Syntax.isEnvVarName($0) }) {
            reader.report(
                .invalidKubernetesName,
                "key '\(bad)' of \(context) is not a valid environment variable name",
                at: entry.value.range,
                help: "rename the key: letters, digits, '_', '-' and '.', not starting with a digit"
            )
            return nil
        }
        return exposure
    }

    /// A secret's `containers`: the app's containers it is given to (none when one is unknown).
    mutating func secretContainers(_ entry: SpecEntry, app: String, context: String, among containers: [String])
        -> [String]
    {
        guard let names = reader.strings(entry.value, "'containers'") else { return containers }
        var ok = true
        for name in names where !containers.contains(name.value) {
            ok = false
            let suggestion = Syntax.suggestion(for: name.value, among: containers)
            reader.report(
                .unknownContainer,
                "app '\(app)' has no container '\(name.value)'",
                at: name.range,
                help: suggestion.map { "did you mean '\($0)'?" }
                    ?? "its containers are: " + containers.map { "'\($0)'" }.joined(separator: ", ")
            )
        }
        if names.isEmpty {
            reader.report(
                .invalidValue, "'containers' of \(context) is empty", at: entry.value.range,
                help: "remove it to give the secret to every container")
            ok = false
        }
        let wanted = Set(names.map(\.value))
        return ok ? containers.filter { wanted.contains($0) } : []
    }

    mutating func secretSource(
        _ key: SpecKey.SecretSource, _ entry: SpecEntry, context: String, into paths: inout [Located<String>]
    ) -> SecretSource? {
        switch key {
        case .extract:
            return extractSource(entry, context: context, into: &paths).map { .extract($0) }
        case .find:
            return findSource(entry, context: context, into: &paths).map { .find($0) }
        case .keys:
            guard case .mapping(let mapping) = entry.value, !mapping.entries.isEmpty else {
                reader.report(
                    .wrongType,
                    "expected a mapping of keys for 'keys', found \(entry.value.kindDescription)",
                    at: entry.value.range,
                    help: "write each Secret key with its Vault path: 'DB_PASSWORD: dev/db#password'"
                )
                return nil
            }
            var keys: [SecretKeySource] = []
            var ok = true
            for keyEntry in mapping.entries {
                guard let key = secretKeySource(keyEntry, into: &paths) else {
                    ok = false
                    continue
                }
                keys.append(key)
            }
            return ok ? .keys(keys) : nil
        }
    }

    /// `extract: PATH`, or `extract: {key, version, decodingStrategy, conversionStrategy}`.
    mutating func extractSource(_ entry: SpecEntry, context: String, into paths: inout [Located<String>])
        -> ExtractSource?
    {
        guard case .mapping = entry.value else {
            guard let path = reader.vaultPath(entry.value, "'extract'") else { return nil }
            paths.append(path)
            return ExtractSource(path: path.value, version: nil, strategies: ValueStrategies())
        }
        guard
            let fields = reader.fields(
                entry.value, "'extract' of \(context)", anchor: entry.key.range, keys: SpecKey.Extract.self)
        else { return nil }
        var keyEntry: SpecEntry?
        var versionEntry: SpecEntry?
        var decodingStrategyEntry: SpecEntry?
        var conversionStrategyEntry: SpecEntry?
        for (key, entry) in fields.written {
            switch key {
            case .key: keyEntry = entry
            case .version: versionEntry = entry
            case .decodingStrategy: decodingStrategyEntry = entry
            case .conversionStrategy: conversionStrategyEntry = entry
            }
        }
        let path = keyEntry.flatMap { reader.vaultPath($0.value, "'extract.key'") }
        let version = versionEntry.map { remoteVersion($0) } ?? .some(nil)
        let strategies = valueStrategies(decoding: decodingStrategyEntry, conversion: conversionStrategyEntry)
        guard let path, let version, let strategies else { return nil }
        paths.append(path)
        return ExtractSource(path: path.value, version: version, strategies: strategies)
    }

    /// `find: {path, name | tags, decodingStrategy, conversionStrategy}`; without `path`, the
    /// whole mount (warned).
    mutating func findSource(_ entry: SpecEntry, context: String, into paths: inout [Located<String>]) -> FindSource? {
        guard
            let fields = reader.fields(
                entry.value, "'find' of \(context)", anchor: entry.key.range, keys: SpecKey.Find.self)
        else { return nil }
        var pathEntry: SpecEntry?
        var nameEntry: SpecEntry?
        var tagsEntry: SpecEntry?
        var decodingStrategyEntry: SpecEntry?
        var conversionStrategyEntry: SpecEntry?
        for (key, entry) in fields.written {
            switch key {
            case .path: pathEntry = entry
            case .name: nameEntry = entry
            case .tags: tagsEntry = entry
            case .decodingStrategy: decodingStrategyEntry = entry
            case .conversionStrategy: conversionStrategyEntry = entry
            }
        }
        let path = pathEntry.map { reader.vaultPath($0.value, "'find.path'") }
        let name = nameEntry.map { reader.line($0.value, "'find.name'")?.value }
        let tags = tagsEntry.map { findTags($0) } ?? []
        let strategies = valueStrategies(decoding: decodingStrategyEntry, conversion: conversionStrategyEntry)
        if let nameEntry, let tagsEntry {
            reader.report(
                .conflictingKeys, "'find' of \(context) has both 'name' and 'tags'", at: tagsEntry.key.range,
                help: "ESO searches by 'name' and ignores 'tags' when both are set: keep one",
                notes: [DiagnosticNote("'name' is set here", at: nameEntry.key.range)])
            return nil
        }
        if path == nil { wholeMountFind(at: entry.key.range) }
        guard path != .some(nil), name != .some(nil), let tags, let strategies else { return nil }
        paths.append(path.flatMap { $0 } ?? Located("", at: entry.key.range))
        return FindSource(path: path??.value, name: name ?? nil, tags: tags, strategies: strategies)
    }

    mutating func secretKeySource(_ entry: SpecEntry, into paths: inout [Located<String>]) -> SecretKeySource? {
        let name = reader.secretKey(.scalar(entry.key), "Secret key")
        var path: Located<String>?
        var property: String?? = .some(nil)
        var remote = RemoteOptions()
        if case .mapping = entry.value {
            guard
                let fields = reader.fields(
                    entry.value, "key '\(entry.key.text)'", anchor: entry.key.range, keys: SpecKey.KeyReference.self)
            else { return nil }
            var keyEntry: SpecEntry?
            var propertyEntry: SpecEntry?
            var options = RemoteEntries()
            for (key, entry) in fields.written {
                switch key {
                case .key: keyEntry = entry
                case .property: propertyEntry = entry
                case .version: options.version = entry
                case .decodingStrategy: options.decodingStrategy = entry
                case .conversionStrategy: options.conversionStrategy = entry
                case .metadataPolicy: options.metadataPolicy = entry
                }
            }
            guard let read = remoteOptions(options) else { return nil }
            remote = read
            path = keyEntry.flatMap { reader.vaultPath($0.value, "'key'") }
            if let node = propertyEntry?.value {
                property = reader.line(node, "'property'").map { .some($0.value) }
            }
        } else if let text = reader.string(entry.value, "key '\(entry.key.text)'") {
            // PATH#PROPERTY: the property may itself hold '#', the path never does.
            if let hash = text.value.firstIndex(of: "#") {
                let propertyText = String(text.value[text.value.index(after: hash)...])
                path = reader.checkVaultPath(
                    Located(String(text.value[..<hash]), at: text.range), "key '\(entry.key.text)'")
                property =
                    Syntax.isSingleLinePrintable(propertyText) && !propertyText.isEmpty ? .some(propertyText) : nil
                if property == nil {
                    reader.report(
                        .invalidValue, "empty or unprintable property after '#' in '\(text.value)'", at: text.range,
                        help: "write PATH#PROPERTY, e.g. dev/db#password")
                }
            } else {
                path = reader.checkVaultPath(text, "key '\(entry.key.text)'")
            }
        }
        guard let name, let path, let property else { return nil }
        paths.append(path)
        return SecretKeySource(
            name: name.value, path: path.value, property: property, version: remote.version,
            strategies: remote.strategies,
            metadataPolicy: remote.metadataPolicy)
    }

    mutating func exposure(_ node: SpecNode) -> Exposure? {
        if case .mapping = node {
            guard let fields = reader.fields(node, "'expose'", keys: SpecKey.Expose.self) else { return nil }
            var mountPathEntry: SpecEntry?
            var envEntry: SpecEntry?
            for (key, entry) in fields.written {
                switch key {
                case .mountPath: mountPathEntry = entry
                case .env: envEntry = entry
                }
            }
            switch (mountPathEntry, envEntry) {
            case (nil, let env?):
                return namedVariables(env)
            case (.some, let env?):
                reader.report(
                    .conflictingKeys, "'expose' takes 'mountPath' or 'env', not both", at: env.key.range,
                    help: "keep one of them: a volume ('mountPath') or variables ('env')")
                return nil
            case (nil, nil):
                reader.report(
                    .missingKey, "'expose' needs 'mountPath' (a volume) or 'env' (variables by name)",
                    at: node.range,
                    help: "write 'expose: {mountPath: /etc/secrets/NAME}' or 'expose: {env: {VAR: KEY}}'")
                return nil
            case (.some, nil):
                break
            }
            guard let path = mountPathEntry.flatMap({ reader.line($0.value, "'mountPath'") }) else { return nil }
            guard path.value.hasPrefix("/"), !path.value.contains(":"),
                !path.value.split(separator: "/").contains("..")
            else {
                reader.report(
                    .invalidValue, "mountPath '\(path.value)' is not an absolute path", at: path.range,
                    help: "write it as /etc/secrets/NAME")
                return nil
            }
            return .volume(mountPath: path.value)
        }
        switch reader.choice(node, "expose", ExposeName.allCases) {
        case .envFrom?: return .envFrom
        case .env?: return .env
        case .imagePullSecret?: return .imagePullSecret
        case .none?: return Exposure.none
        case nil: return nil
        }
    }

    /// The values of `expose` written as a string (a mapping is a volume).
    enum ExposeName: String, CaseIterable {
        case envFrom
        case env
        case imagePullSecret
        case none
    }

    /// Reports every Vault path outside the policy's prefix: the policy would deny it.
    mutating func checkPaths(_ paths: [Located<String>], under prefix: Located<String>) {
        for path in paths where !path.value.hasPrefix(prefix.value + "/") {
            reader.report(
                .pathOutsidePrefix,
                path.value.isEmpty
                    ? "'find' without 'path' searches the whole mount, outside the policy prefix '\(prefix.value)'"
                    : "Vault path '\(path.value)' is outside the policy prefix '\(prefix.value)'",
                at: path.range,
                help: "move the secret under '\(prefix.value)/', or widen the prefix",
                notes: [DiagnosticNote("the prefix is set here", at: prefix.range)]
            )
        }
    }
}
