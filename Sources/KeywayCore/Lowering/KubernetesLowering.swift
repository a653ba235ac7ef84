/// Lowers the model into the Kubernetes objects: stores, ExternalSecrets, workloads and the rest.
/// One file per concept: `+Stores`, `+ExternalSecrets`, `+Workloads` (with `PodTemplateLowering`
/// and `WorkloadPatch`), `+Renewal`, `+Connection` (the CA and TokenReview binding), `+Monitoring`.
struct KubernetesLowering {
    static let reloadAnnotation = "secret.reloader.stakater.com/reload"
    static let autoAnnotation = "secret.reloader.stakater.com/auto"

    let environment: Environment
    let scopes: [StoreScope]
    /// Keyway's label, then the spec's `defaults.labels`.
    let labels: [(String, String)]

    init(environment: Environment, scopes: [StoreScope]) {
        self.environment = environment
        self.scopes = scopes
        self.labels = [(WorkloadOwnership.managedByLabel, "keyway")] + environment.labels.map { ($0.key, $0.value) }
    }

    /// Every object in stream order.
    func objects() -> [KubernetesObject] {
        var objects: [KubernetesObject] = []
        objects.reserveCapacity(environment.apps.count * 3 + scopes.count * 3 + 1)
        objects += serviceAccounts()
        objects += tokenReviewBindings()
        objects += scopes.map(store)
        for app in environment.apps {
            objects += app.secrets.map { externalSecret($0, of: app) }
            objects.append(workload(app))
        }
        objects += caConfigMaps()
        objects += renewalJobs()
        if let monitoring = environment.monitoring { objects.append(prometheusRule(monitoring)) }
        return objects
    }
}
