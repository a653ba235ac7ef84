/// Vault names that two specs of one run would both write: one environment's bootstrap script
/// would silently replace the other's policy, role or auth mount config.
extension CrossSpecChecks {
    /// An error at each later claim, on the same Vault server, of a policy (Vault folds policy
    /// names to lowercase), of a role on the same auth mount, or of an auth mount whose config
    /// Keyway owns, naming the spec that claimed it first.
    @Sendable public static func vaultNames(_ specs: [CrossSpecEntry]) -> [CrossSpecFinding] {
        collisions(in: specs, claims: vaultNameClaims) { claim, first, range in
            Diagnostic(
                .vaultNameCollision,
                "\(claim) is also written by '\(first.spec)'",
                at: range,
                help:
                    "give each environment its own Vault names: the second bootstrap script would replace the first's",
                notes: [DiagnosticNote("first claimed here", at: first.range, file: first.spec)]
            )
        }
    }

    /// The Vault names one spec writes, with where it writes them: the same name on two servers,
    /// or in two Vault namespaces, is two objects.
    static func vaultNameClaims(_ entry: CrossSpecEntry) -> [(value: VaultNameClaim, range: SourceRange)] {
        guard let setup = entry.result.environment?.vault else { return [] }
        let sites = entry.result.vaultSites
        let claim = { (object: VaultNameClaim.Object) in
            VaultNameClaim(
                server: Syntax.serverIdentity(setup.server), namespace: setup.namespace, object: object)
        }
        var claims: [(value: VaultNameClaim, range: SourceRange?)] = []
        // Only an owned mount is claimed: its config is rewritten on every run.
        if let mount = setup.authMount, mount.configuration.ownedByKeyway {
            claims.append((claim(.authMount(path: mount.path)), sites.role))
        }
        for grant in setup.grants {
            claims.append((claim(.policy(name: grant.policy.name.lowercased())), sites.policyName))
            if let (mount, role) = grant.credential.role {
                claims.append((claim(.role(mount: mount, name: role)), sites.role))
            }
        }
        var seen = Set<VaultNameClaim>()
        return claims.compactMap { claim in
            guard seen.insert(claim.value).inserted, let range = claim.range ?? entry.result.nameRange else {
                return nil
            }
            return (claim.value, range)
        }
    }
}

/// One Vault object a spec writes, on one server and in one Vault namespace.
struct VaultNameClaim: Hashable, CustomStringConvertible {
    /// The kinds of Vault object two specs can both write.
    enum Object: Hashable {
        /// An auth mount whose config Keyway owns (`ownsMount`).
        case authMount(path: String)
        /// A policy, its name folded to lowercase as Vault does.
        case policy(name: String)
        /// A role of an auth mount.
        case role(mount: String, name: String)
    }

    /// The server's address, lowercased and without a trailing `/`.
    var server: String
    var namespace: String?
    var object: Object

    /// The object as messages name it: `policy 'p' in Vault namespace 'ns'`.
    var description: String {
        let inNamespace = namespace.map { " in Vault namespace '\($0)'" } ?? ""
        switch object {
        case .authMount(let path): return "auth mount '\(path)'\(inNamespace) (ownsMount)"
        case .policy(let name): return "policy '\(name)'\(inNamespace)"
        case .role(let mount, let name): return "role '\(name)' of auth mount '\(mount)'\(inNamespace)"
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
