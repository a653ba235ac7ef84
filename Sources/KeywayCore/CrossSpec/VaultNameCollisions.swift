/// Vault names that two specs of one run would both write: one environment's bootstrap script
/// would silently replace the other's policy, role or auth mount config.
extension CrossSpecChecks {
    /// An error at each later claim, on the same Vault server, of a policy (Vault folds policy
    /// names to lowercase), of a role on the same auth mount, or of an auth mount whose config
    /// Keyway owns, naming the spec that claimed it first.
    @Sendable public static func vaultNames(_ specs: [CrossSpecEntry]) -> [CrossSpecFinding] {
        alsoWritten(
            specs, claims: vaultNameClaims, code: .vaultNameCollision,
            help: "give each environment its own Vault names: the second bootstrap script would replace the first's",
            note: "first claimed here")
    }

    /// The Vault names one spec writes, each as `SERVER NUL NAMESPACE NUL DESCRIPTION`, with where it
    /// writes them: the same name in two Vault namespaces is two objects.
    static func vaultNameClaims(_ entry: CrossSpecEntry) -> [(value: String, range: SourceRange)] {
        guard let setup = entry.result.environment?.vault else { return [] }
        let sites = entry.result.vaultSites
        let inNamespace = setup.namespace.map { " in Vault namespace '\($0)'" } ?? ""
        let server = Syntax.serverIdentity(setup.server) + "\u{0}" + (setup.namespace ?? "") + "\u{0}"
        var claims: [(value: String, range: SourceRange?)] = []
        // Only an owned mount is claimed: its config is rewritten on every run.
        if let mount = setup.authMount, mount.configuration.ownedByKeyway {
            claims.append((server + "auth mount '\(mount.path)'\(inNamespace) (ownsMount)", sites.role))
        }
        for grant in setup.grants {
            claims.append((server + "policy '\(grant.policy.name.lowercased())'\(inNamespace)", sites.policyName))
            if let (mount, role) = grant.credential.role {
                claims.append((server + "role '\(role)' of auth mount '\(mount)'\(inNamespace)", sites.role))
            }
        }
        var seen = Set<String>()
        return claims.compactMap { claim in
            guard seen.insert(claim.value).inserted, let range = claim.range ?? entry.result.nameRange else {
                return nil
            }
            return (claim.value, range)
        }
    }
}

extension VaultCredential {
    /// The auth mount and role of a login method; `nil` for a token.
    var role: (mount: String, name: String)? {
        switch self {
        case .periodicToken: nil
        case .kubernetesRole(let role): (role.mount, role.name)
        case .appRole(let role): (role.mount, role.name)
        case .jwtRole(let role): (role.mount, role.name)
        case .userPass(let user): (user.mount, user.username)
        }
    }
}
