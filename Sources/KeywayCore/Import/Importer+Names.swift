/// SecretStore mode: the names of each namespace's Vault role (user) and policy, read back into
/// the spec's base name and the namespaces that differ from `BASE-NAMESPACE` (`roles`,
/// `usernames`, `policy.names`), through the composition lowering uses and its inverse
/// (`SpecDefaults.perNamespaceName`, `SpecDefaults.baseName`).
extension ImportContext {
    /// The base name most namespaces' names compose with (the first such, on a tie), and the
    /// namespaces whose name is not `BASE-NAMESPACE`, in the order given.
    ///
    /// When no name ends in its namespace, the first name is the base and every namespace is named.
    static func baseAndNamed(_ names: [(namespace: String, name: String)]) -> (
        base: String, named: [(namespace: String, name: String)]
    )? {
        guard let first = names.first else { return nil }
        var counts: [String: Int] = [:]
        var order: [String] = []
        for entry in names {
            guard let base = SpecDefaults.baseName(entry.name, namespace: entry.namespace) else { continue }
            if counts[base] == nil { order.append(base) }
            counts[base, default: 0] += 1
        }
        let most = order.reduce(into: String?.none) { best, base in
            if best.map({ counts[base, default: 0] > counts[$0, default: 0] }) ?? true { best = base }
        }
        let base = most ?? first.name
        let named = names.filter { SpecDefaults.perNamespaceName(base, namespace: $0.namespace) != $0.name }
        return (base, named)
    }

    /// The name a store of each namespace gives at `path` below `spec.provider.vault.auth`
    /// (a kubernetes or jwt `role`, a userPass `username`), in the stores' order.
    func storeNames(_ connection: StoreConnection, _ path: [String]) -> [(namespace: String, name: String)] {
        connection.objects.compactMap { index in
            let object = objects[index]
            guard let namespace = object.namespace,
                let name = path.reduce(object.node.at("spec", "provider", "vault", "auth"), { $0?[$1] })?.text
            else { return nil }
            return (namespace, name)
        }
    }

    /// The AppRole roles a script writes on `mount`, by namespace: the role named `BASE-NAMESPACE`
    /// for some base, else, when one role and one namespace are left, that role.
    func appRoleNames(mount: String, namespaces: [String]) -> [(namespace: String, name: String)] {
        var left = shell.roles.filter { $0.mount == mount }.map(\.name)
        var seen = Set<String>()
        left = left.filter { seen.insert($0).inserted }
        var found: [String: String] = [:]
        for namespace in namespaces {
            guard let name = left.first(where: { SpecDefaults.baseName($0, namespace: namespace) != nil }) else {
                continue
            }
            found[namespace] = name
            left.removeAll { $0 == name }
        }
        let missing = namespaces.filter { found[$0] == nil }
        if missing.count == 1, left.count == 1 { found[missing[0]] = left[0] }
        return namespaces.compactMap { namespace in found[namespace].map { (namespace, $0) } }
    }

    /// SecretStore mode: each namespace's policy, by what its role grants in the script
    /// (`token_policies`), else by its name (`NAME-NAMESPACE.hcl`), else the one policy left for
    /// the one namespace left.
    func policyNames(_ connection: StoreConnection, mount: String?) -> [(namespace: String, name: String)] {
        let namespaces = connection.objects.compactMap { objects[$0].namespace }
        var left = policies.map(\.name)
        var found: [String: String] = [:]
        for namespace in namespaces {
            let granted = mount.flatMap { mount in
                namespaceRoles[namespace].flatMap { shell.rolePolicy(mount: mount, role: $0) }
            }
            let name =
                granted.flatMap { name in left.contains(name) ? name : nil }
                ?? left.first { SpecDefaults.baseName($0, namespace: namespace) != nil }
            guard let name else { continue }
            found[namespace] = name
            left.removeAll { $0 == name }
        }
        let missing = namespaces.filter { found[$0] == nil }
        if missing.count == 1, left.count == 1 { found[missing[0]] = left[0] }
        return namespaces.compactMap { namespace in found[namespace].map { (namespace, $0) } }
    }

}
