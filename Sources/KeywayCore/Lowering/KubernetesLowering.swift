/// Lowers the model into the Kubernetes objects: stores, ExternalSecrets, workloads and the rest.
///
/// One file per concept: `+Stores`, `+ExternalSecrets`, `+Workloads` (with `PodTemplateLowering`
/// and `WorkloadPatch`), `+Renewal`, `+Connection` (the CA and TokenReview binding), `+Monitoring`.
struct KubernetesLowering {
    static let searchAnnotation = ReloaderAnnotations.search
    static let matchAnnotation = ReloaderAnnotations.match

    let environment: Environment
    let scopes: [StoreScope]
    /// Keyway's label, then the spec's `defaults.labels`.
    let labels: [(String, String)]
    /// `NAMESPACE/SECRET` of every Secret of an app with `reload: search` but its image pull Secrets
    /// (an `expose: none` Secret too: the chart reads it): they carry Reloader's match annotation.
    let searchedSecrets: Set<String>

    init(environment: Environment, scopes: [StoreScope]) {
        self.environment = environment
        self.scopes = scopes
        self.labels = [(WorkloadOwnership.managedByLabel, "keyway")] + environment.labels.map { ($0.key, $0.value) }
        self.searchedSecrets = Set(
            environment.apps.filter { $0.reload == .search }.flatMap { app in
                app.secrets.filter { $0.exposure != .imagePullSecret }.map { app.namespace + "/" + $0.target }
            }
        )
    }

    /// Every object in stream order.
    func objects() -> [KubernetesObject] {
        var objects: [KubernetesObject] = []
        objects.reserveCapacity(environment.apps.count * 3 + scopes.count * 3 + 1)
        objects += serviceAccounts()
        objects += tokenReviewBindings()
        objects += scopes.flatMap(stores)
        for app in environment.apps {
            objects += app.ownSecrets.map { externalSecret($0, of: app) }
            switch app.workload {
            case .owned(let owned): objects.append(workload(app, owned))
            case .external, .secretsOnly: break
            }
        }
        objects += caConfigMaps()
        objects += renewalJobs()
        if let monitoring = environment.monitoring { objects.append(prometheusRule(monitoring)) }
        return objects
    }

    /// The patch files for workloads owned elsewhere, in the spec's order.
    func workloadPatches() -> [KubernetesObject] {
        environment.apps.compactMap { app in
            switch app.workload {
            case .owned, .secretsOnly: nil
            case .external(let external): workloadPatch(app, external)
            }
        }
    }
}
