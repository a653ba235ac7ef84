/// Kubernetes objects that two specs of one run would both write: one bootstrap run would revoke
/// the other's credential, one apply replace the other's store, CronJob or workload.
extension CrossSpecChecks {
    /// An error at each later spec writing an object (same API group, kind, namespace and name) an
    /// earlier spec writes, naming that spec.
    @Sendable public static func kubernetesObjects(_ specs: [CrossSpecEntry]) -> [CrossSpecFinding] {
        collisions(in: specs, claims: objectClaims) { value, first, range in
            Diagnostic(
                .objectCollision,
                "\(value.split(separator: "\u{0}").last.map(String.init) ?? value) is also written by '\(first.spec)'",
                at: range,
                help:
                    "give each environment its own names or namespaces: one would replace the other's object (and revoke its credential)",
                notes: [DiagnosticNote("first written here", at: first.range, file: first.spec)]
            )
        }
    }

    /// Every object one spec writes, each as `GROUP NUL KIND NUL NAMESPACE NUL DESCRIPTION`, at the
    /// best place the spec gives: where it names the object's namespace, `secretStore.name` for a
    /// cluster-scoped store, `metadata.name` otherwise.
    ///
    /// The objects are what the spec compiles to: its manifests, its patches of workloads owned
    /// elsewhere, the credential Secrets its bootstrap script writes and the Secrets its
    /// ExternalSecrets make ESO write.
    static func objectClaims(_ entry: CrossSpecEntry) -> [(value: String, range: SourceRange)] {
        guard let environment = entry.result.environment, let fallback = entry.result.nameRange else { return [] }
        let sites = entry.result.objectSites
        var written = (environment.objects + environment.patches).map {
            WrittenObject(apiVersion: $0.apiVersion, kind: $0.kind, namespace: $0.namespace, name: $0.name)
        }
        for grant in environment.vault.grants {
            guard let stored = grant.credential.stored else { continue }
            written.append(WrittenObject(kind: "Secret", namespace: stored.namespace, name: stored.secretName))
        }
        for app in environment.model.apps {
            for secret in app.ownSecrets {
                written.append(WrittenObject(kind: "Secret", namespace: app.namespace, name: secret.target))
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
            return (object.claim, range ?? fallback)
        }
    }
}

/// An object a spec writes, as Kubernetes identifies it.
struct WrittenObject {
    var apiVersion = "v1"
    var kind: String
    var namespace: String?
    var name: String

    /// The group, kind, namespace and name, then how a message names the object.
    var claim: String {
        let group = apiVersion.contains("/") ? String(apiVersion.prefix { $0 != "/" }) : ""
        let place = namespace.map { "\($0)/\(name)" } ?? name
        return [group, kind, namespace ?? "", "\(kind) '\(place)'"].joined(separator: "\u{0}")
    }
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
