/// Vault names that two specs of one call would both write: one environment's bootstrap script
/// would silently replace the other's policy or role.
public enum VaultNameCollisions {
    /// One claim on a Vault name, and where its spec writes it.
    struct Claim {
        var key: String
        var description: String
        var range: SourceRange?
    }

    /// An error at each later claim of a policy (Vault folds their names to lowercase), of a role
    /// on the same auth mount, or of an auth mount whose config Keyway owns, on the same Vault
    /// server, naming the spec that claimed it first.
    public static func find(in specs: [(name: String, result: CompileResult)]) -> [(index: Int, diagnostic: Diagnostic)] {
        var first: [String: (spec: String, description: String)] = [:]
        var found: [(index: Int, diagnostic: Diagnostic)] = []
        for (index, spec) in specs.enumerated() {
            for claim in claims(of: spec.result) {
                guard let earlier = first[claim.key] else {
                    first[claim.key] = (spec.name, claim.description)
                    continue
                }
                guard let range = claim.range ?? spec.result.nameRange else { continue }
                let diagnostic = Diagnostic(
                    .error,
                    .vaultNameCollision,
                    "\(claim.description) is also written by '\(earlier.spec)'",
                    at: range,
                    help: "give each environment its own Vault names: the second bootstrap script would replace the first's"
                )
                found.append((index, diagnostic))
            }
        }
        return found
    }

    static func claims(of result: CompileResult) -> [Claim] {
        guard let setup = result.environment?.vault else { return [] }
        let server = setup.server.lowercased().trimmingSuffix("/") + " "
        var claims: [Claim] = []
        // Only an owned mount is claimed: its config is rewritten on every run.
        if let mount = setup.authMount, case .kubernetesFromEnvironment(ownedByKeyway: true) = mount.configuration {
            claims.append(
                Claim(key: server + "mount:auth/\(mount.path)", description: "auth mount '\(mount.path)' (ownsMount)", range: result.vaultSites.role))
        }
        var seen = Set<String>()
        for grant in setup.grants {
            let policy = server + "policy:" + grant.policy.name.lowercased()
            if seen.insert(policy).inserted {
                claims.append(Claim(key: policy, description: "policy '\(grant.policy.name)'", range: result.vaultSites.policyName))
            }
            if let (mount, role) = grant.credential.role {
                let key = server + "role:auth/\(mount)/role/\(role)"
                if seen.insert(key).inserted {
                    claims.append(Claim(key: key, description: "role '\(role)' of auth mount '\(mount)'", range: result.vaultSites.role))
                }
            }
        }
        return claims
    }
}

extension VaultCredential {
    /// The auth mount and role of a login method; `nil` for a token.
    var role: (mount: String, name: String)? {
        switch self {
        case .periodicToken: nil
        case .kubernetesRole(let role): (role.mount, role.name)
        case .appRole(let role): (role.mount, role.name)
        }
    }
}

extension String {
    func trimmingSuffix(_ suffix: Character) -> String {
        var text = self
        while text.last == suffix { text.removeLast() }
        return text
    }
}
