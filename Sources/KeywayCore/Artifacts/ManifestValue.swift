/// A node of a Kubernetes object as it will be written: YAML's data model, maps keeping their order.
///
/// Not `indirect`: lists and maps already hold their children in an array, so a value is stored
/// inline, with no box allocated (and freed) for every string of every object.
public enum ManifestValue: Sendable, Hashable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case list([ManifestValue])
    case map(ManifestMap)
}

/// One entry of a `ManifestMap`.
public struct ManifestEntry: Sendable, Hashable {
    /// The map key.
    public var key: String
    /// The value at the key.
    public var value: ManifestValue

    /// Creates the entry `key: value`.
    public init(_ key: String, _ value: ManifestValue) {
        self.key = key
        self.value = value
    }
}

/// A map that keeps the order its keys were added in, so the same input gives the same bytes.
///
/// A small map (most of an object's) is searched in order; one of `indexedCount` keys or more also
/// keeps where each key is, so that a map built key by key from a spec (a patch's ten thousand
/// annotations) costs one lookup per key, not a scan of the keys before it.
public struct ManifestMap: Sendable, Hashable {
    /// The entries in the order they were added.
    public private(set) var entries: [ManifestEntry]
    /// For a map of `indexedCount` entries or more: each key's first entry.
    private var positions: [String: Int]?

    /// From this many entries on, a map keeps `positions`.
    static let indexedCount = 32

    /// Creates a map from entries, in their order.
    public init(_ entries: [ManifestEntry] = []) {
        self.entries = entries
        reindex()
    }

    /// Whether the map has no entries.
    public var isEmpty: Bool { entries.isEmpty }

    /// The value at `key`; setting a new key appends it, setting `nil` removes it.
    public subscript(key: String) -> ManifestValue? {
        get { position(of: key).map { entries[$0].value } }
        set {
            switch (position(of: key), newValue) {
            case (let index?, let value?): entries[index].value = value
            case (let index?, nil):
                entries.remove(at: index)
                reindex()
            case (nil, let value?): append(ManifestEntry(key, value))
            case (nil, nil): break
            }
        }
    }

    /// Appends an entry of a key the map does not have.
    private mutating func append(_ entry: ManifestEntry) {
        entries.append(entry)
        if positions != nil {
            positions?[entry.key] = entries.count - 1
        } else if entries.count >= Self.indexedCount {
            reindex()
        }
    }

    /// Where `key`'s first entry is.
    private func position(of key: String) -> Int? {
        if let positions { return positions[key] }
        return entries.firstIndex { $0.key == key }
    }

    /// `positions` anew from `entries` (none for a small map).
    private mutating func reindex() {
        guard entries.count >= Self.indexedCount else {
            positions = nil
            return
        }
        var found: [String: Int] = [:]
        found.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() where found[entry.key] == nil { found[entry.key] = index }
        positions = found
    }

    /// Maps are equal when their entries are, in order (`positions` only follows them).
    public static func == (lhs: ManifestMap, rhs: ManifestMap) -> Bool { lhs.entries == rhs.entries }

    /// Hashes the entries, in order.
    public func hash(into hasher: inout Hasher) { hasher.combine(entries) }

    /// Sets the value under `keys` through nested maps, creating the maps on the way.
    ///
    /// A value on the way that is not a map is replaced by one. Each nested map changes in place
    /// (`update`).
    mutating func setValue(_ newValue: ManifestValue?, at keys: ArraySlice<String>) {
        guard let first = keys.first else { return }
        let rest = keys.dropFirst()
        guard !rest.isEmpty else {
            self[first] = newValue
            return
        }
        update(first) { value in
            var child = ManifestMap()
            if case .map(let existing)? = value {
                child = existing
                value = nil  // `child` is now the map's only holder
            }
            child.setValue(newValue, at: rest)
            value = .map(child)
        }
    }

    /// Changes the value at `key` in place (`nil`: none yet; set to `nil`: removed, a new key is
    /// appended): the value is taken out of its entry while `change` runs, so a nested map or list
    /// held only here is changed rather than copied.
    mutating func update(_ key: String, _ change: (inout ManifestValue?) -> Void) {
        guard let index = position(of: key) else {
            var value: ManifestValue?
            change(&value)
            if let value { append(ManifestEntry(key, value)) }
            return
        }
        var value: ManifestValue? = entries[index].value
        entries[index].value = .bool(false)
        change(&value)
        if let value {
            entries[index].value = value
        } else {
            entries.remove(at: index)
            reindex()
        }
    }
}

extension ManifestMap: ExpressibleByDictionaryLiteral {
    /// Entries whose value is `nil` are left out, so optional fields read naturally at the call site.
    public init(dictionaryLiteral elements: (String, ManifestValue?)...) {
        self.init(literal: elements)
    }

    /// The entries of a literal whose value is not `nil`, in order, in one allocation (`compactMap`
    /// grows its array entry by entry, and lowering writes tens of thousands of these).
    init(literal elements: [(String, ManifestValue?)]) {
        var entries: [ManifestEntry] = []
        entries.reserveCapacity(elements.count)
        for (key, value) in elements {
            if let value { entries.append(ManifestEntry(key, value)) }
        }
        self.init(entries)
    }
}

extension ManifestValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// A YAML string.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A YAML integer.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A YAML boolean.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A YAML list of the given values.
    public init(arrayLiteral elements: ManifestValue...) { self = .list(elements) }
    /// A YAML map in the order written; entries whose value is `nil` are left out.
    public init(dictionaryLiteral elements: (String, ManifestValue?)...) {
        self = .map(ManifestMap(literal: elements))
    }

    /// A list of strings.
    public static func strings(_ values: [String]) -> ManifestValue { .list(values.map { .string($0) }) }

    /// A map of strings in the given order.
    public static func stringMap(_ pairs: [(String, String)]) -> ManifestValue {
        .map(ManifestMap(pairs.map { ManifestEntry($0.0, .string($0.1)) }))
    }

    /// The map inside, if this is a map.
    public var mapValue: ManifestMap? {
        if case .map(let map) = self { return map }
        return nil
    }

    /// The items inside, if this is a list.
    public var listValue: [ManifestValue]? {
        if case .list(let items) = self { return items }
        return nil
    }
}

/// One Kubernetes object: its identity, and the whole document to write.
public struct KubernetesObject: Sendable, Equatable {
    /// The object's `apiVersion`, such as `apps/v1`.
    public var apiVersion: String
    /// The object's `kind`, such as `Deployment`.
    public var kind: String
    /// The object's `metadata.name`.
    public var name: String
    /// `nil` for cluster-scoped objects.
    public var namespace: String?
    /// The complete document: apiVersion, kind, metadata and the rest, in the order written.
    public var document: ManifestMap

    /// Builds an object whose document starts with apiVersion, kind and metadata, then `body`.
    public init(
        apiVersion: String,
        kind: String,
        name: String,
        namespace: String?,
        labels: [(String, String)],
        annotations: [(String, String)] = [],
        body: [ManifestEntry]
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = namespace
        let metadata: ManifestMap = [
            "name": .string(name),
            "namespace": namespace.map { .string($0) },
            "labels": labels.isEmpty ? nil : .stringMap(labels),
            "annotations": annotations.isEmpty ? nil : .stringMap(annotations),
        ]
        var entries: [ManifestEntry] = []
        entries.reserveCapacity(3 + body.count)
        entries.append(ManifestEntry("apiVersion", .string(apiVersion)))
        entries.append(ManifestEntry("kind", .string(kind)))
        entries.append(ManifestEntry("metadata", .map(metadata)))
        entries.append(contentsOf: body)
        self.document = ManifestMap(entries)
    }
}
