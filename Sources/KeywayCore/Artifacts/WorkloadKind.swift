/// The kind of Kubernetes workload that runs an app's pods, and where its parts sit.
///
/// Every `switch` over it is exhaustive, so a new kind makes the compiler list the places that
/// must learn it (the workload's spec in `KubernetesLowering+Workloads.swift`, the fields it owns
/// in `WorkloadOwnership.swift`).
public enum WorkloadKind: String, Sendable, Equatable, CaseIterable {
    case deployment = "Deployment"
    case statefulSet = "StatefulSet"
    case daemonSet = "DaemonSet"
    case cronJob = "CronJob"
    /// Argo Rollouts: only as a workload owned elsewhere (`workload.kind`).
    case rollout = "Rollout"

    /// The kinds an app's `kind` can ask Keyway to write.
    static let owned: [WorkloadKind] = [.deployment, .statefulSet, .daemonSet, .cronJob]

    /// The object's `apiVersion`.
    var apiVersion: String {
        switch self {
        case .deployment, .statefulSet, .daemonSet: "apps/v1"
        case .cronJob: "batch/v1"
        case .rollout: "argoproj.io/v1alpha1"
        }
    }

    /// The object's `kind`.
    var kind: String { rawValue }

    /// Where the pod template sits: `spec.template`, a CronJob's at `spec.jobTemplate.spec.template`.
    var podTemplate: ManifestPath {
        switch self {
        case .deployment, .statefulSet, .daemonSet, .rollout: ["spec", "template"]
        case .cronJob: ["spec", "jobTemplate", "spec", "template"]
        }
    }

    /// Where the label selector sits, for kinds that have one.
    var selector: ManifestPath? {
        switch self {
        case .deployment, .statefulSet, .daemonSet, .rollout: ["spec", "selector"]
        case .cronJob: nil
        }
    }

    /// Where the replica count sits, for kinds that scale by a count.
    var replicas: ManifestPath? {
        switch self {
        case .deployment, .statefulSet, .rollout: ["spec", "replicas"]
        case .daemonSet, .cronJob: nil
        }
    }

    /// Where the pod template's containers sit.
    var containers: ManifestPath { podTemplate + .podContainers }

    /// Where the pod's spec sits.
    var podSpec: ManifestPath { podTemplate + ["spec"] }
}
