/// Renders a `ManifestValue` as compact JSON (for request bodies the bootstrap script sends to
/// Vault on stdin). Strings are quoted by `JSON.string`, the one JSON quoting function.
public enum JSONRenderer {
    public static func render(_ value: ManifestValue) -> String {
        switch value {
        case .string(let text): JSON.string(text)
        case .int(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .list(let items): "[" + items.map(render).joined(separator: ",") + "]"
        case .map(let map): "{" + map.entries.map { JSON.string($0.key) + ":" + render($0.value) }.joined(separator: ",") + "}"
        }
    }
}
