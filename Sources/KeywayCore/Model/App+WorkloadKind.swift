extension App {
    /// The kind of workload that runs the app's pods: a Deployment until the spec can say otherwise.
    var workloadKind: WorkloadKind { .deployment }
}
