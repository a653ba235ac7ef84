/// The CronJobs that renew a token ESO reads.
extension KubernetesLowering {
    /// One CronJob per token: ESO never renews a token it reads from `tokenSecretRef`.
    func renewalJobs() -> [KubernetesObject] {
        guard case .token(let token) = environment.vault.auth else { return [] }
        return scopes.compactMap { scope in
            guard let namespace = scope.credentialNamespace else { return nil }
            return renewalJob(token, namespace: namespace)
        }
    }

    static func renewalJobName(_ secretName: String) -> String {
        var name = String((secretName + "-renewal").prefix(52))
        while name.hasSuffix("-") || name.hasSuffix(".") { name.removeLast() }
        return name
    }

    /// The job's uid and gid: not root, and above the ranges images and hosts hand out (checkov CKV_K8S_40).
    static let renewalUser = 10_001

    func renewalJob(_ token: TokenAuth, namespace: String) -> KubernetesObject {
        let spec: ManifestMap = [
            "schedule": .string(token.renewal.schedule),
            "concurrencyPolicy": "Forbid",
            "startingDeadlineSeconds": 600,
            "successfulJobsHistoryLimit": 1,
            "failedJobsHistoryLimit": 3,
            "jobTemplate": [
                "spec": [
                    "backoffLimit": 3,
                    "activeDeadlineSeconds": 600,
                    "template": [
                        "metadata": ["labels": .stringMap(labels)],
                        "spec": .map(renewalPod(token)),
                    ],
                ]
            ],
        ]
        return KubernetesObject(
            apiVersion: "batch/v1",
            kind: "CronJob",
            name: Self.renewalJobName(token.secretRef.name),
            namespace: namespace,
            labels: labels,
            body: [ManifestEntry("spec", .map(spec))]
        )
    }

    /// The pod: no service account token, a high uid, and the CA's volume when the spec has a CA.
    func renewalPod(_ token: TokenAuth) -> ManifestMap {
        let volumes = [caVolume(jobName: Self.renewalJobName(token.secretRef.name))].compactMap { $0 }
        return [
            "restartPolicy": "OnFailure",
            PodHardening.automountField: .bool(PodHardening.automount),
            "securityContext": .map(PodHardening.renewalPodSecurityContext(user: Self.renewalUser)),
            "containers": [.map(renewalContainer(token))],
            "volumes": volumes.isEmpty ? nil : .list(volumes),
        ]
    }

    /// The renewal CronJob's container: the vault CLI renews its own token.
    ///
    /// The token reaches it as `VAULT_TOKEN` from the Secret (the spec's contract; never in a file),
    /// the server as `VAULT_ADDR`. `vault write … -field=token_duration` prints the new duration
    /// only: `vault token renew` would print the token itself into the pod's log. The root
    /// filesystem stays read-only and no emptyDir is needed: with `VAULT_TOKEN` set the CLI writes
    /// no file.
    func renewalContainer(_ token: TokenAuth) -> ManifestMap {
        [
            "name": "renew",
            "image": .string(token.renewal.image),
            "imagePullPolicy": "Always",
            "command": ["vault", "write", "-force", "-field=token_duration", "auth/token/renew-self"],
            "env": .list(
                [
                    ["name": "VAULT_ADDR", "value": .string(environment.vault.server)],
                    [
                        "name": "VAULT_TOKEN",
                        "valueFrom": [
                            "secretKeyRef": [
                                "name": .string(token.secretRef.name), "key": .string(token.secretRef.key),
                            ]
                        ],
                    ],
                ] + connectionEnvironment),
            "volumeMounts": environment.vault.ca == nil
                ? nil
                : [["name": .string(Self.caVolumeName), "mountPath": .string(Self.caMountPath), "readOnly": true]],
            // The CLI peaks near 70 MiB; the limits leave room for a slow Vault and a larger CLI.
            "resources": [
                "requests": ["cpu": "50m", "memory": "64Mi"],
                "limits": ["cpu": "500m", "memory": "256Mi"],
            ],
            "securityContext": .map(PodHardening.renewalContainerSecurityContext),
        ]
    }
}
