/// Renders Vault policies as HCL.
public enum HCLRenderer {
    public static func render(_ policy: VaultPolicy, header: [String]) -> String {
        var out = ""
        for line in header { out += line.isEmpty ? "#\n" : "# \(line)\n" }
        for rule in policy.rules {
            out += "\n"
            out += "path \(quote(rule.path)) {\n"
            out += "  capabilities = [\(rule.capabilities.map { quote($0.rawValue) }.joined(separator: ", "))]\n"
            out += "}\n"
        }
        return out
    }

    /// The one quoting function for HCL: a double-quoted string with `\`, `"` and control characters
    /// escaped. (Vault policies are HCL1, which does not interpolate `${…}`; names reaching here are
    /// validated to a safe set anyway.)
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
