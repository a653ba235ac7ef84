/// Mermaid's two quoting rules: node ids and quoted labels.
///
/// Node ids come from one function, injective, so two names never share a node; quoted labels
/// carry node and edge text. Diagrams are built from these, never from names pasted into the text.
public enum Mermaid {
    /// A node id: `kind_` then the name with every byte but ASCII letters and digits written as
    /// `_` and two hex digits (`staging/shop` -> `path_staging_2fshop`).
    public static func id(_ kind: String, _ name: String) -> String {
        var out = kind + "_"
        for byte in name.utf8 {
            let isLetterOrDigit =
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            if isLetterOrDigit {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "_" + String(byte, radix: 16).zeroPadded(to: 2)
            }
        }
        return out
    }

    /// A quoted label of one or more lines: `"`, `<`, `>`, `#` and `&` as entity codes, lines
    /// joined by `<br/>`.
    public static func label(_ lines: [String]) -> String {
        let escaped = lines.map { line in
            line.unicodeScalars.map { scalar -> String in
                switch scalar {
                case "\"": "#quot;"
                case "#": "#35;"
                case "<": "#lt;"
                case ">": "#gt;"
                case "&": "#amp;"
                case "\n", "\r": " "
                default: String(scalar)
                }
            }.joined()
        }
        return "\"" + escaped.joined(separator: "<br/>") + "\""
    }
}
