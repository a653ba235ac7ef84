/// What one ESO store serves: its policy (built from its apps), and where its credential lives.
///
/// A ClusterSecretStore is one scope for every app; in SecretStore mode each app namespace is a
/// scope of its own, with its own policy, Vault role and credential.
struct StoreScope {
    /// The store's namespace; `nil` for a ClusterSecretStore.
    var namespace: String?
    var policy: VaultPolicy
    /// The Vault role (kubernetes and appRole auth): in SecretStore mode, suffixed by the namespace.
    var role: String?
    /// The namespace of the credential Secret or service account ESO uses.
    var credentialNamespace: String?

    static func scopes(of environment: Environment) -> [StoreScope] {
        let vault = environment.vault
        switch environment.store.kind {
        case .cluster:
            return [
                StoreScope(
                    namespace: nil,
                    policy: VaultPolicy(
                        name: vault.policy.name, rules: PolicyRules.rules(for: environment.apps, vault: vault)),
                    role: vault.auth.roleName(in: nil),
                    credentialNamespace: vault.auth.configuredNamespace
                )
            ]
        case .namespaced:
            var byNamespace: [String: [App]] = [:]
            for app in environment.apps { byNamespace[app.namespace, default: []].append(app) }
            return environment.namespaces.map { namespace in
                let apps = byNamespace[namespace] ?? []
                return StoreScope(
                    namespace: namespace,
                    policy: VaultPolicy(
                        name: vault.policy.name(in: namespace), rules: PolicyRules.rules(for: apps, vault: vault)),
                    role: vault.auth.roleName(in: namespace),
                    credentialNamespace: namespace
                )
            }
        }
    }
}

extension PolicyConfiguration {
    /// The policy of a store: the spec's name for a ClusterSecretStore (`nil`); in SecretStore
    /// mode the namespace's name from `policy.names`, else `NAME-NAMESPACE`.
    func name(in namespace: String?) -> String {
        guard let namespace else { return name }
        return namespaceNames[namespace] ?? SpecDefaults.perNamespaceName(name, namespace: namespace)
    }
}

extension AuthMethod {
    /// The Vault role (the user, for userpass) of a store; `nil` for token auth.
    ///
    /// The spec's for a ClusterSecretStore (`nil`); in SecretStore mode the namespace's from
    /// `roles` (`usernames`), else `NAME-NAMESPACE`.
    func roleName(in namespace: String?) -> String? {
        let base: String
        let named: [String: String]
        switch self {
        case .token: return nil
        case .kubernetes(let auth): (base, named) = (auth.role, auth.namespaceRoles)
        case .appRole(let auth): (base, named) = (auth.role, auth.namespaceRoles)
        case .jwt(let auth): (base, named) = (auth.role, auth.namespaceRoles)
        case .userPass(let auth): (base, named) = (auth.username, auth.namespaceUsernames)
        }
        guard let namespace else { return base }
        return named[namespace] ?? SpecDefaults.perNamespaceName(base, namespace: namespace)
    }

    /// The namespace the spec gives the credential (ClusterSecretStore mode only).
    var configuredNamespace: String? {
        switch self {
        case .token(let auth): auth.secretRef.namespace
        case .kubernetes(let auth): auth.serviceAccountNamespace
        case .appRole(let auth): auth.secretRef.namespace
        case .jwt(let auth): auth.serviceAccountNamespace
        case .userPass(let auth): auth.secretRef.namespace
        }
    }
}

/// The least policy for a set of apps: which API paths ESO's Vault provider touches.
enum PolicyRules {
    /// One policy serves every KV mount: a prefix opens the same folder in each mount (and its
    /// metadata where a secret of that mount reads metadata); an exact policy each secret's paths
    /// in its own mount.
    static func rules(for apps: [App], vault: VaultConfiguration) -> [PolicyRule] {
        var builder = RuleSet()
        switch vault.policy.scope {
        case .prefix(let prefix):
            for (index, mount) in vault.mounts.enumerated() {
                builder.folder(prefix, in: mount)
                let readsMetadata = apps.contains {
                    $0.secrets.contains { $0.mountIndex == index && $0.source.readsMetadata }
                }
                if readsMetadata { builder.metadata(under: prefix, in: mount) }
            }
        case .exact:
            // Each chunk of apps on a core, merged in order: the rules and their order are those of
            // granting every secret in turn (a path keeps its first place, capabilities merge).
            let chunks = Concurrently.map(Concurrently.chunks(apps.count, size: appChunkSize)) { range in
                var chunk = RuleSet()
                for index in range {
                    for secret in apps[index].ownSecrets { chunk.source(secret.source, in: vault.mount(of: secret)) }
                }
                return chunk.rules
            }
            for rules in chunks {
                for rule in rules { builder.grant(rule.path, rule.capabilities) }
            }
        }
        return builder.rules
    }

    /// The apps whose rules one core gathers at a time.
    static let appChunkSize = 256

    /// Paths in first-seen order, each with its capabilities merged.
    private struct RuleSet {
        var rules: [PolicyRule] = []
        var index: [String: Int] = [:]

        mutating func grant(_ path: String, _ capabilities: [VaultCapability]) {
            if let position = index[path] {
                let held = rules[position].capabilities
                guard !capabilities.allSatisfy(held.contains) else { return }
                rules[position].capabilities = VaultCapability.allCases.filter {
                    held.contains($0) || capabilities.contains($0)
                }
            } else {
                index[path] = rules.count
                rules.append(
                    PolicyRule(path: path, capabilities: VaultCapability.allCases.filter(capabilities.contains)))
            }
        }

        /// What ESO's Vault provider reads for one source: `extract` and `keys` read each secret
        /// (a `?version=N` read is a read of the same path), `metadataPolicy: Fetch` its
        /// metadata instead; `find` lists and reads a folder, and by tags reads each candidate's
        /// metadata too.
        mutating func source(_ source: SecretSource, in mount: KVMount) {
            switch source {
            case .extract(let extract):
                secret(extract.path, in: mount)
            case .keys(let keys):
                for key in keys {
                    switch key.metadataPolicy {
                    case .fetch?: metadata(of: key.path, in: mount)
                    case .none?, nil: secret(key.path, in: mount)
                    }
                }
            case .find(let find):
                folder(find.path, in: mount)
                if find.readsMetadata { metadata(under: find.path, in: mount) }
            }
        }

        /// One secret read whole: its data path (`KVMount.dataPath`).
        mutating func secret(_ path: String, in mount: KVMount) {
            grant(mount.dataPath(path), [.read])
        }

        /// Everything under a folder (the whole mount for `nil`), listed recursively and read.
        ///
        /// What `find` and a prefix need. KV v2 lists below `metadata/` and reads below `data/`;
        /// KV v1 does both in one place.
        mutating func folder(_ path: String?, in mount: KVMount) {
            let below = path.map { "\($0)/" } ?? ""
            if mount.version == .v1 { grant(mount.metadataPath(below), [.list]) }  // v1: the folder first
            grant(mount.dataPath(below + "*"), [.read])
            grant(mount.metadataPath(below), [.list])
            grant(mount.metadataPath(below + "*"), [.list])
        }

        /// One secret's KV v2 metadata (`metadataPolicy: Fetch`): `read` on its metadata path.
        mutating func metadata(of path: String, in mount: KVMount) {
            switch mount.version {
            case .v2: grant(mount.metadataPath(path), [.read])
            case .v1: break  // KV v1 has no metadata: the builder refuses it (KW083).
            }
        }

        /// The KV v2 metadata of everything under a folder (a find by tags, or a prefix whose
        /// secrets fetch metadata): `read` on `metadataPath(PATH/*)`.
        mutating func metadata(under path: String?, in mount: KVMount) {
            switch mount.version {
            case .v2: grant(mount.metadataPath((path.map { "\($0)/" } ?? "") + "*"), [.read])
            case .v1: break  // KV v1 has no metadata: the builder refuses it (KW083).
            }
        }
    }
}
