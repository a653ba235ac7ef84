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
        case .deployment, .statefulSet, .daemonSet, .rollout: KindPaths.template
        case .cronJob: KindPaths.jobTemplate
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
    var containers: ManifestPath {
        switch self {
        case .deployment, .statefulSet, .daemonSet, .rollout: KindPaths.containers
        case .cronJob: KindPaths.jobContainers
        }
    }

    /// Where the pod's spec sits.
    var podSpec: ManifestPath {
        switch self {
        case .deployment, .statefulSet, .daemonSet, .rollout: KindPaths.podSpec
        case .cronJob: KindPaths.jobPodSpec
        }
    }
}

/// The pod template's paths, built once: the patch check compares against them for every node.
private enum KindPaths {
    static let template: ManifestPath = ["spec", "template"]
    static let jobTemplate: ManifestPath = ["spec", "jobTemplate", "spec", "template"]
    static let containers = template + .podContainers
    static let jobContainers = jobTemplate + .podContainers
    static let podSpec = template + ["spec"]
    static let jobPodSpec = jobTemplate + ["spec"]
}
