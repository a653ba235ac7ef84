/// Kubernetes objects that two specs of one run would both write: one bootstrap run would revoke
/// the other's credential, one apply replace the other's store, CronJob or workload.
extension CrossSpecChecks {
    /// An error at each later spec writing an object (same API group, kind, namespace and name) an
    /// earlier spec writes, naming that spec.
    @Sendable public static func kubernetesObjects(_ specs: [CrossSpecEntry]) -> [CrossSpecFinding] {
        collisions(in: specs, claims: objectClaims) { value, first, range in
            Diagnostic(
                .objectCollision,
                "\(value) is also written by '\(first.spec)'",
                at: range,
                help:
                    "give each environment its own names or namespaces: one would replace the other's object (and revoke its credential); if the specs deploy to different clusters, give each its own 'metadata.cluster'",
                notes: [DiagnosticNote("first written here", at: first.range, file: first.spec)]
            )
        }
    }

    /// Every object one spec writes, in the spec's cluster (`metadata.cluster`), at the
    /// best place the spec gives: where it names the object's namespace, `secretStore.name` for a
    /// cluster-scoped store, `metadata.name` otherwise.
    ///
    /// The objects are what the spec compiles to: its manifests, its patches of workloads owned
    /// elsewhere, the credential Secrets its bootstrap script writes and the Secrets its
    /// ExternalSecrets make ESO write.
    static func objectClaims(_ entry: CrossSpecEntry) -> [(value: WrittenObject, range: SourceRange)] {
        guard let environment = entry.result.environment, let fallback = entry.result.nameRange else { return [] }
        let sites = entry.result.objectSites
        let cluster = environment.model.cluster
        var written = (environment.objects + environment.patches).map {
            WrittenObject(
                cluster: cluster, group: WrittenObject.group($0.apiVersion), kind: $0.kind, namespace: $0.namespace,
                name: $0.name)
        }
        for grant in environment.vault.grants {
            guard let stored = grant.credential.stored else { continue }
            written.append(
                WrittenObject(cluster: cluster, kind: "Secret", namespace: stored.namespace, name: stored.secretName))
        }
        for app in environment.model.apps {
            for secret in app.ownSecrets {
                written.append(
                    WrittenObject(cluster: cluster, kind: "Secret", namespace: app.namespace, name: secret.target))
            }
        }
        return written.map { object in
            let range: SourceRange? =
                if let namespace = object.namespace {
                    sites.namespaces[namespace]
                } else if object.kind == "ClusterSecretStore" {
                    sites.storeName
                } else {
                    nil
                }
            return (object, range ?? fallback)
        }
    }
}

/// An object a spec writes, as Kubernetes identifies it, in the cluster the spec deploys to.
struct WrittenObject: Hashable, CustomStringConvertible {
    /// `metadata.cluster`; `nil` (no cluster named) is one cluster of its own.
    var cluster: String?
    /// The API group: empty for the core group.
    var group = ""
    var kind: String
    var namespace: String?
    var name: String

    /// The API group of an `apiVersion` (`apps/v1` is `apps`, `v1` the core group).
    static func group(_ apiVersion: String) -> String {
        apiVersion.contains("/") ? String(apiVersion.prefix { $0 != "/" }) : ""
    }

    /// The object as messages name it: `Secret 'ns/name'`.
    var description: String { "\(kind) '\(namespace.map { "\($0)/\(name)" } ?? name)'" }
}

extension VaultCredential {
    /// The Kubernetes Secret the bootstrap script stores the credential in; `nil` for a login method
    /// that stores none.
    var stored: StoredCredential? {
        switch self {
        case .periodicToken(let token): token.stored
        case .appRole(let role): role.stored
        case .userPass(let user): user.stored
        case .kubernetesRole, .jwtRole: nil
        }
    }
}
