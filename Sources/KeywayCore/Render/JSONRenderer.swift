/// Renders a `ManifestValue` as JSON, compact or indented.
///
/// Compact for request bodies the bootstrap script sends to Vault on stdin; indented for files
/// and output a person reads. Strings are quoted by `JSON.string`, the one JSON quoting function.
public enum JSONRenderer {
    /// Compact JSON on one line, without a trailing newline: a request body for Vault.
    public static func render(_ value: ManifestValue) -> String {
        switch value {
        case .string(let text): JSON.string(text)
        case .int(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .list(let items): "[" + items.map(render).joined(separator: ",") + "]"
        case .map(let map):
            "{" + map.entries.map { JSON.string($0.key) + ":" + render($0.value) }.joined(separator: ",") + "}"
        }
    }

    /// Indented by two spaces per level, one member or item per line, ending in a newline.
    public static func pretty(_ value: ManifestValue) -> String { pretty(value, indent: "") + "\n" }

    private static func pretty(_ value: ManifestValue, indent: String) -> String {
        let inner = indent + "  "
        switch value {
        case .string, .int, .bool: return render(value)
        case .list(let items):
            guard !items.isEmpty else { return "[]" }
            return "[\n" + items.map { inner + pretty($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .map(let map):
            guard !map.isEmpty else { return "{}" }
            let members = map.entries.map { inner + JSON.string($0.key) + ": " + pretty($0.value, indent: inner) }
            return "{\n" + members.joined(separator: ",\n") + "\n\(indent)}"
        }
    }
}
