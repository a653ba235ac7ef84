/// The PrometheusRule that alerts on stale Secrets and unreachable stores.
extension KubernetesLowering {
    func prometheusRule(_ monitoring: Monitoring) -> KubernetesObject {
        let namespaces = environment.namespaces.joined(separator: "|")
        let store = environment.store
        // One store per KV mount: their names as one exact match or, for several, an alternation.
        let mounts = environment.vault.mounts
        let storeNames = mounts.indices.map { store.name(forMount: $0, of: mounts) }
        let nameMatch =
            storeNames.count == 1
            ? "name=\"\(store.name)\""
            : "name=~\"\(storeNames.map { $0.split(separator: ".", omittingEmptySubsequences: false).joined(separator: "\\\\.") }.joined(separator: "|"))\""
        let storeExpression: String
        switch store.kind {
        case .cluster:
            storeExpression =
                "max by (name) (clustersecretstore_status_condition{condition=\"Ready\",status=\"False\",\(nameMatch)}) == 1"
        case .namespaced:
            storeExpression =
                "max by (namespace, name) (secretstore_status_condition{condition=\"Ready\",status=\"False\",\(nameMatch),namespace=~\"\(namespaces)\"}) == 1"
        }
        func rule(_ alert: String, _ expression: String, _ wait: String, _ summary: String) -> ManifestValue {
            [
                "alert": .string(alert),
                "expr": .string(expression),
                "for": .string(wait),
                "labels": ["severity": "warning"],
                "annotations": ["summary": .string(summary)],
            ]
        }
        let rules: [ManifestValue] = [
            rule(
                "ExternalSecretNotReady",
                "max by (namespace, name) (externalsecret_status_condition{condition=\"Ready\",status=\"False\",namespace=~\"\(namespaces)\"}) == 1",
                "10m",
                "ExternalSecret {{ $labels.namespace }}/{{ $labels.name }} is not Ready: its Secret is stale"
            ),
            rule(
                "ExternalSecretSyncErrors",
                "sum by (namespace, name) (increase(externalsecret_sync_calls_error{namespace=~\"\(namespaces)\"}[15m])) > 0",
                "15m",
                "ExternalSecret {{ $labels.namespace }}/{{ $labels.name }} fails to sync from Vault"
            ),
            rule(
                "SecretStoreNotReady",
                storeExpression,
                "5m",
                "\(store.kind.kindName) {{ $labels.name }} cannot reach Vault: check its credential"
            ),
        ]
        return KubernetesObject(
            apiVersion: "monitoring.coreos.com/v1",
            kind: "PrometheusRule",
            name: SpecDefaults.environmentObjectName(environment.name),
            namespace: monitoring.namespace,
            labels: labels,
            body: [
                ManifestEntry(
                    "spec",
                    [
                        "groups": [
                            [
                                "name": .string(SpecDefaults.environmentObjectName(environment.name)),
                                "rules": .list(rules),
                            ]
                        ]
                    ])
            ]
        )
    }
}
