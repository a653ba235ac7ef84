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
    mutating func secretShape(_ fields: KeyedFields<SpecKey.Secret>, source: SecretSource?, context: String)
        -> SecretShape?
    {
        var declared: [String]?
        if case .keys(let keys) = source { declared = keys.map(\.name) }
        let template =
            fields[.template].map { secretTemplate($0, scope: TemplateScope(declared: declared, context: context)) }
            ?? .some(nil)
        let refresh =
            fields[.refreshPolicy].map { reader.choice($0.value, "refreshPolicy", RefreshPolicy.allCases) }
            ?? .some(nil)
        let immutable = fields[.immutable].map { reader.bool($0.value, "'immutable'") } ?? .some(nil)
        let rewrite = fields[.rewrite].map { keyRewrites($0, source: source, context: context) } ?? []
        guard let template, let refresh, let immutable, let rewrite else { return nil }
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
        var ok = true
        for item in sequence.items {
            if let rewrite = keyRewrite(item) { rewrites.append(rewrite) } else { ok = false }
        }
        return ok ? rewrites : nil
    }

    mutating func keyRewrite(_ node: SpecNode) -> KeyRewrite? {
        guard let fields = reader.fields(node, "an item of 'rewrite'", keys: SpecKey.Rewrite.self) else { return nil }
        let chosen = fields.entries(of: SpecKey.Rewrite.self)
        guard chosen.count == 1, let step = chosen.first else {
            reader.report(
                .conflictingKeys, "an item of 'rewrite' must have exactly one of \(SpecKey.Rewrite.quotedList)",
                at: chosen.dropFirst().first?.entry.key.range ?? node.range,
                help: "write each step as its own list item")
            return nil
        }
        switch step.key {
        case .regexp: return regexpRewrite(step.entry)
        case .transform: return transformRewrite(step.entry)
        }
    }

    /// A rewrite's `regexp`: the expression and its replacement.
    mutating func regexpRewrite(_ entry: SpecEntry) -> KeyRewrite? {
        guard
            let regexp = reader.fields(
                entry.value, "'rewrite.regexp'", anchor: entry.key.range, keys: SpecKey.RewriteRegexp.self)
        else { return nil }
        var source: Located<String>?
        var target: Located<String>?
        for (key, entry) in regexp.written {
            switch key {
            case .source: source = reader.line(entry.value, "'rewrite.regexp.source'")
            case .target: target = reader.string(entry.value, "'rewrite.regexp.target'")
            }
        }
        guard let source, let target else { return nil }
        return .regexp(source: source.value, target: target.value)
    }

    /// A rewrite's `transform`: a Go template over each key.
    mutating func transformRewrite(_ entry: SpecEntry) -> KeyRewrite? {
        guard
            let transform = reader.fields(
                entry.value, "'rewrite.transform'", anchor: entry.key.range, keys: SpecKey.RewriteTransform.self)
        else { return nil }
        var template: String?
        for (key, entry) in transform.written {
            switch key {
            case .template:
                guard reader.line(entry.value, "'rewrite.transform.template'") != nil,
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

    /// The written options of a remote reference (`keys:` written as a mapping).
    struct RemoteEntries {
        var version: SpecEntry?
        var decodingStrategy: SpecEntry?
        var conversionStrategy: SpecEntry?
        var metadataPolicy: SpecEntry?
    }

    mutating func remoteOptions(_ entries: RemoteEntries) -> RemoteOptions? {
        let version = entries.version.map { remoteVersion($0) } ?? .some(nil)
        let strategies = valueStrategies(decoding: entries.decodingStrategy, conversion: entries.conversionStrategy)
        let policy =
            entries.metadataPolicy.map { reader.choice($0.value, "metadataPolicy", MetadataPolicy.allCases) }
            ?? .some(nil)
        guard let version, let strategies, let policy else { return nil }
        if policy == .fetch, let fetch = entries.metadataPolicy {
            kvV2Uses.append((Located("'metadataPolicy: Fetch'", at: fetch.value.range), currentMount))
            if let versionEntry = entries.version {
                reader.report(
                    .conflictingKeys, "'version' has no effect with 'metadataPolicy: Fetch'",
                    at: versionEntry.key.range,
                    help: "ESO reads the secret's metadata, which has no versions: remove 'version'")
                return nil
            }
        }
        return RemoteOptions(version: version, strategies: strategies, metadataPolicy: policy)
    }

    /// A KV v2 version: a whole number from 1.
    ///
    /// `.some(nil)` is an invalid one (reported).
    mutating func remoteVersion(_ entry: SpecEntry) -> Int?? {
        guard let version = reader.int(entry.value, "'version'", in: 1...Int(Int32.max)) else { return .some(nil) }
        kvV2Uses.append((Located("'version'", at: entry.key.range), currentMount))
        return .some(version)
    }

    /// `decodingStrategy` and `conversionStrategy`; `nil` when one is invalid (reported).
    mutating func valueStrategies(decoding: SpecEntry?, conversion: SpecEntry?) -> ValueStrategies? {
        let decoded =
            decoding.map { reader.choice($0.value, "decodingStrategy", DecodingStrategy.allCases) } ?? .some(nil)
        let converted =
            conversion.map { reader.choice($0.value, "conversionStrategy", ConversionStrategy.allCases) } ?? .some(nil)
        guard let decoded, let converted else { return nil }
        return ValueStrategies(decoding: decoded, conversion: converted)
    }

    /// `find.tags`: KV v2 custom metadata, a non-empty mapping of strings.
    mutating func findTags(_ entry: SpecEntry) -> [TemplateEntry]? {
        guard case .mapping(let mapping) = entry.value, !mapping.entries.isEmpty else {
            reader.report(
                .wrongType, "expected a mapping of tags for 'find.tags', found \(entry.value.kindDescription)",
                at: entry.value.range,
                help: "write each custom metadata key and value: 'team: payments'")
            return nil
        }
        kvV2Uses.append((Located("'find.tags'", at: entry.key.range), currentMount))
        var tags: [TemplateEntry] = []
        for item in mapping.entries {
            guard let value = reader.string(item.value, "tag '\(item.key.text)'") else { return nil }
            guard Syntax.isSingleLinePrintable(item.key.text), !item.key.text.isEmpty,
                Syntax.isSingleLinePrintable(value.value)
            else {
                reader.report(.invalidValue, "tag '\(item.key.text)' must be one line of text", at: item.key.range)
                return nil
            }
            tags.append(TemplateEntry(key: item.key.text, value: value.value))
        }
        return tags
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
