/// `compile import`: hand-written manifests (stores, ExternalSecrets, Deployments), Vault policies
/// and shell commands in, a spec that compiles back to the same objects out.
///
/// Each input object is read into the spec's terms; the spec is written as a document, compiled
/// with the real compiler, and every input object is then compared with what it compiles to:
/// whatever the spec does not reproduce is a located warning, never dropped in silence.
public enum Importer {
    public static func importFiles(_ files: [ImportFile], options: ImportOptions = ImportOptions()) -> ImportResult {
        var context = ImportContext(files: files, options: options)
        context.read()
        guard !context.sink.hasErrors, let spec = context.assemble() else { return context.failure }
        let text = YAMLRenderer.render(SpecWriter.document(spec))
        let result = Compiler.compile(Array(text.utf8))
        guard let compiled = result.environment else {
            for diagnostic in result.diagnostics where diagnostic.severity == .error {
                context.sink.error(
                    .importSpecRefused,
                    "the imported spec does not compile: \(diagnostic.message) [\(diagnostic.code.rawValue)]",
                    file: nil,
                    help: diagnostic.help)
            }
            return context.failure
        }
        context.compare(with: compiled, appNamespace: spec.apps.first?.namespace)
        return ImportResult(spec: text, diagnostics: context.sink.sorted)
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
    /// Per object: the paths whose meaning a reader carried into the spec another way, or reported.
    var explained: [Int: Set<[String]>] = [:]
    /// Per object: why the spec does not reproduce it, when a reader knows.
    var dropReasons: [Int: (code: DiagnosticCode, message: String, help: String?)] = [:]
    /// The renewal CronJob of the store's token, which the spec writes itself.
    var renewalJob: Int?

    init(files: [ImportFile], options: ImportOptions) {
        self.files = files
        self.options = options
    }

    var failure: ImportResult { ImportResult(spec: nil, diagnostics: sink.sorted) }

    mutating func explain(_ object: Int, _ path: [String]) { explained[object, default: []].insert(path) }

    mutating func warning(_ code: DiagnosticCode, _ message: String, object: Int, at range: SourceRange, help: String? = nil) {
        sink.warning(code, message, file: objects[object].file, at: range, help: help)
    }

    /// The indices of the objects of one kind, in input order.
    func indices(ofKind kind: String) -> [Int] { objects.indices.filter { objects[$0].kind == kind } }

    mutating func read() {
        for (index, file) in files.enumerated() {
            switch file.format {
            case .manifests: readManifests(file.text, file: index)
            case .policy: readPolicy(file, index: index)
            case .shell: shell.read(String(decoding: file.text, as: UTF8.self), file: index)
            }
        }
    }

    mutating func readManifests(_ text: [UInt8], file: Int) {
        var collector = DiagnosticCollector()
        let documents = SpecParser.parseDocuments(text, limits: ParseLimits(), into: &collector)
        sink.append(collector.diagnostics, file: file)
        for document in documents ?? [] {
            guard let object = ManifestObject(file: file, node: document) else {
                sink.error(
                    .importNotAnObject, "this document is not a Kubernetes object", file: file, at: document.range,
                    help: "an object has 'apiVersion', 'kind' and 'metadata.name'")
                continue
            }
            objects.append(object)
        }
    }

    mutating func readPolicy(_ file: ImportFile, index: Int) {
        let (rules, problems) = HCLPolicyReader.read(String(decoding: file.text, as: UTF8.self))
        for problem in problems {
            if problem.isError {
                sink.error(
                    .importPolicySyntax, problem.message, file: index, at: problem.range, help: "write 'path \"…\" { capabilities = [\"read\"] }' blocks")
            } else {
                sink.warning(.importPolicyChanged, problem.message, file: index, at: problem.range)
            }
        }
        let base = file.name.split(separator: "/").last.map(String.init) ?? file.name
        policies.append(InputPolicy(file: index, name: String(base.dropLast(".hcl".count)), rules: rules))
    }

    /// Builds the spec from what was read; `nil` (with an error) when the inputs cannot make one.
    mutating func assemble() -> ImportedSpec? {
        guard let connection = storeConnection() else { return nil }
        let auth = auth(connection)
        var apps = indices(ofKind: "Deployment").map { deploymentApp($0) }
        guard !apps.isEmpty else {
            sink.error(.importIncomplete, "no Deployment among the inputs: a spec needs at least one app", file: nil)
            return nil
        }
        orderByConditions(&apps, store: connection.objects[0])
        attachSecrets(to: &apps, store: connection.store)
        let labels = commonLabels()
        for index in apps.indices { finishApp(&apps[index], labels: labels) }
        let name = environmentName(store: connection, apps: apps)
        var vault = connection.vault(auth: auth)
        policyFacts(into: &vault, store: connection, apps: apps)
        return ImportedSpec(
            name: name, vault: vault, store: connection.store, apps: apps, labels: labels, monitoringNamespace: monitoringNamespace())
    }

    /// A ClusterSecretStore lists the apps' namespaces in the spec's order: the apps follow it.
    func orderByConditions(_ apps: inout [ImportedApp], store: Int) {
        let order = objects[store].node.at("spec", "conditions")?.items.first?["namespaces"]?.strings ?? []
        let rank = { (app: ImportedApp) in order.firstIndex(of: app.namespace) ?? order.count }
        apps = apps.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }
}
