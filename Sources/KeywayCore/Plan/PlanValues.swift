/// A policy's rules as Vault evaluates them: per path, the union of its blocks' capabilities.
struct MergedRules {
    /// The paths in the order first written.
    private(set) var paths: [String] = []
    /// Each path's capabilities.
    private(set) var capabilities: [String: Set<String>] = [:]

    /// Merges the `(path, capabilities)` blocks.
    init(_ blocks: [(String, [String])]) {
        for (path, granted) in blocks {
            if capabilities[path] == nil { paths.append(path) }
            capabilities[path, default: []].formUnion(granted)
        }
    }

    /// A path's capabilities as a list in Vault's order; `nil` when the policy has no rule for it.
    func value(_ path: String) -> ManifestValue? {
        capabilities[path].map { .strings(Self.ordered($0)) }
    }

    /// Vault's capabilities in the order its documentation lists them; any other after, sorted.
    static let order = ["create", "read", "update", "patch", "delete", "list", "sudo", "deny", "subscribe"]

    /// `capabilities` in `order`.
    static func ordered(_ capabilities: Set<String>) -> [String] {
        order.filter(capabilities.contains) + capabilities.subtracting(order).sorted()
    }
}

extension PlanComparison {
    /// Whether the live value is what the script writes, as Vault reads it back: a duration written
    /// as text (`1h`) comes back in seconds, lists are sets, text loses a file's trailing newline.
    static func same(_ written: ManifestValue?, _ live: ManifestValue?) -> Bool {
        switch (written, live) {
        case (nil, nil): return true
        case (nil, _), (_, nil): return false
        case (.string(let text)?, .int(let seconds)?):
            return Syntax.goDurationSeconds(text).map { $0 == Double(seconds) } ?? false
        case (.string(let a)?, .string(let b)?): return trimmed(a) == trimmed(b)
        case (.list(let a)?, .list(let b)?):
            return a.count == b.count && a.map(JSONRenderer.render).sorted() == b.map(JSONRenderer.render).sorted()
        case (.map(let a)?, .map(let b)?):
            return Set(a.entries.map(\.key)) == Set(b.entries.map(\.key))
                && a.entries.allSatisfy { same($0.value, b[$0.key]) }
        case (let a?, let b?): return a == b
        }
    }

    /// Text without trailing newlines (a PEM file's last line break).
    static func trimmed(_ text: String) -> Substring {
        var text = Substring(text)
        while text.last == "\n" || text.last == "\r\n" { text = text.dropLast() }
        return text
    }

    /// A live value as text for a message (a string as itself, anything else as JSON).
    static func text(_ value: ManifestValue?) -> String {
        switch value {
        case .string(let text)?: text
        case let value?: JSONRenderer.render(value)
        case nil: ""
        }
    }
}
