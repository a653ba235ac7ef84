/// A place in a Kubernetes object: the map keys from the document's root, such as `spec.template`.
struct ManifestPath: Sendable, Hashable, ExpressibleByArrayLiteral {
    var components: [String]

    init(_ components: [String]) { self.components = components }
    init(arrayLiteral components: String...) { self.components = components }

    /// The path as written in diagnostics: components joined with `.`.
    var dotted: String { components.joined(separator: ".") }

    /// `self` followed by `suffix`.
    static func + (path: ManifestPath, suffix: ManifestPath) -> ManifestPath {
        ManifestPath(path.components + suffix.components)
    }

    /// `self` followed by one more key.
    func appending(_ key: String) -> ManifestPath { ManifestPath(components + [key]) }

    /// Whether `self` is one key below `parent`.
    func isChild(of parent: ManifestPath) -> Bool {
        components.count == parent.components.count + 1 && components.starts(with: parent.components)
    }
}

/// Paths every object has, and those inside a pod template.
extension ManifestPath {
    static let apiVersion: ManifestPath = ["apiVersion"]
    static let kind: ManifestPath = ["kind"]
    static let metadata: ManifestPath = ["metadata"]
    static let name: ManifestPath = ["metadata", "name"]
    static let namespace: ManifestPath = ["metadata", "namespace"]
    static let labels: ManifestPath = ["metadata", "labels"]
    static let annotations: ManifestPath = ["metadata", "annotations"]
    /// Inside a pod template: its containers.
    static let podContainers: ManifestPath = ["spec", "containers"]
    /// Inside a pod template: its volumes.
    static let podVolumes: ManifestPath = ["spec", "volumes"]
}

extension ManifestMap {
    /// The value at `path`, through nested maps; setting creates the maps on the way, appending new
    /// keys, and changes the nested maps in place (no copy of a map on the way).
    subscript(path: ManifestPath) -> ManifestValue? {
        get { value(at: path.components[...]) }
        set { setValue(newValue, at: path.components[...]) }
    }

    private func value(at keys: ArraySlice<String>) -> ManifestValue? {
        guard let first = keys.first else { return .map(self) }
        let rest = keys.dropFirst()
        if rest.isEmpty { return self[first] }
        return self[first]?.mapValue?.value(at: rest)
    }
}
