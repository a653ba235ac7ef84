/// Reading a key's value through the shape its table declares (`SpecKeys+Shapes.swift`): a
/// format, a duration, bounds or an enumeration is written once, in the table, and applied here,
/// and messages name the key by its path (`'token.period'`), not by a string at each read.
extension SpecReader {
    /// A string key, checked against its format or, for an enumeration, its values.
    mutating func text<Key: ShapedKeySet>(_ entry: SpecEntry, _ key: Key, of fields: KeyedFields<Key>)
        -> Located<String>?
    {
        switch key.valueShape {
        case .string(let format): return string(entry.value, format: format, fields.name(of: key))
        case .enumeration(let names): return choice(entry.value, fields.name(of: key), among: names)
        case .duration, .int, .bool, .object, .map, .list, .oneOf, .anyMapping: Self.misread(key, as: "a string")
        }
    }

    /// A duration key.
    mutating func duration<Key: ShapedKeySet>(_ entry: SpecEntry, _ key: Key, of fields: KeyedFields<Key>)
        -> Located<GoDuration>?
    {
        guard case .duration = key.valueShape else { Self.misread(key, as: "a duration") }
        return duration(entry.value, fields.name(of: key))
    }

    /// A whole-number key, within the bounds its table gives.
    mutating func int<Key: ShapedKeySet>(_ entry: SpecEntry, _ key: Key, of fields: KeyedFields<Key>) -> Int? {
        guard case .int(let bounds) = key.valueShape else { Self.misread(key, as: "a whole number") }
        return int(entry.value, fields.name(of: key), in: bounds)
    }

    /// A `true`/`false` key.
    mutating func bool<Key: ShapedKeySet>(_ entry: SpecEntry, _ key: Key, of fields: KeyedFields<Key>) -> Bool? {
        guard case .bool = key.valueShape else { Self.misread(key, as: "true or false") }
        return bool(entry.value, fields.name(of: key))
    }

    /// An enumeration key, as the model's enum whose raw values its table lists.
    mutating func choice<Key: ShapedKeySet, Value: RawRepresentable>(
        _ entry: SpecEntry, _ key: Key, of fields: KeyedFields<Key>, as _: Value.Type = Value.self
    ) -> Value? where Value.RawValue == String {
        guard case .enumeration(let names) = key.valueShape else { Self.misread(key, as: "one of a set") }
        return choice(entry.value, fields.name(of: key), among: names).flatMap { Value(rawValue: $0.value) }
    }

    /// A list of strings of the format its table gives, with at least its minimum of items.
    mutating func strings<Key: ShapedKeySet>(_ entry: SpecEntry, _ key: Key, of fields: KeyedFields<Key>)
        -> [Located<String>]?
    {
        guard case .list(of: .string(let format), let minimum) = key.valueShape else {
            Self.misread(key, as: "a list of strings")
        }
        // The key's name is built only for a message.
        guard let items = strings(entry.value, fields.name(of: key)) else { return nil }
        if items.count < minimum {
            report(
                .invalidValue, "\(fields.name(of: key)) is empty", at: entry.value.range,
                help: "list at least one, or remove it")
            return nil
        }
        guard format != .text else { return items }
        let mark = errorCount
        for item in items { _ = checkFormat(item, format, "\(fields.name(of: key)) item") }
        return reportedErrors(since: mark) ? nil : items
    }

    /// A mapping keyed by name whose values are strings (`kubernetes.roles`, `find.tags`): its
    /// keys and values checked against the formats its table gives, at least its minimum of
    /// entries; `nil` when any is invalid (reported).
    mutating func stringMap<Key: ShapedKeySet>(
        _ entry: SpecEntry, _ key: Key, of fields: KeyedFields<Key>, help: @autoclosure () -> String
    ) -> [(key: Located<String>, value: Located<String>)]? {
        guard case .map(of: .string(let valueFormat), let keyFormat, let minimum) = key.valueShape else {
            Self.misread(key, as: "a mapping of strings")
        }
        guard case .mapping(let mapping) = entry.value, mapping.entries.count >= minimum else {
            var found = entry.value.kindDescription
            if case .mapping = entry.value { found = "an empty mapping" }
            report(
                .wrongType, "expected a mapping for \(fields.name(of: key)), found \(found)", at: entry.value.range,
                help: help())
            return nil
        }
        let mark = errorCount
        var items: [(key: Located<String>, value: Located<String>)] = []
        for item in mapping.entries {
            let name = checkFormat(Located(item.key.text, at: item.key.range), keyFormat, "\(fields.name(of: key)) key")
            let value = string(item.value, format: valueFormat, fields.name(of: key, item: item.key.text))
            if let name, let value { items.append((name, value)) }
        }
        return reportedErrors(since: mark) ? nil : items
    }

    /// The one written key of a group of which exactly one is written (`Key.exactlyOneOf`: an
    /// auth method, a secret's Vault source, a rewrite step); none or more is reported at
    /// `anchor` or the second one written.
    mutating func exactlyOne<Key: ShapedKeySet>(
        of fields: KeyedFields<Key>, among group: [Key] = Key.exactlyOneOf, naming noun: (one: String, many: String),
        anchor: SourceRange, help extra: String? = nil
    ) -> (key: Key, entry: SpecEntry)? {
        exactlyOne(
            fields.written.filter { group.contains($0.key) }, among: group, in: fields.fields.context, naming: noun,
            anchor: anchor, help: extra)
    }

    /// `exactlyOne(of:)` over the entries of the group a builder has already bound.
    mutating func exactlyOne<Key: ShapedKeySet>(
        _ chosen: [(key: Key, entry: SpecEntry)], among group: [Key] = Key.exactlyOneOf, in context: String,
        naming noun: (one: String, many: String), anchor: SourceRange, help extra: String? = nil
    ) -> (key: Key, entry: SpecEntry)? {
        if chosen.count == 1, let only = chosen.first { return only }
        report(
            .conflictingKeys,
            chosen.isEmpty ? "\(context) names no \(noun.one)" : "\(context) names \(chosen.count) \(noun.many)",
            at: chosen.dropFirst().first?.entry.key.range ?? anchor,
            help: "write exactly one of " + group.map { "'\($0.rawValue)'" }.joined(separator: ", ")
                + (extra.map { "; \($0)" } ?? ""))
        return nil
    }

    /// How many errors have been reported so far: a mark for `reportedErrors(since:)`.
    var errorCount: Int { diagnostics.errorCount }

    /// Whether an error was reported after `mark` was taken: a reading that found one returns no value.
    func reportedErrors(since mark: Int) -> Bool { diagnostics.errorCount > mark }

    /// A string of `format`.
    mutating func string(_ node: SpecNode, format: StringFormat, _ what: @autoclosure () -> String)
        -> Located<String>?
    {
        switch format {
        case .text: return string(node, what())
        case .line, .url: return line(node, what())
        case .dnsLabel, .subdomain, .secretKey, .vaultName, .vaultPath, .remoteKey:
            guard let value = string(node, what()) else { return nil }
            return checkFormat(value, format, what())
        }
    }

    /// Checks an already read string (a value or a mapping key) against `format`.
    mutating func checkFormat(_ value: Located<String>, _ format: StringFormat, _ what: @autoclosure () -> String)
        -> Located<String>?
    {
        switch format {
        case .text: value
        case .line, .url: checkLine(value, what())
        case .dnsLabel: checkDNSLabel(value, what())
        case .subdomain: checkSubdomain(value, what())
        case .secretKey: checkSecretKey(value, what())
        case .vaultName: checkVaultName(value, what())
        case .vaultPath: checkVaultPath(value, what())
        case .remoteKey: checkRemoteKey(value, what())
        }
    }

    /// A key read as a shape its table does not give it: a compiler bug, which every example
    /// spec (`KeyCoverageTests`: each key is written in one) would hit.
    static func misread<Key: ShapedKeySet>(_ key: Key, as what: String) -> Never {
        preconditionFailure("key '\(key.rawValue)' of \(Key.self) is read as \(what), but its table says otherwise")
    }
}

extension KeyedFields where Key: ShapedKeySet {
    /// How messages name a key: its path from the key naming this mapping (`'token.period'`),
    /// or the key alone in an item of a named map (`'replicas'` of an app).
    func name(of key: Key) -> String {
        fields.path.map { "'\($0).\(key.rawValue)'" } ?? "'\(key.rawValue)'"
    }

    /// How messages name an item of a keyed map: `'kubernetes.roles.team-a'`.
    func name(of key: Key, item: String) -> String {
        "'" + (fields.path.map { "\($0)." } ?? "") + "\(key.rawValue).\(item)'"
    }
}
