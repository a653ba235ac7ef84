/// The store the ExternalSecrets reference, and the Vault connection it describes.
struct StoreConnection {
    /// The store objects of the first KV mount: one ClusterSecretStore, or a SecretStore per namespace.
    var objects: [Int]
    /// The store objects of the other KV mounts (`NAME-MOUNT`), in input order.
    var otherMountObjects: [Int] = []
    var store: ImportedStore
    var server: String
    /// The KV mounts, the store's own first, then each `NAME-MOUNT` store's.
    var mounts: [KVMount]
    /// The index in `mounts` of each store's name.
    var mountOfStore: [String: Int]
    /// `spec.provider.vault.auth` of the first store.
    var auth: SpecNode?

    var namespace: String?
    var ca: (key: SpecKey.Vault, value: ManifestValue)?

    func vault(auth: ImportedAuth) -> ImportedVault {
        ImportedVault(server: server, namespace: namespace, ca: ca, mounts: mounts, auth: auth)
    }
}

extension ImportContext {
    static let storeKinds = ["ClusterSecretStore", "SecretStore"]

    /// The store: the one the first ExternalSecret references, else the first among the inputs.
    mutating func storeConnection() -> StoreConnection? {
        let stores = objects.indices.filter { Self.storeKinds.contains(objects[$0].kind) }
        let all = objects
        let wanted = indices(ofKind: "ExternalSecret").compactMap { all[$0].node.at("spec", "secretStoreRef") }.first
        let chosen =
            stores.first { index in
                wanted.map {
                    objects[index].name == $0["name"]?.text
                        && objects[index].kind == ($0["kind"]?.text ?? ESODefaults.storeRefKind)
                } ?? false
            } ?? stores.first
        guard let first = chosen.map({ firstMountStore($0, among: stores) }) else {
            sink.report(
                .importIncomplete,
                "no ClusterSecretStore or SecretStore among the inputs: a spec needs the Vault connection", file: nil)
            return nil
        }
        let object = objects[first]
        guard let vault = object.node.at("spec", "provider", "vault"), let server = vault["server"]?.text else {
            sink.report(
                .importIncomplete, "\(object.described) is not a Vault store: it has no 'spec.provider.vault.server'",
                file: object.file,
                at: object.nameRange)
            return nil
        }
        let kind: StoreKind =
            object.kind == "SecretStore"
            ? .namespaced : .cluster(allNamespaces: object.node.at("spec", "conditions") == nil)
        let members = stores.filter { objects[$0].kind == object.kind && objects[$0].name == object.name }
        var connection = StoreConnection(
            objects: kind == .namespaced ? members : [first],
            store: ImportedStore(
                name: object.name, kind: kind, apiVersion: ESOAPIVersion(rawValue: object.apiVersion) ?? .v1),
            server: server,
            mounts: [kvMount(vault, object: first)],
            mountOfStore: [object.name: 0],
            auth: vault["auth"]
        )
        connection.namespace = vault["namespace"]?.text
        connection.ca = certificateAuthority(vault, object: first)
        addMountStores(to: &connection, among: stores)
        return connection
    }

    /// The stores of the other KV mounts: of the store's kind, named `NAME-MOUNT` for their own
    /// mount by the name lowering gives them (`StoreConfiguration.name(_:mount:)`).
    mutating func addMountStores(to connection: inout StoreConnection, among stores: [Int]) {
        let kind = objects[connection.objects[0]].kind
        for index in stores where objects[index].kind == kind && objects[index].name != connection.store.name {
            guard let vault = objects[index].node.at("spec", "provider", "vault"), let path = vault["path"]?.text,
                StoreConfiguration.name(connection.store.name, mount: path) == objects[index].name
            else { continue }
            connection.otherMountObjects.append(index)
            guard connection.mountOfStore[objects[index].name] == nil else { continue }
            connection.mountOfStore[objects[index].name] = connection.mounts.count
            connection.mounts.append(kvMount(vault, object: index))
        }
    }

    /// The store the first ExternalSecret references, or, when that is the store of another KV
    /// mount (`NAME-MOUNT`), the store `NAME` of the first mount.
    func firstMountStore(_ chosen: Int, among stores: [Int]) -> Int {
        let object = objects[chosen]
        return stores.first { index in
            let base = objects[index]
            guard base.kind == object.kind, base.name != object.name,
                let path = object.node.at("spec", "provider", "vault", "path")?.text
            else { return false }
            return StoreConfiguration.name(base.name, mount: path) == object.name
        } ?? chosen
    }

    /// The KV mount a store reads: its `path` and `version`.
    mutating func kvMount(_ vault: SpecNode, object: Int) -> KVMount {
        KVMount(path: storeMount(vault, object: object), version: kvVersion(vault))
    }

    func kvVersion(_ vault: SpecNode) -> KVVersion {
        vault["version"]?.text.flatMap(ESOVault.version(named:)) ?? ESOVault.defaultVersion
    }

    /// The mount a store without `path` reads: the one first segment of every key its
    /// ExternalSecrets read, when ESO requests each key there with that mount as the store's path
    /// too (`ESOVaultPaths`); `nil` when the keys name several, or read metadata or find.
    func pathlessMount(object: Int, version: KVVersion) -> String? {
        let store = objects[object]
        var requests: [(key: String, request: String)] = []
        for index in indices(ofKind: "ExternalSecret") {
            let spec = objects[index].node["spec"]
            guard let ref = spec?["secretStoreRef"], ref["name"]?.text == store.name,
                ref["kind"]?.text ?? ESODefaults.storeRefKind == store.kind,
                store.kind == "ClusterSecretStore" || objects[index].namespace == store.namespace
            else { continue }
            for item in spec?["data"]?.items ?? [] {
                guard let key = item.at("remoteRef", "key")?.text, item.at("remoteRef", "metadataPolicy") == nil
                else { return nil }
                requests.append((key, ESOVaultPaths.requestWithoutStorePath(key, version: version)))
            }
            for item in spec?["dataFrom"]?.items ?? [] {
                guard let key = item.at("extract", "key")?.text else { return nil }
                requests.append((key, ESOVaultPaths.requestWithoutStorePath(key, version: version)))
            }
        }
        let mounts = Set(requests.map { $0.request.split(separator: "/").first.map(String.init) ?? "" })
        guard mounts.count == 1, let mount = mounts.first, !mount.isEmpty else { return nil }
        let kv = KVMount(path: mount, version: version)
        let same = requests.allSatisfy { ESOVaultPaths.request($0.key, .data, mount: kv) == $0.request }
        return same ? mount : nil
    }

    /// `caBundle` (decoded to its PEM) or `caProvider`, as the spec writes them.
    mutating func certificateAuthority(_ vault: SpecNode, object: Int) -> (key: SpecKey.Vault, value: ManifestValue)? {
        if let bundle = vault["caBundle"], let text = bundle.text {
            guard let pem = Base64.decode(Array(text.utf8)) else {
                report(.importFieldDropped, "'caBundle' is not base64: not imported", object: object, at: bundle.range)
                explain(object, ["spec", "provider", "vault", "caBundle"])
                return nil
            }
            return (.caBundle, .string(String(decoding: pem, as: UTF8.self)))
        }
        guard let provider = vault["caProvider"] else { return nil }
        let value: ManifestValue = [
            SpecKey.CAProvider.type.rawValue: provider["type"]?.text.map { .string($0) },
            SpecKey.CAProvider.name.rawValue: provider["name"]?.text.map { .string($0) },
            SpecKey.CAProvider.key.rawValue: provider["key"]?.text.map { .string($0) },
            SpecKey.CAProvider.namespace.rawValue: objects[object].kind == "SecretStore"
                ? nil : provider["namespace"]?.text.map { .string($0) },
        ]
        return (.caProvider, value)
    }

    mutating func storeMount(_ vault: SpecNode, object: Int) -> String {
        if let path = vault["path"]?.text { return path }
        if let mount = pathlessMount(object: object, version: kvVersion(vault)) {
            report(
                .importValueAssumed,
                "\(objects[object].described) names no KV mount ('path'): ESO reads each key's first segment as the mount, '\(mount)' for every key of its ExternalSecrets",
                object: object, at: vault.range,
                help:
                    "the spec writes 'vault.kv.mount: \(mount)', and its store the 'path' ESO then reads the same keys with"
            )
            return mount
        }
        report(
            .importValueAssumed, "\(objects[object].described) names no KV mount ('path'): assumed 'secret'",
            object: object,
            at: vault.range, help: "set 'vault.kv.mount' in the spec to the KV engine's mount")
        return "secret"
    }

    /// `vault.auth`, from the store's `auth` and the facts the manifests leave out.
    mutating func auth(_ connection: StoreConnection) -> ImportedAuth {
        let first = connection.objects[0]
        let namespaced = connection.store.kind == .namespaced
        let auth = connection.auth
        let method = { (method: ESOVault.LoginMethod) in auth?[method.rawValue] }
        for entry in auth?.entries ?? [] where Self.unsupportedAuth.contains(entry.key.text) {
            sink.report(
                .importAuthUnsupported,
                "\(objects[first].described) logs in with '\(entry.key.text)' auth, which the spec cannot write yet: importing it as another method would change how ESO logs in",
                file: objects[first].file, at: entry.key.range,
                help: "the spec's 'vault.auth' takes token, kubernetes, jwt, appRole or userPass")
        }
        if let token = auth?[ESOVault.tokenSecretRef] {
            let reference = secretReference(token, key: "token", namespaced: namespaced, object: first)
            let (period, schedule, image) = tokenRenewal(
                reference, object: first,
                at: auth?.entry(ESOVault.tokenSecretRef)?.key.range ?? token.range)
            return .token(period: period, secretRef: reference, schedule: schedule, image: image)
        }
        if let appRole = method(.appRole) {
            let mount = Self.mountPath(.appRole, appRole)
            let reference = secretReference(
                appRole["secretRef"], key: "secret-id", namespaced: namespaced, object: first)
            let role = roleName(
                mount: mount, connection: connection,
                at: auth?.entry(ESOVault.LoginMethod.appRole.rawValue)?.key.range ?? appRole.range)
            // The TTLs are in the bootstrap script's role JSON; 720h is the spec's default.
            let secretIdTTL = roleFact(mount: mount, role: role, connection, "secret_id_ttl")
            let options: ManifestMap = [
                SpecKey.AppRole.tokenTTL.rawValue: roleFact(mount: mount, role: role, connection, "token_ttl"),
                SpecKey.AppRole.secretIdTTL.rawValue: secretIdTTL == .string(SpecDefaults.secretIdTTL.text)
                    ? nil : secretIdTTL,
            ]
            var withRoleId = options
            if let roleId = appRole["roleId"]?.text {
                // A fixed role_id inline in the store: the spec writes it to the role and the store.
                withRoleId[SpecKey.AppRole.roleId.rawValue] = .string(roleId)
            }
            return .appRole(
                mountPath: mount, role: role, secretRef: reference,
                roleIdKey: appRole.at("roleRef", "key")?.text ?? SpecDefaults.roleIdKey, options: withRoleId)
        }
        if let userPass = method(.userPass) {
            let mount = Self.mountPath(.userPass, userPass)
            let reference = secretReference(
                userPass["secretRef"], key: "password", namespaced: namespaced, object: first)
            let username = namespacedRole(
                connection, storeNames(connection, [ESOVault.LoginMethod.userPass.rawValue, "username"]),
                fallback: userPass["username"]?.text ?? SpecDefaults.operatorName)
            let ttl = roleFact(mount: mount, role: username, connection, "token_ttl")
            return .userPass(
                mountPath: mount, username: username, secretRef: reference,
                options: [SpecKey.UserPass.tokenTTL.rawValue: ttl])
        }
        if let jwt = method(.jwt) { return jwtAuth(jwt, connection) }
        return kubernetesAuth(auth, connection)
    }

    /// kubernetes auth, also what a store naming no method gets (warned).
    ///
    /// Without `serviceAccountRef` ESO logs in as itself: the spec then names none either (its `operator`).
    mutating func kubernetesAuth(_ auth: SpecNode?, _ connection: StoreConnection) -> ImportedAuth {
        let first = connection.objects[0]
        let kubernetes = auth?[ESOVault.LoginMethod.kubernetes.rawValue]
        if kubernetes == nil, !(auth?.entries ?? []).contains(where: { Self.unsupportedAuth.contains($0.key.text) }) {
            report(
                .importValueAssumed,
                "\(objects[first].described) names no auth method (tokenSecretRef, kubernetes, jwt, appRole or userPass): assumed kubernetes auth",
                object: first, at: auth?.range ?? objects[first].nameRange, help: "set 'vault.auth' in the spec")
        }
        let account = kubernetes?["serviceAccountRef"]
        let mount = Self.mountPath(.kubernetes, kubernetes)
        let role = kubernetesRole(connection, method: ESOVault.LoginMethod.kubernetes.rawValue)
        if kubernetes != nil, account == nil {
            let bound = shell.boundServiceAccount(mount: mount, role: roleInScript(role, connection))
            operatorAccount(bound, object: first, at: auth?.entry("kubernetes")?.key.range)
        }
        var accountNamespace = connection.store.kind == .namespaced ? nil : account?["namespace"]?.text
        if let account, connection.store.kind != .namespaced, accountNamespace == nil {
            accountNamespace = SpecDefaults.operatorNamespace
            report(
                .importValueAssumed,
                "the store's service account names no namespace: assumed '\(SpecDefaults.operatorNamespace)'",
                object: first, at: account.range)
        }
        var options: ManifestMap = [
            SpecKey.Kubernetes.tokenTTL.rawValue: roleFact(mount: mount, role: role, connection, "token_ttl")
        ]
        if tokenReviewBinding(account: account?["name"]?.text ?? esoOperator.serviceAccount) {
            options[SpecKey.Kubernetes.tokenReviewer.rawValue] = "client"
        }
        if shell.ownedMounts.contains(mount) { options[SpecKey.Kubernetes.ownsMount.rawValue] = true }
        return .kubernetes(
            mountPath: mount, role: role, account: account?["name"]?.text, accountNamespace: accountNamespace,
            audience: account.map { $0["audiences"]?.items.first?.text }
                ?? shell.roleValue(mount: mount, role: roleInScript(role, connection), "audience"),
            options: options)
    }

    /// jwt auth: the store holds the mount, role, service account and audiences; the role's issuer
    /// and token TTL are in the bootstrap script's role JSON.
    mutating func jwtAuth(_ jwt: SpecNode, _ connection: StoreConnection) -> ImportedAuth {
        let mount = Self.mountPath(.jwt, jwt)
        let role = kubernetesRole(connection, method: ESOVault.LoginMethod.jwt.rawValue)
        let token = jwt["kubernetesServiceAccountToken"]
        var issuer = shell.boundIssuer(mount: mount, role: roleInScript(role, connection))
        if issuer == nil {
            issuer = "https://kubernetes.default.svc.cluster.local"
            report(
                .importValueAssumed,
                "the jwt role's bound issuer is not in the manifests: assumed 'https://kubernetes.default.svc.cluster.local'",
                object: connection.objects[0], at: jwt.range,
                help: "set 'vault.auth.jwt.boundIssuer', or import the bootstrap script (*.sh) too")
        }
        if jwt["secretRef"] != nil {
            sink.report(
                .importAuthUnsupported,
                "\(objects[connection.objects[0]].described) reads its jwt from a Secret ('secretRef'), which the spec cannot write: Keyway's jwt auth requests a service account token",
                file: objects[connection.objects[0]].file, at: jwt.entry("secretRef")?.key.range ?? jwt.range,
                help: "use 'kubernetesServiceAccountToken' in the store, or write the spec's 'vault.auth' by hand")
        }
        let options: ManifestMap = [
            SpecKey.JWT.audiences.rawValue: .strings(Self.tokenAudiences(token)),
            SpecKey.JWT.boundIssuer.rawValue: issuer.map { ManifestValue.string($0) },
            SpecKey.JWT.tokenTTL.rawValue: roleFact(mount: mount, role: role, connection, "token_ttl"),
            SpecKey.JWT.ownsMount.rawValue: shell.ownedMounts.contains(mount) ? true : nil,
        ]
        let account = token?["serviceAccountRef"]
        if account == nil {
            let bound = shell.roleValue(mount: mount, role: roleInScript(role, connection), "bound_subject")
            operatorAccount(
                bound.flatMap(JWTRole.serviceAccount(ofSubject:)), object: connection.objects[0],
                at: jwt.entry("kubernetesServiceAccountToken")?.key.range ?? jwt.range)
        }
        if account?["audiences"] != nil {
            // The token's audiences are both lists: the spec writes them as one.
            let token = ["spec", "provider", "vault", "auth", "jwt", "kubernetesServiceAccountToken"]
            for store in connection.objects {
                explain(store, token + ["serviceAccountRef", "audiences"])
                explain(store, token + ["audiences"])
            }
        }
        let namespaced = connection.store.kind == .namespaced
        return .jwt(
            mountPath: mount, role: role, account: account?["name"]?.text,
            accountNamespace: namespaced ? nil : account?["namespace"]?.text, options: options)
    }

    /// ESO logs in as itself (no `serviceAccountRef`): the spec's `operator` is the account its
    /// role binds in the script, else ESO's chart's names (warned).
    mutating func operatorAccount(_ bound: (namespace: String, name: String)?, object: Int, at range: SourceRange?) {
        if let bound {
            esoOperator = ESOOperator(namespace: bound.namespace, serviceAccount: bound.name)
            return
        }
        let standard = ESOOperator.standard
        report(
            .importValueAssumed,
            "\(objects[object].described) names no service account: ESO logs in with its own, assumed '\(standard.serviceAccount)' in namespace '\(standard.namespace)'",
            object: object, at: range ?? objects[object].nameRange,
            help:
                "set the spec's 'operator' to the namespace and service account ESO runs as, or import the bootstrap script (*.sh) that binds its role"
        )
    }

    /// The auth mount a store's login method names, else ESO's default for it.
    static func mountPath(_ method: ESOVault.LoginMethod, _ node: SpecNode?) -> String {
        node?[method.mountPathField]?.text ?? method.defaultMountPath
    }

    /// The store auth methods of ESO's Vault provider that the spec has no place for.
    static let unsupportedAuth: Set<String> = ["ldap", "cert", "iam", "gcp"]

    /// The audiences of the token ESO requests for jwt auth: the service account reference's,
    /// then the token's own, `vault` when it names none.
    ///
    /// Ported from ESO's `requestTokenWithJwtAuth` and `createServiceAccountToken`
    /// (external-secrets/external-secrets `providers/v1/vault/auth_jwt.go` and `auth.go`, commit
    /// cc5bfbc2234ace9cb0caff4ea89c435cf517b27b).
    static func tokenAudiences(_ token: SpecNode?) -> [String] {
        let own = token?.at("serviceAccountRef", "audiences")?.strings ?? []
        let added = token?["audiences"]?.strings ?? ["vault"]
        var seen = Set<String>()
        return (own + added).filter { seen.insert($0).inserted }
    }

    /// A value of the role's JSON in the bootstrap script (the first namespace's role in SecretStore mode).
    func roleFact(mount: String, role: String, _ connection: StoreConnection, _ key: String) -> ManifestValue? {
        shell.roleValue(mount: mount, role: roleInScript(role, connection), key).map { .string($0) }
    }

    /// The role's name in the script: in SecretStore mode, the first namespace's (`ROLE-NAMESPACE`
    /// unless the inputs name it otherwise).
    func roleInScript(_ role: String, _ connection: StoreConnection) -> String {
        let namespace =
            connection.store.kind == .namespaced ? connection.objects.first.flatMap { objects[$0].namespace } : nil
        return namespace.map { namespaceRoles[$0] ?? SpecDefaults.perNamespaceName(role, namespace: $0) } ?? role
    }

    /// Whether the inputs bind ESO's service account to `system:auth-delegator` (`tokenReviewer: client`).
    func tokenReviewBinding(account: String) -> Bool {
        indices(ofKind: "ClusterRoleBinding").contains { index in
            objects[index].node.at("roleRef", "name")?.text == "system:auth-delegator"
                && objects[index].node["subjects"]?.items.contains { $0["name"]?.text == account } == true
        }
    }

    /// A store's reference to a key of a Secret; a ClusterSecretStore's needs a namespace.
    mutating func secretReference(_ node: SpecNode?, key: String, namespaced: Bool, object: Int) -> SecretKeyReference {
        var namespace = namespaced ? nil : node?["namespace"]?.text
        if !namespaced, namespace == nil {
            namespace = SpecDefaults.operatorNamespace
            report(
                .importValueAssumed,
                "the store's credential Secret names no namespace: assumed '\(SpecDefaults.operatorNamespace)'",
                object: object,
                at: node?.range ?? objects[object].nameRange,
                help: "a ClusterSecretStore's Secret references need a namespace")
        }
        return SecretKeyReference(
            name: node?["name"]?.text ?? "vault-\(key)", key: node?["key"]?.text ?? key, namespace: namespace)
    }

    /// The kubernetes or jwt role: the store's; in SecretStore mode the base of each store's role.
    mutating func kubernetesRole(_ connection: StoreConnection, method: String) -> String {
        let names = storeNames(connection, [method, "role"])
        let first = objects[connection.objects[0]].node.at("spec", "provider", "vault", "auth", method, "role")?.text
        return namespacedRole(connection, names, fallback: first ?? SpecDefaults.operatorName)
    }

    /// In SecretStore mode, the base of the namespaces' role names (kept with the names that
    /// differ from `BASE-NAMESPACE`, the spec's `roles`); else `fallback`, the store's own.
    mutating func namespacedRole(
        _ connection: StoreConnection, _ names: [(namespace: String, name: String)], fallback: String
    ) -> String {
        guard connection.store.kind == .namespaced, let (base, named) = Self.baseAndNamed(names) else {
            return fallback
        }
        namespaceRoles = Dictionary(names.map { ($0.namespace, $0.name) }, uniquingKeysWith: { first, _ in first })
        namedRoles = named
        return base
    }

    /// The AppRole role is not in the manifests: from `vault write auth/MOUNT/role/NAME` in a shell file.
    mutating func roleName(mount: String, connection: StoreConnection, at range: SourceRange) -> String {
        let namespaces = connection.objects.compactMap { objects[$0].namespace }
        if connection.store.kind != .namespaced, let role = shell.roles.first(where: { $0.mount == mount }) {
            return role.name
        }
        let names = appRoleNames(mount: mount, namespaces: namespaces)
        if !names.isEmpty { return namespacedRole(connection, names, fallback: names[0].name) }
        report(
            .importValueAssumed,
            "the AppRole role's name is not in the manifests: assumed '\(SpecDefaults.operatorName)'",
            object: connection.objects[0],
            at: range,
            help: "set 'vault.auth.appRole.role' to the role's name, or import the bootstrap script (*.sh) too")
        return SpecDefaults.operatorName
    }
}

extension ImportContext {
    /// The index of the KV mount an ExternalSecret reads: its store's (`spec.secretStoreRef.name`), else the first.
    func mountIndex(of spec: SpecNode?) -> Int {
        spec?.at("secretStoreRef", "name")?.text.flatMap { mountOfStore[$0] } ?? 0
    }

    /// The KV mount an ExternalSecret reads; `nil` before the store is read.
    func kvMount(of spec: SpecNode?) -> KVMount? {
        kvMounts.isEmpty ? nil : kvMounts[mountIndex(of: spec)]
    }
}

extension ImportContext {
    /// A ClusterSecretStore's `conditions` beyond Keyway's own.
    ///
    /// Keyway writes the apps' namespaces first, then the spec's `secretStore.conditions`. A first condition naming only namespaces is
    /// Keyway's (the namespaces without an app are kept); every other condition is carried as ESO
    /// writes it. When all of them are carried, the compiled conditions are the input's with the
    /// apps' namespaces added, and are not compared again.
    mutating func storeConditions(_ connection: StoreConnection, apps: [ImportedApp]) -> [ManifestValue] {
        guard case .cluster(allNamespaces: false) = connection.store.kind,
            let node = objects[connection.objects[0]].node.at("spec", "conditions")
        else { return [] }
        let appNamespaces = Set(apps.map(\.namespace))
        var carried: [ManifestValue] = []
        for (offset, condition) in node.items.enumerated() {
            guard Self.isCondition(condition), let value = condition.manifestValue else { return [] }
            guard offset == 0, condition.entries.map(\.key.text) == [SpecKey.Condition.namespaces.rawValue] else {
                carried.append(value)
                continue
            }
            let others = (condition[SpecKey.Condition.namespaces.rawValue]?.strings ?? []).filter {
                !appNamespaces.contains($0)
            }
            if !others.isEmpty { carried.append([SpecKey.Condition.namespaces.rawValue: .strings(others)]) }
        }
        let written = node.manifestValue
        for store in connection.objects + connection.otherMountObjects
        where objects[store].node.at("spec", "conditions")?.manifestValue == written {
            explain(store, ["spec", "conditions"])
        }
        return carried
    }

    /// Whether a condition has only the keys the spec's `conditions` take (ESO's own shape).
    static func isCondition(_ node: SpecNode) -> Bool {
        guard case .mapping = node else { return false }
        return node.entries.allSatisfy { entry in
            switch SpecKey.Condition(rawValue: entry.key.text) {
            case .namespaceSelector?:
                return entry.value.entries.allSatisfy { selector in
                    switch SpecKey.LabelSelector(rawValue: selector.key.text) {
                    case .matchLabels?: return true
                    case .matchExpressions?:
                        return selector.value.items.allSatisfy { requirement in
                            requirement.entries.allSatisfy { SpecKey.LabelRequirement(rawValue: $0.key.text) != nil }
                        }
                    case nil: return false
                    }
                }
            case .namespaces?, .namespaceRegexes?: return true
            case nil: return false
            }
        }
    }
}
