/// The hardened pod settings Keyway writes, in one place.
///
/// They cover the app workloads' pods and containers (a patch may relax them), the renewal
/// CronJob's, and the service accounts'. `import` reads them back from the same values, so a setting changed here changes what is written and what is
/// recognised as Keyway's.
enum PodHardening {
    /// The field that stops a service account token from being mounted into a pod (or by a ServiceAccount).
    static let automountField = "automountServiceAccountToken"
    /// Its value: no token unless the app names its service account.
    static let automount = false

    /// The `RuntimeDefault` seccomp profile.
    static let seccompProfile: ManifestMap = ["type": "RuntimeDefault"]

    /// An app pod's `securityContext`.
    static let podSecurityContext: ManifestMap = ["seccompProfile": .map(seccompProfile)]

    /// An app container's `securityContext`: no privilege escalation, every capability dropped.
    static let containerSecurityContext: ManifestMap = [
        "allowPrivilegeEscalation": false, "capabilities": ["drop": ["ALL"]],
    ]

    /// The renewal pod's `securityContext`: a fixed non-root user, group and filesystem group.
    static func renewalPodSecurityContext(user: Int) -> ManifestMap {
        [
            "runAsNonRoot": true,
            "runAsUser": .int(user),
            "runAsGroup": .int(user),
            "fsGroup": .int(user),
            "seccompProfile": .map(seccompProfile),
        ]
    }

    /// The renewal container's `securityContext`: the app container's, with a read-only root filesystem.
    static let renewalContainerSecurityContext: ManifestMap = [
        "allowPrivilegeEscalation": false,
        "readOnlyRootFilesystem": true,
        "capabilities": ["drop": ["ALL"]],
    ]
}
