/// How Vault's token store records what a token is created with.
enum VaultTokenStore {
    /// The `display_name` Vault records for `token create -display-name=NAME`: `token-NAME` with every
    /// character outside `[a-zA-Z0-9-]` replaced by `-`, then one trailing `-` dropped.
    ///
    /// Ported from OpenBao's `internal/vault/token_store.go` (`displayNameSanitize` and the
    /// `display_name` handling of token creation) at commit df6ce2cebaa823979215c116a16820aa913fe3b1.
    /// Go's `regexp.ReplaceAllString` replaces per code point, as this does.
    static func recordedDisplayName(_ name: String) -> String {
        var full = ""
        for scalar in ("token-" + name).unicodeScalars {
            let kept =
                (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
            full.unicodeScalars.append(kept || scalar == "-" ? scalar : "-")
        }
        if full.hasSuffix("-") { full.removeLast() }
        return full
    }

    /// The `policies` of a token created with these policies (and no default policy), as
    /// `vault write -field=policies` prints them: trimmed, lower-cased, without duplicates, sorted,
    /// in Go's `[a b]` form.
    ///
    /// Ported from OpenBao's `sdk/helper/policyutil/policyutil.go` (`SanitizePolicies`, which sorts
    /// through `strutil.RemoveDuplicates(policies, true)`) at commit
    /// df6ce2cebaa823979215c116a16820aa913fe3b1.
    static func recordedPolicies(_ policies: [String]) -> String {
        let names = Set(
            policies.map {
                String($0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()).lowercased()
            }
        ).subtracting([""])
        return "[" + names.sorted().joined(separator: " ") + "]"
    }
}
