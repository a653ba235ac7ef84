/// Renders Vault policies as HCL.
public enum HCLRenderer {
    /// The policy's text: the header as `#` comments, then one `path` block per rule.
    public static func render(_ policy: VaultPolicy, header: [String]) -> String {
        var out = ""
        for line in header { out += line.isEmpty ? "#\n" : "# \(line)\n" }
        for rule in policy.rules {
            out += "\n"
            out += "path \(quoteHCL1(rule.path)) {\n"
            out += "  capabilities = [\(rule.capabilities.map { quoteHCL1($0.rawValue) }.joined(separator: ", "))]\n"
            out += "}\n"
        }
        return out
    }

    /// The one quoting function for HCL1, the dialect of Vault policies.
    ///
    /// A double-quoted string with `\`, `"` and control characters escaped. HCL1 does not
    /// interpolate `${…}`, so this is not safe for HCL2 (Terraform), which does; names reaching here
    /// are validated to a safe set anyway.
    public static func quoteHCL1(_ text: String) -> String {
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
                    out += "\\u" + String(scalar.value, radix: 16, uppercase: true).zeroPadded(to: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
