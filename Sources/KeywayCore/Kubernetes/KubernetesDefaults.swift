/// Names Kubernetes itself gives: the namespace of an object that names none, and the service
/// account its controller creates in every namespace.
public enum KubernetesDefaults {
    /// The namespace `kubectl apply` puts an object that names none in.
    public static let namespace = "default"

    /// The service account the service account controller creates in every namespace, which every
    /// pod naming no `serviceAccountName` runs as.
    public static let serviceAccount = "default"
}
