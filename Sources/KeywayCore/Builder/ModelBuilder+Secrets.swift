/// The secrets of an app: each ExternalSecret's target, policies, Vault source and exposure.
extension ModelBuilder {
    /// Reads one secret into the app's draft: one it reads from Vault (`secrets`) or a `use`
    /// entry (`uses`), with its place (`located`); none when invalid (reported).
    mutating func secret(
        _ entry: SpecEntry, app: String, containers: [String]?, defaults: DefaultSettings, into draft: inout DraftApp
    ) {
        let name = reader.checkSubdomain(Located(entry.key.text, at: entry.key.range), "ExternalSecret name")
        let context = "secret '\(entry.key.text)'"
        guard let fields = reader.fields(entry.value, context, anchor: entry.key.range, keys: SpecKey.Secret.self)
        else { return }
        var use, target, interval, refresh, creation, deletion, immutable, rewrite, template, expose, chosen,
            mount: SpecEntry?
        var sources: [(key: SpecKey.Secret, entry: SpecEntry)] = []
        for (key, entry) in fields.written {
            switch key {
            case .use: use = entry
            case .target: target = entry
            case .refreshInterval: interval = entry
            case .refreshPolicy: refresh = entry
            case .creationPolicy: creation = entry
            case .deletionPolicy: deletion = entry
            case .immutable: immutable = entry
            case .extract, .keys, .find: sources.append((key, entry))
            case .rewrite: rewrite = entry
            case .template: template = entry
            case .expose: expose = entry
            case .containers: chosen = entry
            case .mount: mount = entry
            }
        }
        let wiring = containers.map {
            SecretWiring(expose: expose, containers: chosen, app: app, context: context, among: $0)
        }
        if wiring == nil {
            refuseWiring(fields, app: app, context: context)
            if use != nil { return }
        }
        if let use, let wiring {
            if var used = usedSecret(fields, use: use, name: name, wiring: wiring) {
                used.use.position = draft.located.count
                draft.uses.append(used.use)
                draft.located.append(used.located)
            }
            return
        }
        let targetName = target.map { reader.text($0, .target, of: fields) } ?? name
        let policies = secretPolicies(
            interval: interval, creation: creation, deletion: deletion, of: fields, defaults: defaults)
        let mountIndex = mount.map { secretMount($0, of: fields) } ?? 0
        currentMount = mountIndex ?? 0
        let source = vaultSource(sources, anchor: entry.key.range, context: context, into: &draft.paths)
        let shape = secretShape(
            template: template, refreshPolicy: refresh, immutable: immutable, rewrite: rewrite, of: fields,
            source: source, context: context)
        let (exposure, reached) = secretWiring(wiring, source: source, shape: shape, anchor: fields.fields.anchor)
        guard let name, let target = targetName, let policies, let source, let shape, let exposure, let reached,
            let mount = mountIndex
        else { return }
        let model = AppSecret(
            name: name.value, target: target.value, refreshInterval: policies.interval,
            creationPolicy: policies.creation, deletionPolicy: policies.deletion, source: source, exposure: exposure,
            containers: reached, template: shape.template, refreshPolicy: shape.refreshPolicy,
            immutable: shape.immutable, rewrite: shape.rewrite, mountIndex: mount)
        draft.secrets.append(model)
        draft.located.append(LocatedSecret(name: name, target: target, expose: expose?.value.range))
    }

    /// A secret's `refreshInterval`, `creationPolicy` and `deletionPolicy` with their defaults;
    /// `nil` when one is invalid (reported).
    mutating func secretPolicies(
        interval: SpecEntry?, creation: SpecEntry?, deletion: SpecEntry?, of fields: KeyedFields<SpecKey.Secret>,
        defaults: DefaultSettings
    ) -> (interval: GoDuration, creation: CreationPolicy, deletion: DeletionPolicy?)? {
        // Each is `nil` when written and invalid (reported), else the value or its default.
        let interval =
            interval.map { refreshInterval($0, .refreshInterval, of: fields) } ?? defaults.refreshInterval
            ?? SpecDefaults.refreshInterval
        let creation =
            creation.map { reader.choice($0, .creationPolicy, of: fields, as: CreationPolicy.self) }
            ?? SpecDefaults.creationPolicy
        let mark = reader.errorCount
        let deletion = deletion.flatMap { deletionPolicy($0, of: fields, creation: creation) }
        guard let interval, let creation, !reader.reportedErrors(since: mark) else { return nil }
        return (interval, creation, deletion)
    }

    /// Where a secret is wired into its app's pod: its `expose` and `containers` as written,
    /// and the app's containers.
    struct SecretWiring {
        var expose: SpecEntry?
        var containers: SpecEntry?
        var app: String
        var context: String
        var among: [String]
    }

    /// `mount`: one of the mounts of `vault.kv`, as its index (any, unchecked, when `vault.kv` is invalid).
    mutating func secretMount(_ entry: SpecEntry, of fields: KeyedFields<SpecKey.Secret>) -> Int? {
        guard let path = reader.text(entry, .mount, of: fields) else { return nil }
        guard let paths = kvMountPaths else { return 0 }
        if let index = kvMountIndex[path.value] { return index }
        reader.report(
            .unknownMount, "KV mount '\(path.value)' is not one of 'vault.kv'", at: path.range,
            help: "name one of \(paths.map { "'\($0)'" }.joined(separator: ", "))")
        return nil
    }

    /// The containers a secret reaches: `containers`, else all.
    ///
    /// None for `none` and `imagePullSecret` (which refuse `containers`). `nil` when that is a
    /// problem (reported).
    mutating func exposedContainers(_ wiring: SecretWiring, exposure: Exposure?, anchor: SourceRange) -> [String]? {
        let (entry, app, context, containers) = (wiring.containers, wiring.app, wiring.context, wiring.among)
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
                    at: wiring.expose?.value.range ?? anchor,
                    help: "list the workload's containers under 'workload.containers', or use 'expose: none'")
            }
            return chosen.isEmpty ? nil : chosen
        }
    }

    /// A `use: APP` entry: only `use`, `expose` and `containers`; its target and source come
    /// from the other app's secret when `use` entries are resolved.
    mutating func usedSecret(
        _ fields: KeyedFields<SpecKey.Secret>, use: SpecEntry, name: Located<String>?, wiring: SecretWiring
    ) -> (use: SecretUse, located: LocatedSecret)? {
        let context = wiring.context
        let mark = reader.errorCount
        var envKeys: [Located<String>] = []
        for entry in fields.entries where !SpecKey.Secret.useKeys.contains(where: { $0.rawValue == entry.key.text }) {
            reader.report(
                .conflictingKeys, "'\(entry.key.text)' cannot be set on \(context), which uses another app's secret",
                at: entry.key.range,
                help:
                    "a 'use' entry takes only 'use', 'expose' and 'containers'; set the rest where the secret is defined"
            )
        }
        let owner = reader.text(use, .use, of: fields)
        let exposure = wiring.expose.map { self.exposure($0.value) } ?? .envFrom
        if case .envNamed? = exposure, let expose = wiring.expose {
            // Checked against the used secret's keys once `use` entries are resolved.
            envKeys = envKeyPlaces(expose.value)
        }
        let chosen = exposedContainers(wiring, exposure: exposure, anchor: fields.fields.anchor)
        guard !reader.reportedErrors(since: mark), let name, let owner, let exposure, let chosen else { return nil }
        return (
            SecretUse(name: name.value, exposure: exposure, containers: chosen),
            LocatedSecret(name: name, target: name, use: owner, expose: wiring.expose?.value.range, envKeys: envKeys)
        )
    }

    /// A secret's `deletionPolicy`, checked against its creation policy (`nil` when that is
    /// invalid, already reported); `nil` when invalid (reported).
    mutating func deletionPolicy(_ entry: SpecEntry, of fields: KeyedFields<SpecKey.Secret>, creation: CreationPolicy?)
        -> DeletionPolicy?
    {
        guard let chosen = reader.choice(entry, .deletionPolicy, of: fields, as: DeletionPolicy.self) else {
            return nil
        }
        guard let creation else { return chosen }
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
        return chosen
    }

    /// The one Vault source a secret names: exactly one of `extract`, `keys`, `find`.
    mutating func vaultSource(
        _ sources: [(key: SpecKey.Secret, entry: SpecEntry)],
        anchor: SourceRange,
        context: String,
        into paths: inout [Located<String>]
    ) -> SecretSource? {
        guard
            let chosen = reader.exactlyOne(
                sources, among: SpecKey.Secret.vaultSourceKeys, in: context,
                naming: ("Vault source", "Vault sources"), anchor: anchor),
            let key = SpecKey.SecretSource(rawValue: chosen.key.rawValue)
        else { return nil }
        return secretSource(key, chosen.entry, context: context, into: &paths)
    }

    /// A secret's exposure and the containers it reaches; none on an app with secrets only
    /// (`wiring` nil), where nothing in the spec reads the Secret.
    mutating func secretWiring(_ wiring: SecretWiring?, source: SecretSource?, shape: SecretShape?, anchor: SourceRange)
        -> (exposure: Exposure?, containers: [String]?)
    {
        guard let wiring else { return (Exposure.none, []) }
        let exposure =
            wiring.expose.map { secretExposure($0, source: source, shape: shape, context: wiring.context) } ?? .envFrom
        return (exposure, exposedContainers(wiring, exposure: exposure, anchor: anchor))
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
        let mark = reader.errorCount
        for name in names where appContainerPlaces[name.value] == nil {
            reader.report(
                .unknownContainer,
                "app '\(app)' has no container '\(name.value)'",
                at: name.range,
                help: Syntax.didYouMean(name.value, among: containers)
                    ?? "its containers are: " + Syntax.quotedNames(containers)
            )
        }
        if names.isEmpty {
            reader.report(
                .invalidValue, "'containers' of \(context) is empty", at: entry.value.range,
                help: "remove it to give the secret to every container")
        }
        guard !reader.reportedErrors(since: mark) else { return [] }
        // The app's containers that are named, in the app's order, found by name (not by walking them all).
        let places = Set(names.map(\.value)).flatMap { appContainerPlaces[$0] ?? [] }
        return places.sorted().map { containers[$0] }
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
            guard let key = reader.remoteKey(entry.value, "'extract'"), let path = resolvedKey(key, .data) else {
                return nil
            }
            paths.append(path.path)
            return ExtractSource(
                path: path.path.value, version: nil, strategies: ValueStrategies(), remoteKey: path.written)
        }
        guard
            let fields = reader.fields(
                entry.value, "'extract' of \(context)", path: "extract", anchor: entry.key.range,
                keys: SpecKey.Extract.self)
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
        let mark = reader.errorCount
        let path = keyEntry.flatMap { reader.text($0, .key, of: fields) }.flatMap { resolvedKey($0, .data) }
        let version = versionEntry.flatMap { remoteVersion($0, .version, of: fields) }
        let strategies = valueStrategies(
            decoding: decodingStrategyEntry, conversion: conversionStrategyEntry, of: fields)
        guard !reader.reportedErrors(since: mark), let path else { return nil }
        paths.append(path.path)
        return ExtractSource(
            path: path.path.value, version: version, strategies: strategies, remoteKey: path.written)
    }

    /// `find: {path, name | tags, decodingStrategy, conversionStrategy}`; without `path`, the
    /// whole mount (warned).
    mutating func findSource(_ entry: SpecEntry, context: String, into paths: inout [Located<String>]) -> FindSource? {
        guard
            let fields = reader.fields(
                entry.value, "'find' of \(context)", path: "find", anchor: entry.key.range, keys: SpecKey.Find.self)
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
        let mark = reader.errorCount
        let path = pathEntry.flatMap { reader.text($0, .path, of: fields).flatMap { resolvedFindPath($0) } }
        let name = nameEntry.flatMap { reader.text($0, .name, of: fields)?.value }
        let tags = tagsEntry.flatMap { findTags($0, of: fields) } ?? []
        let strategies = valueStrategies(
            decoding: decodingStrategyEntry, conversion: conversionStrategyEntry, of: fields)
        if let nameEntry, let tagsEntry {
            reader.report(
                .conflictingKeys, "'find' of \(context) has both 'name' and 'tags'", at: tagsEntry.key.range,
                help: "ESO searches by 'name' and ignores 'tags' when both are set: keep one",
                notes: [DiagnosticNote("'name' is set here", at: nameEntry.key.range)])
            return nil
        }
        if fields[.path] == nil { wholeMountFind(at: entry.key.range) }
        guard !reader.reportedErrors(since: mark) else { return nil }
        paths.append(path?.path ?? Located("", at: entry.key.range))
        return FindSource(
            path: path?.path.value, name: name, tags: tags, strategies: strategies, remotePath: path?.written)
    }

    mutating func secretKeySource(_ entry: SpecEntry, into paths: inout [Located<String>]) -> SecretKeySource? {
        let name = reader.secretKey(.scalar(entry.key), "Secret key")
        var path: Located<String>?
        let mark = reader.errorCount
        var property: String?
        var remote = RemoteOptions()
        if case .mapping = entry.value {
            guard
                let fields = reader.fields(
                    entry.value, "key '\(entry.key.text)'", anchor: entry.key.range, keys: SpecKey.KeyReference.self)
            else { return nil }
            var keyEntry, propertyEntry, version, decoding, conversion, metadataPolicy: SpecEntry?
            for (key, entry) in fields.written {
                switch key {
                case .key: keyEntry = entry
                case .property: propertyEntry = entry
                case .version: version = entry
                case .decodingStrategy: decoding = entry
                case .conversionStrategy: conversion = entry
                case .metadataPolicy: metadataPolicy = entry
                }
            }
            guard
                let read = remoteOptions(
                    version: version, decoding: decoding, conversion: conversion, metadataPolicy: metadataPolicy,
                    of: fields)
            else { return nil }
            remote = read
            path = keyEntry.flatMap { reader.text($0, .key, of: fields) }
            if let entry = propertyEntry {
                property = reader.text(entry, .property, of: fields)?.value
            }
        } else if let text = reader.string(entry.value, "key '\(entry.key.text)'") {
            // PATH#PROPERTY: the property may itself hold '#', the path never does.
            if let hash = Syntax.firstIndex(ofASCII: UInt8(ascii: "#"), in: text.value) {
                let propertyText = String(text.value[text.value.index(after: hash)...])
                path = reader.checkRemoteKey(
                    Located(String(text.value[..<hash]), at: text.range), "key '\(entry.key.text)'")
                property = propertyText
                if propertyText.isEmpty || !Syntax.isSingleLinePrintable(propertyText) {
                    reader.report(
                        .invalidValue, "empty or unprintable property after '#' in '\(text.value)'", at: text.range,
                        help: "write PATH#PROPERTY, e.g. dev/db#password")
                }
            } else {
                path = reader.checkRemoteKey(text, "key '\(entry.key.text)'")
            }
        }
        let kind: ESOVaultPaths.ReadKind = remote.metadataPolicy == .fetch ? .metadata : .data
        guard !reader.reportedErrors(since: mark), let name, let written = path, let path = resolvedKey(written, kind)
        else { return nil }
        paths.append(path.path)
        return SecretKeySource(
            name: name.value, path: path.path.value, property: property, version: remote.version,
            strategies: remote.strategies,
            metadataPolicy: remote.metadataPolicy, remoteKey: path.written)
    }

    mutating func exposure(_ node: SpecNode) -> Exposure? {
        if case .mapping = node {
            guard let fields = reader.fields(node, path: "expose", keys: SpecKey.Expose.self) else {
                return nil
            }
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
            guard let path = mountPathEntry.flatMap({ reader.text($0, .mountPath, of: fields) }) else { return nil }
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
