/// The identity of a Kubernetes object: what an input object and a compiled one are matched by.
struct ObjectKey: Hashable, Sendable {
    var kind: String
    var namespace: String?
    var name: String

    /// How messages name it: `Deployment 'meu-app'`.
    var described: String { "\(kind) '\(name)'" }
}

/// One document of an input manifest that is a Kubernetes object, with its places.
struct ManifestObject {
    /// The input file's index.
    var file: Int
    var root: SpecMapping
    var apiVersion: String
    var kind: String
    var name: String
    /// `nil` when the object names none.
    var namespace: String?

    var node: SpecNode { .mapping(root) }
    /// Where the object's name is written, for messages about the object as a whole.
    var nameRange: SourceRange { node.at("metadata", "name")?.range ?? root.range }
    var described: String { "\(kind) '\(name)'" }

    /// The object as one document of a manifest stream; `nil` for a document that is no object.
    init?(file: Int, node: SpecNode) {
        guard case .mapping(let root) = node,
            let apiVersion = node["apiVersion"]?.text, let kind = node["kind"]?.text,
            let name = node.at("metadata", "name")?.text
        else { return nil }
        self.file = file
        self.root = root
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = node.at("metadata", "namespace")?.text
    }

    /// `namespace` is the namespace assumed where the object names none.
    func key(namespace assumed: String?) -> ObjectKey {
        ObjectKey(kind: kind, namespace: namespace ?? assumed, name: name)
    }
}

/// Reading the surface tree of a manifest: lookups that give `nil` where the shape differs.
extension SpecNode {
    /// The value of `key` in a mapping.
    subscript(key: String) -> SpecNode? { entry(key)?.value }

    func entry(_ key: String) -> SpecEntry? {
        guard case .mapping(let mapping) = self else { return nil }
        return mapping.entries.first { $0.key.text == key }
    }

    /// The value at a path of mapping keys.
    func at(_ keys: String...) -> SpecNode? {
        var node: SpecNode? = self
        for key in keys { node = node?[key] }
        return node
    }

    /// The value at a path of mapping keys.
    func at(path keys: [String]) -> SpecNode? {
        var node: SpecNode? = self
        for key in keys { node = node?[key] }
        return node
    }

    /// A scalar's text, whatever its style; `nil` for a mapping, a list or a null.
    var text: String? {
        guard case .scalar(let scalar) = self else { return nil }
        if scalar.style == .plain, YAMLResolver.resolve(plain: scalar.text) == .null { return nil }
        return scalar.text
    }

    /// Whether the node is a null scalar (what `manifestValue` leaves out), without converting it.
    var isNull: Bool {
        guard case .scalar(let scalar) = self else { return false }
        return scalar.style == .plain && YAMLResolver.resolve(plain: scalar.text) == .null
    }

    /// A sequence's items; empty for anything else.
    var items: [SpecNode] {
        guard case .sequence(let sequence) = self else { return [] }
        return sequence.items
    }

    /// A mapping's entries; empty for anything else.
    var entries: [SpecEntry] {
        guard case .mapping(let mapping) = self else { return [] }
        return mapping.entries
    }

    /// A list of strings, or `nil` when any item is not a string.
    var strings: [String]? {
        guard case .sequence(let sequence) = self else { return nil }
        let texts = sequence.items.compactMap(\.text)
        return texts.count == sequence.items.count ? texts : nil
    }

    /// An integer written as one.
    var int: Int? {
        guard case .scalar(let scalar) = self, scalar.style == .plain, YAMLResolver.resolve(plain: scalar.text) == .int
        else { return nil }
        return Int(scalar.text)
    }

    /// The node as a manifest value, as the compiler would write it: plain scalars typed by YAML's
    /// rules, floats and timestamps kept as their text; `nil` for a null, and nulls inside are left out.
    var manifestValue: ManifestValue? {
        switch self {
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .string(scalar.text) }
            switch YAMLResolver.resolve(plain: scalar.text) {
            case .null: return nil
            case .bool(let value): return .bool(value)
            case .int: return Int(scalar.text).map { .int($0) } ?? .string(scalar.text)
            case .string, .float, .timestamp, .merge: return .string(scalar.text)
            }
        case .sequence(let sequence):
            return .list(sequence.items.compactMap(\.manifestValue))
        case .mapping(let mapping):
            return .map(
                ManifestMap(
                    mapping.entries.compactMap { entry in
                        entry.value.manifestValue.map { ManifestEntry(entry.key.text, $0) }
                    }))
        }
    }
}
