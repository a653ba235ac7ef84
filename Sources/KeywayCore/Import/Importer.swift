import Dispatch

/// `compile import`: hand-written manifests (stores, ExternalSecrets, Deployments), Vault policies
/// and shell commands in, a spec that compiles back to the same objects out.
///
/// Each input object is read into the spec's terms; the spec is written as a document, compiled
/// with the real compiler, and every input object is then compared with what it compiles to:
/// whatever the spec does not reproduce is a located warning, never dropped in silence.
public enum Importer {
    /// Imports the files: the spec and the diagnostics, each located in its input.
    public static func importFiles(_ files: [ImportFile], options: ImportOptions = ImportOptions()) -> ImportResult {
        var context = ImportContext(files: files, options: options)
        context.read()
        guard !context.sink.hasErrors else { return context.failure }
        guard let (spec, appNamespace) = context.writeSpec(), !context.sink.hasErrors else {
            return context.failure
        }
        // The trees are packed on the other core while this one compiles the spec, each released
        // once packed: the import's peak holds them packed.
        let packing = context.takeTrees()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { packing.run() }
        let verified = verifyingCompile(spec, sink: &context.sink)
        group.wait()
        context.packed = packing.packed
        guard let compiled = verified else { return context.failure }
        context.compare(with: compiled, appNamespace: appNamespace)
        guard !context.sink.hasErrors else { return context.failure }
        var imported = ImportResult(spec: String(decoding: spec, as: UTF8.self), diagnostics: context.sink.sorted)
        imported.workspace = ImportWorkspace(context: context, compiled: compiled)
        return imported
    }

    /// Compiles the imported spec with the real compiler: `nil` (with an error) if it does not compile.
    ///
    /// Only what the comparison reads is kept: the model and the compiler's sites are released
    /// here, before the comparison, instead of living to the end of the import.
    static func verifyingCompile(_ spec: [UInt8], sink: inout ImportSink) -> CompiledOutput? {
        let result = Compiler.compile(spec)
        guard let compiled = result.environment else {
            for diagnostic in result.diagnostics where diagnostic.severity == .error {
                sink.report(
                    .importSpecRefused,
                    "the imported spec does not compile: \(diagnostic.message) [\(diagnostic.code.rawValue)]",
                    file: nil,
                    help: diagnostic.help)
            }
            return nil
        }
        return CompiledOutput(objects: compiled.objects + compiled.patches, policies: compiled.policies)
    }
}

/// What the comparison reads of the imported spec's compiled environment: its Kubernetes objects
/// (the stream's and the patches) and its Vault policies.
struct CompiledOutput {
    var objects: [KubernetesObject]
    var policies: [VaultPolicy]
}

/// What an import built on its way (the parsed inputs, what the imported spec compiles to),
/// handed back with the result: a caller that exits right after keeps it (`ProcessLifetime`), where
/// freeing the trees value by value cost 4% of an import at 2 000 apps.
public final class ImportWorkspace: @unchecked Sendable {
    let context: ImportContext
    let compiled: CompiledOutput

    init(context: ImportContext, compiled: CompiledOutput) {
        self.context = context
        self.compiled = compiled
    }
}

/// The state of one import: the inputs read, what each object turned into, and the diagnostics.
struct ImportContext {
    let files: [ImportFile]
    let options: ImportOptions
    var sink = ImportSink()
    var objects: [ManifestObject] = []
    var policies: [InputPolicy] = []
    var shell = ShellFacts()
    /// The stores' KV mounts, the first store's first: remote keys become spec paths through ESO's
    /// rules (`ESOVaultPaths`) with the mount of the store an ExternalSecret references.
    var kvMounts: [KVMount] = []
    /// The index in `kvMounts` of each store's name.
    var mountOfStore: [String: Int] = [:]
    /// Per object: the paths whose meaning a reader carried into the spec another way, or reported.
    var explained: [Int: ExplainedPaths] = [:]
    /// Per object: why the spec does not reproduce it, when a reader knows.
    var dropReasons: [Int: (code: DiagnosticCode, message: String, help: String?)] = [:]
    /// Objects the user keeps beside Keyway's output (a Rollout Keyway only patches): fields the
    /// compiled patch lacks are theirs, not dropped.
    var kept = Set<Int>()
    /// SecretStore mode: each namespace's Vault role (userpass user), as the inputs name it.
    var namespaceRoles: [String: String] = [:]
    /// SecretStore mode: the namespaces whose role is not `ROLE-NAMESPACE` (the spec's `roles`).
    var namedRoles: [(namespace: String, name: String)] = []
    /// `operator`: where ESO runs, when it logs in as itself and its role names the account.
    var esoOperator = ESOOperator.standard
    /// The renewal CronJob of the store's token, which the spec writes itself.
    var renewalJob: Int?
    /// The environment named by a Keyway header (`# Generated by Keyway for environment 'NAME'`)
    /// of an input policy or script.
    var generatedFor: String?

    init(files: [ImportFile], options: ImportOptions) {
        self.files = files
        self.options = options
    }

    /// Every object's tree, packed while the imported spec compiles (`takeTrees`); empty before.
    var packed: [[UInt8]] = []
    /// The comparison's Reloader inputs and input sides, read before the trees are packed.
    var reloadInputsRead: ReloadInputs?
    var reloadBefore: [Int: ReloadBefore] = [:]
    /// Per workload: what its input pods read (`podReads`), computed once.
    var podWiring: [Int: PodWiring] = [:]

    /// The workloads whose Reloader annotation was already warned of (KW115): not warned again.
    var reloadWarned = Set<Int>()

    var failure: ImportResult { ImportResult(spec: nil, diagnostics: sink.sorted) }

    mutating func explain(_ object: Int, _ path: [String]) {
        explained[object, default: ExplainedPaths()].insert(path[...])
    }

    /// Reports a problem of one input object; its code decides the severity.
    mutating func report(
        _ code: DiagnosticCode, _ message: String, object: Int, at range: SourceRange, help: String? = nil
    ) {
        sink.report(code, message, file: objects[object].file, at: range, help: help)
    }

    /// The indices of the objects of one kind, in input order.
    func indices(ofKind kind: String) -> [Int] { objects.indices.filter { objects[$0].kind == kind } }

    mutating func read() {
        let formats = files.map(\.format)
        // Parsing is most of reading: each manifest file and each policy is parsed on its own, on every core.
        let parsed = Concurrently.map(Array(files.indices)) { [files] index -> ParsedInput in
            switch formats[index] {
            case .manifests: .manifests(ParsedManifests(files[index].text))
            case .policy: .policy(HCLPolicyReader.read(String(decoding: files[index].text, as: UTF8.self)))
            case .shell, .skipped: .none
            }
        }
        for (index, file) in files.enumerated() {
            let format = formats[index]
            switch format {
            case .manifests:
                guard case .manifests(let manifests) = parsed[index] else { continue }
                readManifests(manifests, file: index)
            case .policy:
                guard case .policy(let policy) = parsed[index] else { continue }
                readPolicy(file, index: index, read: policy)
            case .shell: shell.read(String(decoding: file.text, as: UTF8.self), file: index)
            case .skipped(let help):
                sink.report(.importFileSkipped, "this file is not imported", file: index, at: .fileStart, help: help)
                continue
            }
            if format != .manifests, generatedFor == nil {
                generatedFor = GeneratedNotice.environment(inText: String(decoding: file.text, as: UTF8.self))
            }
        }
        for limit in shell.droppedLimits {
            sink.report(
                .importLimitDropped, limit.message, file: limit.file, at: limit.range,
                help: "set the limit on the credential after the bootstrap script, or keep it out of this spec's scope")
        }
    }

    mutating func readManifests(_ parsed: ParsedManifests, file: Int) {
        sink.append(parsed.diagnostics, file: file)
        for document in parsed.documents ?? [] {
            if let kind = document["kind"]?.text, document["apiVersion"]?.text != nil,
                document.at("metadata", "name") == nil
            {
                sink.report(
                    .importUnsupportedKind, "kind '\(kind)' without 'metadata.name' is not imported", file: file,
                    at: document.entry("kind")?.key.range ?? document.range, help: "a spec has no place for it")
                continue
            }
            guard var object = ManifestObject(file: file, node: document) else {
                sink.report(
                    .importNotAnObject, "this document is not a Kubernetes object", file: file, at: document.range,
                    help: "an object has 'apiVersion', 'kind' and 'metadata.name'")
                continue
            }
            if object.namespace == nil, !Self.clusterScoped.contains(object.kind) {
                object.namespace = options.namespace
            }
            objects.append(object)
        }
    }

    /// The kinds import reads that have no namespace.
    static let clusterScoped: Set<String> = [
        "ClusterSecretStore", "ClusterRoleBinding", "ClusterRole", "Namespace", "CustomResourceDefinition",
        "ClusterExternalSecret",
    ]

    /// A file parsed on its own (`read`), before its objects or rules join the import.
    enum ParsedInput: Sendable {
        case manifests(ParsedManifests)
        case policy(HCLPolicyReader.Reading)
        case none
    }

    mutating func readPolicy(_ file: ImportFile, index: Int, read: HCLPolicyReader.Reading) {
        let base = file.name.split(separator: "/").last.map(String.init) ?? file.name
        // Keyway's own read-only policy for `compile plan`, beside ESO's in a rendered tree: not ESO's.
        guard base != "\(PlanReads.policyName).hcl" else { return }
        let (rules, problems) = read
        for problem in problems {
            if problem.isError {
                sink.report(
                    .importPolicySyntax, problem.message, file: index, at: problem.range,
                    help: "write 'path \"…\" { capabilities = [\"read\"] }' blocks")
            } else {
                sink.report(.importPolicyChanged, problem.message, file: index, at: problem.range)
            }
        }
        policies.append(InputPolicy(file: index, name: String(base.dropLast(".hcl".count)), rules: rules))
    }

    /// The imported spec as text, and the namespace of its first app: `nil` (with an error) if none.
    ///
    /// The spec itself is released here, before the verifying compile (the import's peak).
    /// The text is kept as its bytes, which the verifying compile reads, until the import ends.
    mutating func writeSpec() -> (text: [UInt8], appNamespace: String?)? {
        guard let spec = assemble(), !sink.hasErrors else { return nil }
        return (Array(YAMLRenderer.render(SpecWriter.document(spec)).utf8), spec.apps.first?.namespace)
    }

    /// Builds the spec from what was read; `nil` (with an error) when the inputs cannot make one.
    mutating func assemble() -> ImportedSpec? {
        guard let connection = storeConnection() else { return nil }
        let auth = auth(connection)
        var apps = workloadIndices.map { workloadApp($0) }
        guard !apps.isEmpty || !indices(ofKind: "ExternalSecret").isEmpty else {
            sink.report(
                .importIncomplete,
                "no workload (Deployment, StatefulSet, DaemonSet, CronJob, Rollout) and no ExternalSecret among the inputs: a spec needs at least one app",
                file: nil)
            return nil
        }
        guard uniqueNames(apps) else { return nil }
        orderByConditions(&apps, store: connection.objects[0])
        (kvMounts, mountOfStore) = (connection.mounts, connection.mountOfStore)
        attachSecrets(to: &apps, store: connection.store)
        nameByLabel(&apps)
        orderByPolicy(&apps)
        let labels = commonLabels()
        for index in apps.indices { finishApp(&apps[index], labels: labels) }
        let name = environmentName(store: connection, apps: apps)
        var store = connection.store
        store.conditions = storeConditions(connection, apps: apps)
        var vault = connection.vault(auth: auth)
        vault.roleNames = namedRoles
        policyFacts(into: &vault, store: connection, apps: apps)
        return ImportedSpec(
            name: name, vault: vault, store: store, apps: apps, labels: labels,
            monitoringNamespace: monitoringNamespace(), esoOperator: esoOperator)
    }

    /// Each app is named by its workload, and a spec's apps have one name each: two inputs that
    /// would make one app (one workload in two files, or one name in two namespaces) are an error
    /// at the later one, naming the first.
    mutating func uniqueNames(_ apps: [ImportedApp]) -> Bool {
        var first: [String: Int] = [:]
        var unique = true
        for app in apps {
            guard let earlier = first[app.name] else {
                first[app.name] = app.object
                continue
            }
            unique = false
            let (this, that) = (objects[app.object], objects[earlier])
            let place = "\(files[that.file].name):\(that.nameRange.start.line)"
            let same = this.kind == that.kind && this.namespace == that.namespace
            sink.report(
                .importDuplicateObject,
                same
                    ? "\(this.described) in namespace '\(app.namespace)' is defined twice: here and at \(place)"
                    : "\(this.described) in namespace '\(app.namespace)' has the name of \(that.described) in namespace '\(that.namespace ?? KubernetesDefaults.namespace)' (\(place)): the spec names each app by its workload, once",
                file: this.file, at: this.nameRange,
                help: same
                    ? "import one rendered environment at a time (one overlay, one values file), or remove one of the two"
                    : "import each namespace's workloads on their own, or rename one of the workloads")
        }
        return unique
    }

    /// An app of a workload owned elsewhere takes the name its ExternalSecrets' `app` label gives
    /// (Keyway's own label: the spec's app name, which a chart's workload name need not be).
    func nameByLabel(_ apps: inout [ImportedApp]) {
        var taken = Set(apps.map(\.name))
        var renamed: [String: String] = [:]
        for index in apps.indices where apps[index].external != nil {
            let labels = Set(
                apps[index].secrets.filter { $0.use == nil }.compactMap {
                    objects[$0.object].node.at("metadata", "labels", WorkloadOwnership.appLabel)?.text
                })
            guard labels.count == 1, let label = labels.first, label != apps[index].name, !taken.contains(label)
            else { continue }
            taken.insert(label)
            renamed[apps[index].name] = label
            apps[index].name = label
        }
        guard !renamed.isEmpty else { return }
        for app in apps.indices {
            for secret in apps[app].secrets.indices {
                if let use = apps[app].secrets[secret].use, let name = renamed[use] {
                    apps[app].secrets[secret].use = name
                }
            }
        }
    }

    /// A ClusterSecretStore lists the apps' namespaces in the spec's order: the apps follow it.
    func orderByConditions(_ apps: inout [ImportedApp], store: Int) {
        let order = objects[store].node.at("spec", "conditions")?.items.first?["namespaces"]?.strings ?? []
        var position: [String: Int] = [:]
        for (offset, namespace) in order.enumerated() where position[namespace] == nil { position[namespace] = offset }
        apps = Self.stablySorted(apps) { position[$0.namespace] ?? order.count }
    }

    /// The input policy lists the paths in the spec's order of apps and secrets: both follow it
    /// (stably; what it does not name keeps its place after what it does).
    func orderByPolicy(_ apps: inout [ImportedApp]) {
        guard let rules = policies.first?.rules else { return }
        // The first rule whose path ends in `/PATH` or `/PATH/*`, by each such PATH.
        var first: [Substring: Int] = [:]
        for (offset, rule) in rules.enumerated() {
            let path = rule.path.hasSuffix("/*") ? rule.path.dropLast(2) : Substring(rule.path)
            for slash in path.indices where path[slash] == "/" {
                let tail = path[path.index(after: slash)...]
                if first[tail] == nil { first[tail] = offset }
            }
        }
        let rank = { (secret: ImportedSecret) -> Int in
            guard secret.use == nil, let path = secret.source.paths.first else { return Int.max }
            return first[Substring(path)] ?? Int.max
        }
        for index in apps.indices { apps[index].secrets = Self.stablySorted(apps[index].secrets, by: rank) }
        apps = Self.stablySorted(apps) { app in app.secrets.map(rank).min() ?? Int.max }
    }

    /// `items` by their rank (computed once each), in their order where ranks tie.
    static func stablySorted<Item>(_ items: [Item], by rank: (Item) -> Int) -> [Item] {
        let ranks = items.map(rank)
        return items.indices.sorted { (ranks[$0], $0) < (ranks[$1], $1) }.map { items[$0] }
    }

}
