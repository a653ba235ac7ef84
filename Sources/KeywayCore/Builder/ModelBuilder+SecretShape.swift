/// How a secret shapes the Secret ESO writes (template, refresh policy, immutability, key
/// rewrites) and the per-reference options of its Vault source (version, decoding, metadata).
extension ModelBuilder {
    /// A secret's settings beyond its source and exposure.
    struct SecretShape {
        var template: SecretTemplate?
        var refreshPolicy: RefreshPolicy?
        var immutable: Bool?
        var rewrite: [KeyRewrite]
    }

    /// `template`, `refreshPolicy`, `immutable` and `rewrite`; `nil` when one is invalid (reported).
    mutating func secretShape(
        template: SpecEntry?, refreshPolicy: SpecEntry?, immutable: SpecEntry?, rewrite: SpecEntry?,
        of fields: KeyedFields<SpecKey.Secret>, source: SecretSource?, context: String
    ) -> SecretShape? {
        let mark = reader.errorCount
        var declared: [String]?
        if case .keys(let keys) = source { declared = keys.map(\.name) }
        let template = template.flatMap {
            secretTemplate($0, scope: TemplateScope(declared: declared, context: context))
        }
        let refresh = refreshPolicy.flatMap { reader.choice($0, .refreshPolicy, of: fields, as: RefreshPolicy.self) }
        let immutable = immutable.flatMap { reader.bool($0, .immutable, of: fields) }
        let rewrite = rewrite.flatMap { keyRewrites($0, source: source, context: context) } ?? []
        guard !reader.reportedErrors(since: mark) else { return nil }
        return SecretShape(template: template, refreshPolicy: refresh, immutable: immutable, rewrite: rewrite)
    }

    /// `rewrite`: a list of `{regexp: {source, target}}` or `{transform: {template}}`, for the
    /// fetched keys of `extract` and `find` only.
    mutating func keyRewrites(_ entry: SpecEntry, source: SecretSource?, context: String) -> [KeyRewrite]? {
        if case .keys = source {
            reader.report(
                .conflictingKeys, "'rewrite' renames fetched keys, but \(context) names its keys under 'keys:'",
                at: entry.key.range,
                help: "rename the keys under 'keys:' instead, or fetch them with 'extract' or 'find'")
            return nil
        }
        guard case .sequence(let sequence) = entry.value, !sequence.items.isEmpty else {
            reader.report(
                .wrongType, "expected a list of rewrites for 'rewrite', found \(entry.value.kindDescription)",
                at: entry.value.range,
                help: "write each step as '- regexp: {source: \"^prefix_\", target: \"\"}'")
            return nil
        }
        var rewrites: [KeyRewrite] = []
        let mark = reader.errorCount
        for item in sequence.items {
            if let rewrite = keyRewrite(item) { rewrites.append(rewrite) }
        }
        return reader.reportedErrors(since: mark) ? nil : rewrites
    }

    mutating func keyRewrite(_ node: SpecNode) -> KeyRewrite? {
        guard let fields = reader.fields(node, "an item of 'rewrite'", keys: SpecKey.Rewrite.self),
            let step = reader.exactlyOne(
                of: fields, naming: ("rewrite step", "rewrite steps"), anchor: node.range,
                help: "write each step as its own list item")
        else { return nil }
        switch step.key {
        case .regexp: return regexpRewrite(step.entry)
        case .transform: return transformRewrite(step.entry)
        }
    }

    /// A rewrite's `regexp`: the expression and its replacement.
    mutating func regexpRewrite(_ entry: SpecEntry) -> KeyRewrite? {
        guard
            let regexp = reader.fields(
                entry.value, path: "rewrite.regexp", anchor: entry.key.range,
                keys: SpecKey.RewriteRegexp.self)
        else { return nil }
        var source: Located<String>?
        var target: Located<String>?
        for (key, entry) in regexp.written {
            switch key {
            case .source: source = reader.text(entry, key, of: regexp)
            case .target: target = reader.text(entry, key, of: regexp)
            }
        }
        guard let source, let target else { return nil }
        return .regexp(source: source.value, target: target.value)
    }

    /// A rewrite's `transform`: a Go template over each key.
    mutating func transformRewrite(_ entry: SpecEntry) -> KeyRewrite? {
        guard
            let transform = reader.fields(
                entry.value, path: "rewrite.transform", anchor: entry.key.range,
                keys: SpecKey.RewriteTransform.self)
        else { return nil }
        var template: String?
        for (key, entry) in transform.written {
            switch key {
            case .template:
                guard reader.text(entry, key, of: transform) != nil,
                    case .scalar(let scalar) = entry.value,
                    checkGoTemplate(scalar, scope: TemplateScope(declared: nil, context: ""))
                else { continue }
                template = scalar.text
            }
        }
        return template.map { .transform(template: $0) }
    }

    /// The options of one remote reference under `keys:` written as a mapping.
    struct RemoteOptions {
        var version: Int?
        var strategies = ValueStrategies()
        var metadataPolicy: MetadataPolicy?
    }

    /// A remote reference's options as written (`keys:` written as a mapping); `nil` when one is
    /// invalid (reported).
    mutating func remoteOptions(
        version written: SpecEntry?, decoding: SpecEntry?, conversion: SpecEntry?, metadataPolicy: SpecEntry?,
        of fields: KeyedFields<SpecKey.KeyReference>
    ) -> RemoteOptions? {
        let mark = reader.errorCount
        let version = written.flatMap { remoteVersion($0, .version, of: fields) }
        let strategies = valueStrategies(decoding: decoding, conversion: conversion, of: fields)
        let policy = metadataPolicy.flatMap { reader.choice($0, .metadataPolicy, of: fields, as: MetadataPolicy.self) }
        guard !reader.reportedErrors(since: mark) else { return nil }
        if policy == .fetch, let fetch = metadataPolicy {
            kvV2Uses.append((Located("'metadataPolicy: Fetch'", at: fetch.value.range), currentMount))
            if let versionEntry = written {
                reader.report(
                    .conflictingKeys, "'version' has no effect with 'metadataPolicy: Fetch'",
                    at: versionEntry.key.range,
                    help: "ESO reads the secret's metadata, which has no versions: remove 'version'")
                return nil
            }
        }
        return RemoteOptions(version: version, strategies: strategies, metadataPolicy: policy)
    }

    /// A KV v2 version, a whole number from 1 (`extract.version`, a key's `version`); `nil` when
    /// invalid (reported).
    mutating func remoteVersion<Key: ShapedKeySet>(_ entry: SpecEntry, _ key: Key, of fields: KeyedFields<Key>) -> Int?
    {
        guard let version = reader.int(entry, key, of: fields) else { return nil }
        kvV2Uses.append((Located("'version'", at: entry.key.range), currentMount))
        return version
    }

    /// `decodingStrategy` and `conversionStrategy`, read through any table that has them; an
    /// invalid one is reported (an error, so no model is built) and left at ESO's default.
    mutating func valueStrategies<Key: StrategyKeySet>(
        decoding: SpecEntry?, conversion: SpecEntry?, of fields: KeyedFields<Key>
    ) -> ValueStrategies {
        ValueStrategies(
            decoding: decoding.flatMap { reader.choice($0, .decodingStrategy, of: fields) },
            conversion: conversion.flatMap { reader.choice($0, .conversionStrategy, of: fields) })
    }

    /// `find.tags`: KV v2 custom metadata, a non-empty mapping of one-line strings.
    mutating func findTags(_ entry: SpecEntry, of fields: KeyedFields<SpecKey.Find>) -> [TemplateEntry]? {
        if case .mapping(let mapping) = entry.value, !mapping.entries.isEmpty {
            kvV2Uses.append((Located("'find.tags'", at: entry.key.range), currentMount))
        }
        guard
            let tags = reader.stringMap(
                entry, .tags, of: fields, help: "write each custom metadata key and value: 'team: payments'")
        else { return nil }
        return tags.map { TemplateEntry(key: $0.key.value, value: $0.value.value) }
    }

    /// A `find` without `path`: ESO lists the whole mount, and the policy must open it.
    mutating func wholeMountFind(at range: SourceRange) {
        reader.report(
            .findWholeMount, "'find' without 'path' searches the whole KV mount", at: range,
            help: "give 'find' the folder it searches ('path: dev/flags'): the policy opens only that folder")
    }

    /// Versions and metadata exist only on KV v2: each use is an error when its secret's mount is KV v1.
    mutating func checkKVv2Uses(mounts: [KVMount], at versionRanges: [SourceRange?]) {
        for (use, index) in kvV2Uses where index < mounts.count && mounts[index].version == .v1 {
            let mount = mounts.count > 1 ? " '\(mounts[index].path)'" : ""
            reader.report(
                .needsKVv2, "\(use.value) needs a KV version 2 mount, but the mount\(mount) is version 1",
                at: use.range,
                help:
                    "KV version 1 keeps no versions or metadata: remove it, or move the secrets to a KV version 2 mount",
                notes: versionRanges[index].map { [DiagnosticNote("the KV version is set here", at: $0)] } ?? [])
        }
    }
}
