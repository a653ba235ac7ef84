/// Who can read what: per app namespace, its store and policy, the Vault paths its own
/// ExternalSecrets read, and every path of the spec its store's credential can read, computed by
/// evaluating the policies of the `VaultSetup` with Vault's ACL matching (`VaultACL.swift`).
///
/// Order: namespaces, secrets and paths in spec order (first appearance); folders in the order of
/// the policy's rules.
public struct Explanation: Sendable, Equatable {
    /// `metadata.name`.
    public var environment: String
    /// One entry per app namespace, in the order the namespaces first appear.
    public var namespaces: [NamespaceAccess]
    /// The namespaces a ClusterSecretStore's `conditions` also serve, which Keyway cannot list:
    /// each reads through the store what its credential can (`namespaces labelled team=a`).
    public var alsoServed: [String] = []
}

/// What one app namespace's ExternalSecrets can read through its store.
public struct NamespaceAccess: Sendable, Equatable {
    /// The app namespace.
    public var namespace: String
    /// `KIND/NAME` of the store its ExternalSecrets use.
    public var store: String
    /// The policy bound to that store's credential; `nil` when there is none.
    public var policy: String?
    /// What its own ExternalSecrets reference.
    public var reads: [VaultReference]
    /// Every reference of the spec its credential can read.
    public var canRead: [VaultReference]
    /// The folders (relative to the mount) whose every secret its credential can read.
    public var canReadUnder: [String]
    /// The namespace's own ExternalSecrets, in spec order.
    public var secrets: [SecretAccess]
}

/// A path a spec references, relative to the KV mount.
public enum VaultReference: Sendable, Equatable, Hashable {
    /// One secret (`extract`, `keys`).
    case secret(String)
    /// Every secret below a folder (`find`); the empty path is the whole mount.
    case folder(String)
    /// One secret's KV v2 custom metadata (`metadataPolicy: Fetch`), not its data.
    case metadata(String)

    /// As `explain` writes it: a secret's path as the spec writes it (its metadata too), a
    /// folder's with a trailing `/`.
    public var text: String {
        switch self {
        case .secret(let path), .metadata(let path): path
        case .folder(let path): path + "/"
        }
    }
}

/// One ExternalSecret of a namespace and the workloads that consume its Secret.
public struct SecretAccess: Sendable, Equatable {
    /// The ExternalSecret's name.
    public var externalSecret: String
    /// The name of the Kubernetes Secret it writes.
    public var target: String
    /// `KIND/NAME` of each consuming workload, such as `Deployment/web`.
    public var consumers: [String]
}

extension Explanation {
    /// Explains a compiled environment: its model's apps and store, its `VaultSetup`'s policies.
    public init(_ compiled: CompiledEnvironment) {
        let model = compiled.model
        let all = Self.references(of: model.apps)
        environment = compiled.name
        namespaces = model.namespaces.map { namespace in
            let apps = model.apps.filter { $0.namespace == namespace }
            let grant =
                compiled.vault.grants.first { $0.namespace == namespace }
                ?? compiled.vault.grants.first { $0.namespace == nil }
            let access = grant.map { PolicyAccess(policy: $0.policy, mounts: model.vault.mounts) }
            let mounts = model.vault.mounts
            return NamespaceAccess(
                namespace: namespace,
                store: mounts.indices.map {
                    "\(model.store.kind.kindName)/\(model.store.name(forMount: $0, of: mounts))"
                }
                .joined(separator: ", "),
                policy: grant?.policy.name,
                reads: Self.references(of: apps),
                canRead: access.map { access in all.filter(access.canRead) } ?? [],
                canReadUnder: access?.foldersReadWhole ?? [],
                secrets: apps.flatMap { app in
                    app.ownSecrets.map { secret in
                        SecretAccess(
                            externalSecret: secret.name, target: secret.target,
                            consumers: Self.consumers(of: secret, definedBy: app, among: apps))
                    }
                }
            )
        }
        alsoServed = model.store.conditions.flatMap(Self.served)
    }

    /// What one of ESO's conditions serves, as `explain` says it.
    static func served(_ condition: StoreCondition) -> [String] {
        var served: [String] = []
        if let selector = condition.namespaceSelector {
            let labels = selector.matchLabels.map { "\($0.key)=\($0.value)" }
            let expressions = selector.matchExpressions.map { requirement in
                "\(requirement.key) \(requirement.operator.rawValue)"
                    + (requirement.values.isEmpty ? "" : " (\(requirement.values.joined(separator: ", ")))")
            }
            served.append("namespaces labelled " + (labels + expressions).joined(separator: ", "))
        }
        served += condition.namespaces.map { "namespace \($0)" }
        served += condition.namespaceRegexes.map { "namespaces whose name matches \($0)" }
        return served
    }

    /// `KIND/NAME` of every workload whose pods use the Secret an app's secret writes: the app's own
    /// and those that `use` it, unless they only sync it (`expose: none`).
    static func consumers(of secret: AppSecret, definedBy owner: App, among apps: [App]) -> [String] {
        apps.filter { app in
            app.secrets.contains { candidate in
                candidate.name == secret.name && candidate.origin.owner(listedBy: app.name) == owner.name
                    && candidate.exposure != .none
            }
        }.map { "\($0.kind.rawValue)/\($0.workloadName)" }
    }

    /// The references of some apps' secrets, in spec order, each once.
    static func references(of apps: [App]) -> [VaultReference] {
        var seen = Set<VaultReference>()
        return apps.flatMap(\.ownSecrets).flatMap { secret -> [VaultReference] in
            switch secret.source {
            case .extract(let extract): [.secret(extract.path)]
            case .keys(let keys): keys.map { $0.metadataPolicy == .fetch ? .metadata($0.path) : .secret($0.path) }
            case .find(let find): [.folder(find.path ?? "")]
            }
        }.filter { seen.insert($0).inserted }
    }
}

/// What one policy lets its holder read of the KV mounts: a reference is readable when it is in
/// any of them (with several mounts, `explain` never claims less than Vault grants).
struct PolicyAccess {
    let policy: VaultPolicy
    let mounts: [KVMount]

    func canRead(_ reference: VaultReference) -> Bool {
        mounts.contains { MountAccess(policy: policy, mount: $0).canRead(reference) }
    }

    /// The folders of every mount the policy opens whole, each once.
    var foldersReadWhole: [String] {
        var seen = Set<String>()
        return mounts.flatMap { MountAccess(policy: policy, mount: $0).foldersReadWhole }.filter {
            seen.insert($0).inserted
        }
    }
}

/// What one policy lets its holder read of one KV mount.
struct MountAccess {
    let policy: VaultPolicy
    let mount: KVMount

    /// A secret: `read` on its API path; a folder: `read` on everything below it (the whole mount
    /// for the empty path); a secret's metadata: `read` on `MOUNT/metadata/PATH`.
    func canRead(_ reference: VaultReference) -> Bool {
        switch reference {
        case .secret(let path): policy.capabilities(at: mount.readPath(path)).contains(.read)
        case .folder(let path):
            policy.grantsEverywhere(.read, below: path.isEmpty ? mount.readRoot : mount.readPath(path) + "/")
        case .metadata(let path): policy.capabilities(at: "\(mount.path)/metadata/\(path)").contains(.read)
        }
    }

    /// The folders of the mount the policy opens whole, from its `FOLDER/*` rules under the mount's
    /// read root, each checked with `canRead`, written with a trailing `/`.
    var foldersReadWhole: [String] {
        var seen = Set<String>()
        return policy.rules.compactMap { rule -> String? in
            guard rule.isGlob, rule.prefix.hasPrefix(mount.readRoot), rule.prefix.hasSuffix("/") else { return nil }
            let folder = String(rule.prefix.dropFirst(mount.readRoot.count).dropLast())
            guard !folder.isEmpty, seen.insert(folder).inserted, canRead(.folder(folder)) else { return nil }
            return folder + "/"
        }
    }
}
