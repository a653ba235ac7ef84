/// Prints a `VaultPlan`: text for a person (as `terraform plan` reads), JSON for a program.
public enum PlanRenderer {
    /// `+` for what would be created, `~` for what would change, each field `from -> to`; the
    /// credentials after, then a count.
    public static func text(_ plan: VaultPlan, target: String) -> String {
        var lines = ["Plan for environment '\(plan.environment)' against \(target):", ""]
        if plan.changes.isEmpty {
            lines.append("No changes: Vault holds what bootstrap.sh writes.")
        }
        for change in plan.changes {
            let sign = change.action == .create ? "+" : "~"
            lines.append("\(sign) \(change.kind.rawValue) \(change.path)")
            for note in change.notes { lines.append("    note: \(note)") }
            for field in change.fields {
                lines.append("    \(field.name): \(text(field.from)) -> \(text(field.to))")
            }
        }
        if !plan.credentials.isEmpty {
            lines += ["", "Credentials (never a value; not changes):"]
            for credential in plan.credentials {
                lines.append("  \(credential.path): \(credential.note)")
            }
        }
        let created = plan.changes.filter { $0.action == .create }.count
        if !plan.changes.isEmpty {
            lines += ["", "Plan: \(created) to create, \(plan.changes.count - created) to update."]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A value in text: JSON, or `(none)` when absent.
    static func text(_ value: ManifestValue?) -> String { value.map(JSONRenderer.render) ?? "(none)" }

    /// `{"environment", "changes": [{"action", "kind", "path", "fields": {NAME: {"from", "to"}},
    /// "notes"}], "credentials": [{"path", "present", "note"}]}`, indented, `null` where absent.
    public static func json(_ plan: VaultPlan) -> String {
        let changes = plan.changes.map { change in
            let fields = change.fields.map { field in
                "\(JSON.string(field.name)): {\"from\": \(json(field.from)), \"to\": \(json(field.to))}"
            }
            return [
                "\"action\": \(JSON.string(change.action.rawValue))",
                "\"kind\": \(JSON.string(change.kind.rawValue))",
                "\"path\": \(JSON.string(change.path))",
                "\"fields\": " + object(fields, indent: "      "),
                "\"notes\": " + JSONRenderer.render(.strings(change.notes)),
            ]
        }
        let credentials = plan.credentials.map { credential in
            [
                "\"path\": \(JSON.string(credential.path))",
                "\"present\": \(credential.present.map { $0 ? "true" : "false" } ?? "null")",
                "\"note\": \(JSON.string(credential.note))",
            ]
        }
        return object(
            [
                "\"environment\": \(JSON.string(plan.environment))",
                "\"changes\": " + list(changes.map { object($0, indent: "    ") }, indent: "  "),
                "\"credentials\": " + list(credentials.map { object($0, indent: "    ") }, indent: "  "),
            ], indent: "") + "\n"
    }

    /// A value as JSON, `null` when absent.
    static func json(_ value: ManifestValue?) -> String { value.map(JSONRenderer.render) ?? "null" }

    /// Members, one a line, indented below `indent`.
    static func object(_ members: [String], indent: String) -> String {
        guard !members.isEmpty else { return "{}" }
        return "{\n" + members.map { indent + "  " + $0 }.joined(separator: ",\n") + "\n\(indent)}"
    }

    /// Items, one a line, indented below `indent`.
    static func list(_ items: [String], indent: String) -> String {
        guard !items.isEmpty else { return "[]" }
        return "[\n" + items.map { indent + "  " + $0 }.joined(separator: ",\n") + "\n\(indent)]"
    }
}
