/// The facts the manifests hold only indirectly: the token period, the environment's name, the
/// policy's name and scope, the monitoring namespace, the labels common to every object.
extension ImportContext {
    /// The token's period (shell commands, else the renewal CronJob's schedule, else 24h) and the
    /// renewal settings that differ from Keyway's defaults.
    mutating func tokenRenewal(_ reference: SecretKeyReference, object: Int, at range: SourceRange) -> (
        String, String?, String?
    ) {
        renewalJob = indices(ofKind: "CronJob").first { index in
            let command = objects[index].node.at("spec", "jobTemplate", "spec", "template", "spec", "containers")?.items
                .first?["command"]?.strings
            return command?.contains("auth/token/renew-self") == true && objects[index].namespace == reference.namespace
        }
        let job = renewalJob.map {
            objects[$0].node.at("spec", "jobTemplate", "spec", "template", "spec", "containers")?.items.first
        }
        let scheduleNode = renewalJob.flatMap { objects[$0].node.at("spec", "schedule") }
        let schedule = scheduleNode?.text
        let image = (job ?? nil)?["image"]?.text
        var period = SpecDefaults.tokenPeriod.text
        if let fact = shell.period {
            period = fact.value
        } else if let schedule, let inferred = SpecDefaults.period(forSchedule: schedule), let job = renewalJob,
            let scheduleNode
        {
            period = inferred
            report(
                .importValueAssumed,
                "the token's period is not in the manifests: \(inferred), four renewals of this schedule", object: job,
                at: scheduleNode.range,
                help: "check 'vault.auth.token.period', or import the shell commands that create the token (*.sh)")
        } else {
            report(
                .importValueAssumed,
                "the token's period is not in the manifests: assumed \(SpecDefaults.tokenPeriod.text)", object: object,
                at: range,
                help: "check 'vault.auth.token.period', or import the shell commands that create the token (*.sh)")
        }
        let seconds = Syntax.goDurationSeconds(period) ?? SpecDefaults.tokenPeriod.seconds
        let explicitSchedule = schedule.flatMap { $0 == SpecDefaults.renewalSchedule(forPeriod: seconds) ? nil : $0 }
        let explicitImage = image.flatMap { $0 == SpecDefaults.renewalImage ? nil : $0 }
        return (period, explicitSchedule, explicitImage)
    }

    /// `metadata.name`: given, else Keyway's own names (its PrometheusRule `keyway-NAME`, its
    /// header comment or token display name, `keyway-NAME` policies), else the apps' one namespace,
    /// else the store's name.
    mutating func environmentName(store: StoreConnection, apps: [ImportedApp]) -> String {
        if let name = options.environmentName { return name }
        let rules = indices(ofKind: "PrometheusRule").map { objects[$0].name }
        if let name = rules.compactMap(SpecDefaults.environment(ofObjectName:)).first { return name }
        if let name = generatedFor ?? shell.environmentName { return name }
        let namespaces = store.objects.compactMap { objects[$0].namespace }
        for policy in policies {
            guard let base = SpecDefaults.environment(ofObjectName: policy.name) else { continue }
            guard store.store.kind == .namespaced else { return base }
            if let name = namespaces.lazy.compactMap({ SpecDefaults.baseName(base, namespace: $0) }).first {
                return name
            }
        }
        let appNamespaces = Set(apps.map(\.namespace))
        let name = appNamespaces.count == 1 ? apps[0].namespace : store.store.name
        report(
            .importValueAssumed, "the environment's name is not in the inputs: named '\(name)'",
            object: store.objects[0],
            at: objects[store.objects[0]].nameRange, help: "pass --name NAME, or edit 'metadata.name' in the spec")
        return name
    }

    /// The policy's name (its file's) and scope: a folder rule the ExternalSecrets do not `find` is a prefix.
    mutating func policyFacts(into vault: inout ImportedVault, store: StoreConnection, apps: [ImportedApp]) {
        guard let first = policies.first else {
            report(
                .importValueAssumed,
                "no Vault policy (*.hcl) among the inputs: the spec grants exactly the paths it references",
                object: store.objects[0], at: objects[store.objects[0]].nameRange,
                help: "import the policy file too to keep its name")
            return
        }
        vault.policyName = first.name
        if store.store.kind == .namespaced,
            let (base, named) = Self.baseAndNamed(policyNames(store, mount: vault.auth.mountPath))
        {
            vault.policyName = base
            vault.policyNames = named
        }
        let mount = vault.mounts[0]
        let folderPrefix = mount.dataRoot
        let finds = Set(
            apps.flatMap(\.secrets).compactMap { secret -> String? in
                guard case .find(let find) = secret.source else { return nil }
                return find.path
            })
        var folders: [String] = []
        var exact = false
        let acl = first.acl
        for rule in first.rules where rule.path.hasPrefix(folderPrefix) {
            let path = String(rule.path.dropFirst(folderPrefix.count))
            if path.hasSuffix("/*") {
                // Only a folder the input lets ESO read whole (no `deny`, no narrower rule inside) is a prefix.
                if acl.allowsEverywhere("read", below: String(rule.path.dropLast())) {
                    folders.append(String(path.dropLast(2)))
                }
            } else if !path.hasSuffix("/"), !(mount.version == .v2 && rule.path.hasPrefix(mount.metadataRoot)) {
                exact = true
            }
        }
        // A prefix opens its folder in every mount: only a folder the input opens in each is one.
        let prefixes = folders.filter { folder in
            !finds.contains(folder)
                && vault.mounts.dropFirst().allSatisfy {
                    acl.allowsEverywhere("read", below: $0.dataPath(folder + "/"))
                }
        }
        guard !exact, prefixes.count == 1 else { return }
        guard store.store.kind != .namespaced else {
            // The spec refuses a prefix in SecretStore mode: each namespace gets exactly its paths.
            let rule = first.rules.first { $0.path == folderPrefix + prefixes[0] + "/*" }
            sink.report(
                .importScopeNarrowed,
                "policy '\(first.name)' grants the folder '\(prefixes[0])/': SecretStore mode writes exact policies, so the imported spec grants each namespace only the paths its ExternalSecrets read",
                file: first.file, at: rule?.pathRange ?? .fileStart,
                help:
                    "Keyway isolates the namespaces of SecretStore mode; give the apps' paths to their ExternalSecrets")
            return
        }
        vault.prefix = prefixes[0]
    }

    /// The namespace of Keyway's PrometheusRule (`keyway-NAME`), when the inputs hold it.
    func monitoringNamespace() -> String? {
        indices(ofKind: "PrometheusRule").filter { SpecDefaults.environment(ofObjectName: objects[$0].name) != nil }.map
        {
            objects[$0].namespace ?? "default"
        }.first
    }

    /// The labels every object Keyway would write carries, with one value, besides Keyway's own.
    func commonLabels() -> [(String, String)] {
        let kinds = Set(
            Self.storeKinds + [
                "ExternalSecret", "Deployment", "StatefulSet", "DaemonSet", "CronJob", "Rollout", "ServiceAccount",
                "PrometheusRule",
            ])
        let labelled = objects.indices.filter { kinds.contains(objects[$0].kind) || $0 == renewalJob }
        guard let first = labelled.first else { return [] }
        let owned: Set = [WorkloadOwnership.appLabel, WorkloadOwnership.managedByLabel]
        return objects[first].node.at("metadata", "labels")?.entries.compactMap { entry -> (String, String)? in
            guard !owned.contains(entry.key.text), let value = entry.value.text else { return nil }
            let everywhere = labelled.allSatisfy {
                objects[$0].node.at("metadata", "labels", entry.key.text)?.text == value
            }
            return everywhere ? (entry.key.text, value) : nil
        } ?? []
    }
}
