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
    public static func pretty(_ value: ManifestValue) -> String {
        var out = ""
        pretty(value, indent: "", into: &out)
        out += "\n"
        return out
    }

    /// Appends `value` indented (its first line not: the caller wrote that line's indent).
    private static func pretty(_ value: ManifestValue, indent: String, into out: inout String) {
        let inner = indent + "  "
        switch value {
        case .string(let text): JSON.append(text, to: &out)
        case .int, .bool: out += render(value)
        case .list(let items):
            guard !items.isEmpty else { return out += "[]" }
            out += "[\n"
            for (offset, item) in items.enumerated() {
                out += offset == 0 ? inner : ",\n" + inner
                pretty(item, indent: inner, into: &out)
            }
            out += "\n" + indent + "]"
        case .map(let map):
            guard !map.isEmpty else { return out += "{}" }
            out += "{\n"
            for (offset, entry) in map.entries.enumerated() {
                out += offset == 0 ? inner : ",\n" + inner
                JSON.append(entry.key, to: &out)
                out += ": "
                pretty(entry.value, indent: inner, into: &out)
            }
            out += "\n" + indent + "}"
        }
    }
}
