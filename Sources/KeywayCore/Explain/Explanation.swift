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

/// A path a spec references, relative to its KV mount; the mount is named when the environment
/// has several (`vault.kv` a list).
public struct VaultReference: Sendable, Equatable, Hashable {
    /// What is read, relative to the mount.
    public enum Kind: Sendable, Equatable, Hashable {
        /// One secret (`extract`, `keys`).
        case secret(String)
        /// Every secret below a folder (`find`); the empty path is the whole mount.
        case folder(String)
        /// One secret's KV v2 custom metadata (`metadataPolicy: Fetch`), not its data.
        case metadata(String)
    }

    /// The path and how it is read.
    public var kind: Kind
    /// The KV mount, when the environment has several; `nil` with one.
    public var mount: String?

    /// One secret, in `mount` (`nil`: the environment's one mount).
    public static func secret(_ path: String, mount: String? = nil) -> VaultReference {
        VaultReference(kind: .secret(path), mount: mount)
    }

    /// Every secret below a folder, in `mount` (`nil`: the environment's one mount).
    public static func folder(_ path: String, mount: String? = nil) -> VaultReference {
        VaultReference(kind: .folder(path), mount: mount)
    }

    /// One secret's metadata, in `mount` (`nil`: the environment's one mount).
    public static func metadata(_ path: String, mount: String? = nil) -> VaultReference {
        VaultReference(kind: .metadata(path), mount: mount)
    }

    /// As `explain` writes it: a secret's path as ESO reads it (its metadata too), a folder's with
    /// a trailing `/`; `MOUNT:` before it when the environment has several mounts.
    public var text: String {
        let path =
            switch kind {
            case .secret(let path), .metadata(let path): path
            case .folder(let path): path + "/"
            }
        return Self.qualified(path, mount: mount)
    }

    /// `MOUNT:PATH` when a mount is named, else the path: how `explain` names a path of one of
    /// several mounts.
    public static func qualified(_ path: String, mount: String?) -> String {
        mount.map { "\($0):\(path)" } ?? path
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
    /// The name `explain` gives every namespace of the cluster when a ClusterSecretStore serves
    /// them all (`allNamespaces`): no Kubernetes namespace can be called `*`.
    public static let anyNamespace = "*"

    /// Explains a compiled environment: its model's apps and store, its `VaultSetup`'s policies.
    public init(_ compiled: CompiledEnvironment) { self.init(compiled.vaultSide) }

    /// Explains a spec compiled as far as its Vault side (`Compiler.compileVault`).
    ///
    /// Linear in the size of the spec and of what it prints: the apps are grouped by namespace
    /// once, each policy is evaluated once (`VaultACL`), and only the references its rules can
    /// match are evaluated against it.
    public init(_ compiled: CompiledVault) {
        let model = compiled.model
        var appsByNamespace: [String: [App]] = [:]
        for app in model.apps { appsByNamespace[app.namespace, default: []].append(app) }
        let vault = model.vault
        let index = ReferenceIndex(references: Self.references(of: model.apps, vault), mounts: vault.mounts)
        var evaluated: [String: (canRead: [VaultReference], under: [String])] = [:]
        var grants: [String?: VaultGrant] = [:]
        for grant in compiled.vault.grants where grants[grant.namespace] == nil { grants[grant.namespace] = grant }
        func access(for namespace: String?) -> (policy: String?, canRead: [VaultReference], under: [String]) {
            guard let grant = grants[namespace] ?? grants[nil] else { return (nil, [], []) }
            if let known = evaluated[grant.policy.name] { return (grant.policy.name, known.canRead, known.under) }
            let policy = PolicyAccess(policy: grant.policy, mounts: model.vault.mounts)
            let result = (canRead: index.readable(by: policy), under: policy.foldersReadWhole)
            evaluated[grant.policy.name] = result
            return (grant.policy.name, result.canRead, result.under)
        }
        let mounts = model.vault.mounts
        let store = mounts.indices.map { "\(model.store.kind.kindName)/\(model.store.name(forMount: $0, of: mounts))" }
            .joined(separator: ", ")
        environment = compiled.name
        namespaces = model.namespaces.map { namespace in
            let apps = appsByNamespace[namespace] ?? []
            let granted = access(for: namespace)
            let consumers = Self.consumers(among: apps)
            return NamespaceAccess(
                namespace: namespace, store: store, policy: granted.policy, reads: Self.references(of: apps, vault),
                canRead: granted.canRead, canReadUnder: granted.under,
                secrets: apps.flatMap { app in
                    app.ownSecrets.map { secret in
                        SecretAccess(
                            externalSecret: secret.name, target: secret.target,
                            consumers: consumers[SecretKey(owner: app.name, secret: secret.name)] ?? [])
                    }
                }
            )
        }
        alsoServed = model.store.conditions.flatMap(Self.served)
        if case .cluster(allNamespaces: true) = model.store.kind {
            let granted = access(for: nil)
            namespaces.append(
                NamespaceAccess(
                    namespace: Self.anyNamespace, store: store, policy: granted.policy, reads: [],
                    canRead: granted.canRead, canReadUnder: granted.under, secrets: []))
        }
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

    /// An app's secret, by the app that defines it.
    struct SecretKey: Hashable {
        var owner: String
        var secret: String
    }

    /// `KIND/NAME` of every workload whose pods use each Secret: the defining app's own and those
    /// that `use` it, unless they only sync it (`expose: none`), in app order.
    static func consumers(among apps: [App]) -> [SecretKey: [String]] {
        var consumers: [SecretKey: [String]] = [:]
        for app in apps {
            var seen = Set<SecretKey>()
            for secret in app.secrets where secret.exposure != .none {
                let key = SecretKey(owner: secret.origin.owner(listedBy: app.name), secret: secret.name)
                if seen.insert(key).inserted {
                    consumers[key, default: []].append("\(app.kind.rawValue)/\(app.workloadName)")
                }
            }
        }
        return consumers
    }

    /// The references of some apps' secrets, in spec order, each once: where ESO reads them,
    /// relative to the mount (the model's paths are ESO's, `ESOVaultPaths`), each naming its
    /// mount when the environment has several.
    static func references(of apps: [App], _ vault: VaultConfiguration) -> [VaultReference] {
        var seen = Set<VaultReference>()
        return apps.flatMap(\.ownSecrets).flatMap { secret -> [VaultReference] in
            let mount = vault.mounts.count > 1 ? vault.mount(of: secret).path : nil
            switch secret.source {
            case .extract(let extract): return [.secret(extract.path, mount: mount)]
            case .keys(let keys):
                return keys.map {
                    $0.metadataPolicy == .fetch ? .metadata($0.path, mount: mount) : .secret($0.path, mount: mount)
                }
            case .find(let find): return [.folder(find.path ?? "", mount: mount)]
            }
        }.filter { seen.insert($0).inserted }
    }
}

/// The spec's references by the API path a policy must grant in each mount, sorted, so that the
/// references a policy's rules can match are found by binary search instead of testing every one.
struct ReferenceIndex {
    /// `(API path, position in spec order)` for every reference in every mount, sorted by path.
    private let sorted: [(path: String, position: Int)]
    private let references: [VaultReference]

    init(references: [VaultReference], mounts: [KVMount]) {
        self.references = references
        // The positions of the references naming each mount, and of those naming none (any mount).
        var named: [String: [Int]] = [:]
        var unnamed: [Int] = []
        for (position, reference) in references.enumerated() {
            if let mount = reference.mount {
                named[mount, default: []].append(position)
            } else {
                unnamed.append(position)
            }
        }
        sorted = mounts.flatMap { mount in
            (unnamed + (named[mount.path] ?? [])).map { (MountAccess.apiPath(of: references[$0], in: mount), $0) }
        }.sorted { $0.path < $1.path }
    }

    /// The references the policy lets its holder read, in spec order: candidates are those whose
    /// API path a rule names or starts; each is then checked with Vault's matching.
    ///
    /// Each candidate is visited about once: a glob inside a folder another glob already walked
    /// adds none (its references are in that walk), and an exact rule visits its own path only.
    func readable(by access: PolicyAccess) -> [VaultReference] {
        var positions = Set<Int>()
        var walked: String?
        for prefix in access.policy.rules.filter(\.isGlob).map(\.prefix).sorted() {
            if let walked, prefix.hasPrefix(walked) { continue }
            walked = prefix
            for candidate in sorted.run(startingWith: prefix, key: \.path) { positions.insert(candidate.position) }
        }
        for rule in access.policy.rules where !rule.isGlob {
            for candidate in sorted.run(equalTo: rule.path, key: \.path) { positions.insert(candidate.position) }
        }
        return positions.sorted().map { references[$0] }.filter(access.canRead)
    }
}

/// What one policy lets its holder read of the KV mounts: a reference naming its mount is
/// readable in that mount, one naming none (the environment's one mount) in any.
struct PolicyAccess {
    let policy: VaultPolicy
    let mounts: [MountAccess]
    /// The positions in `mounts` of the mounts of each path.
    private let positions: [String: [Int]]

    init(policy: VaultPolicy, mounts: [KVMount]) {
        self.policy = policy
        let acl = VaultACL(policy)
        self.mounts = mounts.map { MountAccess(policy: policy, mount: $0, acl: acl) }
        var positions: [String: [Int]] = [:]
        for (position, mount) in mounts.enumerated() { positions[mount.path, default: []].append(position) }
        self.positions = positions
    }

    /// Whether some mount the reference names (any, for one naming none) lets its holder read it.
    func canRead(_ reference: VaultReference) -> Bool {
        guard let named = reference.mount else { return mounts.contains { $0.canRead(reference) } }
        return (positions[named] ?? []).contains { mounts[$0].canRead(reference) }
    }

    /// The folders of every mount the policy opens whole, each once; with several mounts each
    /// names its mount (`MOUNT:FOLDER/`).
    ///
    /// Each `FOLDER/*` rule is asked only of the mounts whose data root starts it (`MountRoots`).
    var foldersReadWhole: [String] {
        let roots = MountRoots(mounts.map(\.mount))
        var rules = [[PolicyRule]](repeating: [], count: mounts.count)
        for rule in policy.rules where rule.isGlob && rule.prefix.hasSuffix("/") {
            for position in roots.mounts(startingWith: rule.prefix) { rules[position].append(rule) }
        }
        var seen = Set<String>()
        let named = mounts.count > 1
        return mounts.indices.flatMap { position in
            mounts[position].foldersReadWhole(among: rules[position]).map {
                VaultReference.qualified($0, mount: named ? mounts[position].mount.path : nil)
            }
        }.filter { seen.insert($0).inserted }
    }
}

/// What one policy lets its holder read of one KV mount.
struct MountAccess {
    let policy: VaultPolicy
    let mount: KVMount
    let acl: VaultACL

    init(policy: VaultPolicy, mount: KVMount, acl: VaultACL? = nil) {
        self.policy = policy
        self.mount = mount
        self.acl = acl ?? VaultACL(policy)
    }

    /// The API path a reference needs: a secret's data path, a folder's data path with a
    /// trailing `/` (the data root for the whole mount), a secret's metadata path.
    static func apiPath(of reference: VaultReference, in mount: KVMount) -> String {
        switch reference.kind {
        case .secret(let path): mount.dataPath(path)
        case .folder(let path): path.isEmpty ? mount.dataRoot : mount.dataPath(path) + "/"
        case .metadata(let path): mount.metadataPath(path)
        }
    }

    /// A secret: `read` on its API path; a folder: `read` on everything below it (the whole mount
    /// for the empty path); a secret's metadata: `read` on its metadata path.
    func canRead(_ reference: VaultReference) -> Bool {
        let path = Self.apiPath(of: reference, in: mount)
        switch reference.kind {
        case .secret, .metadata: return acl.capabilities(at: path).contains(.read)
        case .folder: return acl.grantsEverywhere(.read, below: path)
        }
    }

    /// The folders of the mount the policy opens whole, from its `FOLDER/*` rules under the mount's
    /// data root among `rules` (the policy's, or those of them that may be under the mount's data
    /// root), each checked with `canRead`, written with a trailing `/`; `/` is the whole mount.
    func foldersReadWhole(among rules: [PolicyRule]) -> [String] {
        var seen = Set<String>()
        return rules.compactMap { rule -> String? in
            guard rule.isGlob, rule.prefix.hasPrefix(mount.dataRoot), rule.prefix.hasSuffix("/") else { return nil }
            let folder = String(rule.prefix.dropFirst(mount.dataRoot.count).dropLast())
            guard seen.insert(folder).inserted, canRead(.folder(folder)) else { return nil }
            return folder + "/"
        }
    }
}
