/// The spec's connection to Vault beyond its address: the Vault namespace and the private CA.
extension ModelBuilder {
    /// Names Vault refuses as a namespace (they would shadow its own paths).
    static let reservedNamespaceNames: Set<String> = ["root", "sys", "audit", "auth", "cubbyhole", "identity"]

    /// `vault.namespace`: a path of namespace names from the root namespace.
    mutating func vaultNamespace(_ entry: SpecEntry, of fields: KeyedFields<SpecKey.Vault>) -> String? {
        // Its own check, with Vault's reserved names: read as a plain string.
        guard let value = reader.string(entry.value, fields.name(of: .namespace)) else { return nil }
        var problem = Syntax.vaultPathProblem(value.value)
        if problem == nil,
            let reserved = value.value.split(separator: "/").first(where: {
                Self.reservedNamespaceNames.contains($0.lowercased())
            })
        {
            problem = "'\(reserved)' is a name Vault reserves"
        }
        guard let problem else { return value.value }
        reader.report(
            .invalidVaultNamespace, "invalid Vault namespace '\(value.value)': \(problem)", at: value.range,
            help:
                "write the namespace's path from the root namespace, e.g. admin/team-a; names use letters, digits, '-', '_' and '.'"
        )
        return nil
    }

    /// The CA as read, with where a `caProvider`'s namespace is written.
    struct CASettings {
        var ca: VaultCA?
        var providerNamespace: Located<String>?
    }

    /// `vault.caBundle` or `vault.caProvider` (not both).
    mutating func vaultCA(bundle: SpecEntry?, provider: SpecEntry?, namespaced: Bool, server: String?) -> CASettings {
        var settings = CASettings()
        if bundle != nil, let provider {
            reader.report(
                .conflictingKeys, "'caBundle' and 'caProvider' both give Vault's CA", at: provider.key.range,
                help: "keep one: 'caBundle' with the PEM, or 'caProvider' naming where the cluster keeps it")
            return settings
        }
        if let bundle {
            settings.ca = caBundle(bundle.value).map { .bundle(pem: $0) }
        } else if let provider {
            if let read = caProvider(provider, namespaced: namespaced) {
                settings.ca = .provider(read.provider)
                settings.providerNamespace = read.namespace
            }
        } else {
            return settings
        }
        if let server, server.lowercased().hasPrefix("http://"), let entry = bundle ?? provider {
            reader.report(
                .caOverPlainHTTP,
                "'\(entry.key.text)' is not used: Vault server '\(server)' is reached over plain http",
                at: entry.key.range,
                help: "use https:// so that ESO and the scripts check Vault's certificate against this CA")
        }
        return settings
    }

    /// `vault.caBundle`: one or more PEM certificates, kept as written.
    mutating func caBundle(_ node: SpecNode) -> String? {
        guard let value = reader.string(node, "'vault.caBundle'") else { return nil }
        guard let problem = PEM.certificateProblem(value.value) else { return value.value }
        reader.report(
            .invalidCABundle, "invalid 'vault.caBundle': \(problem)", at: value.range,
            help:
                "paste the CA's PEM certificates as a literal block ('caBundle: |'), or name where the cluster keeps it with 'caProvider'"
        )
        return nil
    }

    /// `vault.caProvider`: ESO's reference to a ConfigMap or Secret key.
    mutating func caProvider(_ entry: SpecEntry, namespaced: Bool) -> (
        provider: CAProvider, namespace: Located<String>?
    )? {
        guard
            let fields = reader.fields(
                entry.value, path: "caProvider", in: "vault", anchor: entry.key.range,
                keys: SpecKey.CAProvider.self,
                namespaced: namespaced)
        else { return nil }
        var type: CAProviderType?
        var name: Located<String>?
        var key: Located<String>?
        var namespace: Located<String>?
        for (field, entry) in fields.written {
            switch field {
            case .type: type = reader.choice(entry, field, of: fields)
            case .name: name = reader.text(entry, field, of: fields)
            case .key: key = reader.text(entry, field, of: fields)
            case .namespace:
                namespace = referenceNamespace(
                    entry, field, of: fields, namespaced: namespaced,
                    refusal: "a SecretStore reads its CA from its own namespace; 'caProvider' takes no namespace",
                    help: "remove 'namespace', and keep the CA's object in every app namespace")
            }
        }
        guard let type, let name, let key else { return nil }
        return (CAProvider(type: type, name: name.value, key: key.value, namespace: namespace?.value), namespace)
    }

    /// The renewal CronJob mounts the CA, and a pod mounts only objects of its own namespace.
    mutating func checkCAReachesRenewal(_ settings: CASettings, auth: AuthMethod) {
        guard case .token(let token) = auth, let namespace = settings.providerNamespace,
            let jobNamespace = token.secretRef.namespace,
            namespace.value != jobNamespace
        else { return }
        reader.report(
            .conflictingKeys,
            "the token renewal CronJob runs in namespace '\(jobNamespace)' and cannot mount the CA from namespace '\(namespace.value)'",
            at: namespace.range,
            help:
                "keep the CA's ConfigMap or Secret in '\(jobNamespace)', beside the token Secret, and name that namespace here"
        )
    }
}
