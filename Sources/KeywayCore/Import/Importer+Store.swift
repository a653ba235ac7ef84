/// The store the ExternalSecrets reference, and the Vault connection it describes.
struct StoreConnection {
    /// The store objects the spec writes: one ClusterSecretStore, or a SecretStore per namespace.
    var objects: [Int]
    var store: ImportedStore
    var server: String
    var mount: String
    var version: KVVersion
    /// `spec.provider.vault.auth` of the first store.
    var auth: SpecNode?

    var namespace: String?
    var ca: (key: SpecKey.Vault, value: ManifestValue)?

    func vault(auth: ImportedAuth) -> ImportedVault {
        ImportedVault(server: server, namespace: namespace, ca: ca, mount: mount, version: version, auth: auth)
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
        guard let first = chosen else {
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
            mount: storeMount(vault, object: first),
            version: vault["version"]?.text.flatMap(ESOVault.version(named:)) ?? ESOVault.defaultVersion,
            auth: vault["auth"]
        )
        connection.namespace = vault["namespace"]?.text
        connection.ca = certificateAuthority(vault, object: first)
        return connection
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
            return .appRole(
                mountPath: mount, role: role, secretRef: reference,
                roleIdKey: appRole.at("roleRef", "key")?.text ?? SpecDefaults.roleIdKey, options: options)
        }
        if let jwt = method(.jwt) { return jwtAuth(jwt, connection) }
        let kubernetes = method(.kubernetes)
        if kubernetes == nil {
            report(
                .importValueAssumed,
                "\(objects[first].described) has no token, kubernetes or appRole auth: assumed kubernetes auth",
                object: first, at: auth?.range ?? objects[first].nameRange, help: "set 'vault.auth' in the spec")
        }
        let account = kubernetes?["serviceAccountRef"]
        var accountNamespace = namespaced ? nil : account?["namespace"]?.text
        if !namespaced, accountNamespace == nil {
            accountNamespace = SpecDefaults.operatorNamespace
            report(
                .importValueAssumed,
                "the store's service account names no namespace: assumed '\(SpecDefaults.operatorNamespace)'",
                object: first,
                at: account?.range ?? objects[first].nameRange)
        }
        let mount = Self.mountPath(.kubernetes, kubernetes)
        let role = kubernetesRole(connection, method: ESOVault.LoginMethod.kubernetes.rawValue)
        var options: ManifestMap = [
            SpecKey.Kubernetes.tokenTTL.rawValue: roleFact(mount: mount, role: role, connection, "token_ttl")
        ]
        if tokenReviewBinding(account: account?["name"]?.text ?? SpecDefaults.operatorName) {
            options[SpecKey.Kubernetes.tokenReviewer.rawValue] = "client"
        }
        if shell.ownsMount { options[SpecKey.Kubernetes.ownsMount.rawValue] = true }
        return .kubernetes(
            mountPath: mount, role: role, account: account?["name"]?.text ?? SpecDefaults.operatorName,
            accountNamespace: accountNamespace,
            audience: account?["audiences"]?.items.first?.text, options: options)
    }

    /// jwt auth: the store holds the mount, role, service account and audiences; the role's issuer
    /// and token TTL are in the bootstrap script's role JSON.
    mutating func jwtAuth(_ jwt: SpecNode, _ connection: StoreConnection) -> ImportedAuth {
        let mount = Self.mountPath(.jwt, jwt)
        let role = kubernetesRole(connection, method: ESOVault.LoginMethod.jwt.rawValue)
        let token = jwt["kubernetesServiceAccountToken"]
        var issuer: String?
        if case .string(let text)? = roleFact(mount: mount, role: role, connection, "iss") { issuer = text }
        if issuer == nil {
            issuer = "https://kubernetes.default.svc.cluster.local"
            report(
                .importValueAssumed,
                "the jwt role's bound issuer is not in the manifests: assumed 'https://kubernetes.default.svc.cluster.local'",
                object: connection.objects[0], at: jwt.range,
                help: "set 'vault.auth.jwt.boundIssuer', or import the bootstrap script (*.sh) too")
        }
        let options: ManifestMap = [
            SpecKey.JWT.audiences.rawValue: token?["audiences"]?.manifestValue,
            SpecKey.JWT.boundIssuer.rawValue: issuer.map { ManifestValue.string($0) },
            SpecKey.JWT.tokenTTL.rawValue: roleFact(mount: mount, role: role, connection, "token_ttl"),
            SpecKey.JWT.ownsMount.rawValue: shell.ownsMount ? true : nil,
        ]
        let account = token?["serviceAccountRef"]
        let namespaced = connection.store.kind == .namespaced
        return .jwt(
            mountPath: mount, role: role, account: account?["name"]?.text ?? SpecDefaults.operatorName,
            accountNamespace: namespaced ? nil : account?["namespace"]?.text, options: options)
    }

    /// The auth mount a store's login method names, else ESO's default for it.
    static func mountPath(_ method: ESOVault.LoginMethod, _ node: SpecNode?) -> String {
        node?[method.mountPathField]?.text ?? method.defaultMountPath
    }

    /// A value of the role's JSON in the bootstrap script (the first namespace's role in SecretStore mode).
    func roleFact(mount: String, role: String, _ connection: StoreConnection, _ key: String) -> ManifestValue? {
        let namespace =
            connection.store.kind == .namespaced ? connection.objects.first.flatMap { objects[$0].namespace } : nil
        return shell.roleValue(
            mount: mount, role: namespace.map { SpecDefaults.perNamespaceName(role, namespace: $0) } ?? role, key
        ).map { .string($0) }
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

    /// The kubernetes role: in SecretStore mode each store's role is `ROLE-NAMESPACE`.
    func kubernetesRole(_ connection: StoreConnection, method: String) -> String {
        let roles = connection.objects.map {
            (objects[$0].node.at("spec", "provider", "vault", "auth", method, "role")?.text, objects[$0].namespace)
        }
        let first = roles.first?.0 ?? SpecDefaults.operatorName
        guard connection.store.kind == .namespaced else { return first }
        let bases = roles.map { role, namespace -> String? in
            guard let role, let namespace else { return nil }
            return SpecDefaults.baseName(role, namespace: namespace)
        }
        if let base = bases.first ?? nil, bases.allSatisfy({ $0 == base }) { return base }
        return first
    }

    /// The AppRole role is not in the manifests: from `vault write auth/MOUNT/role/NAME` in a shell file.
    mutating func roleName(mount: String, connection: StoreConnection, at range: SourceRange) -> String {
        let namespaces = connection.objects.compactMap { objects[$0].namespace }
        for role in shell.roles where role.mount == mount {
            guard connection.store.kind == .namespaced else { return role.name }
            if let base = namespaces.lazy.compactMap({ SpecDefaults.baseName(role.name, namespace: $0) }).first {
                return base
            }
        }
        report(
            .importValueAssumed,
            "the AppRole role's name is not in the manifests: assumed '\(SpecDefaults.operatorName)'",
            object: connection.objects[0],
            at: range,
            help: "set 'vault.auth.appRole.role' to the role's name, or import the bootstrap script (*.sh) too")
        return SpecDefaults.operatorName
    }
}
