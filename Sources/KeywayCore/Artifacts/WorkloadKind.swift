/// The kind of Kubernetes workload that runs an app's pods, and where its parts sit.
///
/// Only `deployment` exists today. A new kind adds a case here; every `switch` over it is
/// exhaustive, so the compiler lists the places that must learn it (the workload's spec in
/// `KubernetesLowering+Workloads.swift`, the fields it owns in `WorkloadOwnership.swift`).
enum WorkloadKind: String, Sendable, Equatable, CaseIterable {
    case deployment = "Deployment"

    /// The object's `apiVersion`.
    var apiVersion: String {
        switch self {
        case .deployment: "apps/v1"
        }
    }

    /// The object's `kind`.
    var kind: String { rawValue }

    /// Where the pod template sits: `spec.template` (a CronJob's would be `spec.jobTemplate.spec.template`).
    var podTemplate: ManifestPath {
        switch self {
        case .deployment: ["spec", "template"]
        }
    }

    /// Where the label selector sits, for kinds that have one.
    var selector: ManifestPath? {
        switch self {
        case .deployment: ["spec", "selector"]
        }
    }

    /// Where the replica count sits, for kinds that scale by a count.
    var replicas: ManifestPath? {
        switch self {
        case .deployment: ["spec", "replicas"]
        }
    }

    /// Where the pod template's containers sit.
    var containers: ManifestPath { podTemplate + .podContainers }
}
