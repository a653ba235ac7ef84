import Foundation
import Testing

@testable import KeywayCore

/// Imports in-memory files (name, YAML text).
func importTexts(_ files: [(String, String)], namespace: String? = nil) -> (ImportResult, [ImportFile]) {
    let inputs = files.map { ImportFile(name: $0.0, text: Array($0.1.utf8)) }
    return (Importer.importFiles(inputs, options: ImportOptions(environmentName: "dev", namespace: namespace)), inputs)
}

/// Inputs as repositories hold them, and the bugs real repositories showed on valid input: each a
/// regression test.
@Suite("Import of real shapes")
struct ImportBugTests {
    static let tokenStore = """
        apiVersion: external-secrets.io/v1beta1
        kind: ClusterSecretStore
        metadata: {name: vault-backend}
        spec:
          provider:
            vault:
              server: https://vault.example.com
              path: secret
              version: v2
              auth:
                tokenSecretRef: {name: vault-token, key: token, namespace: external-secrets}

        """

    static func deployment(_ name: String, namespace: String = "paperless", reads secret: String) -> String {
        """
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: \(name), namespace: \(namespace), annotations: {secret.reloader.stakater.com/reload: \(secret)}}
        spec:
          selector: {matchLabels: {app: \(name)}}
          template:
            metadata: {labels: {app: \(name)}}
            spec:
              automountServiceAccountToken: false
              securityContext: {seccompProfile: {type: RuntimeDefault}}
              containers:
                - name: \(name)
                  image: nginx
                  securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
                  envFrom: [{secretRef: {name: \(secret)}}]

        """
    }

    /// Imports a store with the renamed ExternalSecret and one Deployment `web` reading it.
    static func importWeb(store: String) -> (ImportResult, [ImportFile]) {
        importTexts([
            ("store.yaml", store), ("es.yaml", renamedSecret),
            ("apps.yaml", deployment("web", reads: "paperless-secrets")),
        ])
    }

    static let renamedSecret = """
        apiVersion: external-secrets.io/v1beta1
        kind: ExternalSecret
        metadata: {name: paperless-es, namespace: paperless}
        spec:
          secretStoreRef: {name: vault-backend, kind: ClusterSecretStore}
          target: {name: paperless-secrets}
          dataFrom: [{extract: {key: paperless}}]

        """

    /// An ExternalSecret named otherwise than its Secret, read by two Deployments: the second
    /// app's `use` entry names the secret and nothing else (it was refused with KW015).
    @Test func aRenamedSecretReadByTwoWorkloadsImports() throws {
        let (result, inputs) = importTexts([
            ("store.yaml", Self.tokenStore),
            ("es.yaml", Self.renamedSecret),
            (
                "apps.yaml",
                Self.deployment("web", reads: "paperless-secrets") + Self.deployment("db", reads: "paperless-secrets")
            ),
        ])
        let spec = try #require(result.spec, "\(described(result, inputs))")
        let environment = try compiled(spec)
        #expect(spec.contains("      paperless-es:\n        use: web\n"))
        let db = try #require(objectsByKey(environment)["Deployment/paperless/db"])
        #expect(db[["metadata", "annotations"]] == ["secret.reloader.stakater.com/reload": "paperless-secrets"])
    }

    /// A Rollout (Keyway patches one, it does not write one) is a `workload:` app with a warning,
    /// its own fields the user's (it was imported and then refused with KW014).
    @Test func aRolloutIsImportedAsAWorkloadOwnedElsewhere() throws {
        let rollout = """
            apiVersion: external-secrets.io/v1beta1
            kind: ExternalSecret
            metadata: {name: api, namespace: shop}
            spec:
              secretStoreRef: {name: vault-backend, kind: ClusterSecretStore}
              dataFrom: [{extract: {key: shop/api}}]
            ---
            apiVersion: argoproj.io/v1alpha1
            kind: Rollout
            metadata:
              name: api
              namespace: shop
              annotations: {secret.reloader.stakater.com/reload: api}
            spec:
              replicas: 2
              strategy: {canary: {steps: [{setWeight: 20}]}}
              selector: {matchLabels: {app.kubernetes.io/name: api}}
              template:
                metadata: {labels: {app.kubernetes.io/name: api}}
                spec:
                  containers:
                    - {name: api, image: nginx, envFrom: [{secretRef: {name: api}}]}

            """
        let (result, inputs) = importTexts([("store.yaml", Self.tokenStore), ("rollout.yaml", rollout)])
        let spec = try #require(result.spec, "\(described(result, inputs))")
        let environment = try compiled(spec)
        #expect(spec.contains("    workload:\n      kind: Rollout\n      name: api\n"))
        #expect(
            described(result, inputs).contains(
                "rollout.yaml KW136 11:9 Rollout 'api' is imported as a workload owned elsewhere: Keyway writes its patch, not the Rollout"
            ))
        #expect(!described(result, inputs).contains { $0.contains("KW112") || $0.contains("KW131") })
        let patch = try #require(objectsByKey(environment)["Rollout/shop/api"])
        #expect(patch[["metadata", "annotations"]] == ["secret.reloader.stakater.com/reload": "api"])
    }

    /// A SecretStore-mode policy with a folder rule: the spec cannot keep `scope: prefix` there, so
    /// import falls back to exact with a warning (it inferred prefix and refused its own spec).
    @Test func secretStoreModeFallsBackToAnExactPolicy() throws {
        let store = """
            apiVersion: external-secrets.io/v1beta1
            kind: SecretStore
            metadata: {name: vault, namespace: paperless}
            spec:
              provider:
                vault:
                  server: https://vault.example.com
                  path: secret
                  auth:
                    kubernetes:
                      role: eso-paperless
                      serviceAccountRef: {name: eso}

            """
        let es = Self.renamedSecret.replacingOccurrences(of: "ClusterSecretStore", with: "SecretStore")
            .replacingOccurrences(of: "vault-backend", with: "vault")
            .replacingOccurrences(of: "key: paperless}", with: "key: paperless/app}")
        let policy = "path \"secret/data/paperless/*\" {\n  capabilities = [\"read\"]\n}\n"
        let (result, inputs) = importTexts([
            ("store.yaml", store), ("es.yaml", es), ("apps.yaml", Self.deployment("web", reads: "paperless-secrets")),
            ("eso.hcl", policy),
        ])
        let spec = try #require(result.spec, "\(described(result, inputs))")
        _ = try compiled(spec)
        #expect(!spec.contains("scope: prefix"))
        #expect(
            described(result, inputs).contains(
                "eso.hcl KW134 1:6 policy 'eso' grants the folder 'paperless/': SecretStore mode writes exact policies, so the imported spec grants each namespace only the paths its ExternalSecrets read"
            ))
    }

    static func jwtStore(_ token: String) -> String {
        """
        apiVersion: external-secrets.io/v1beta1
        kind: ClusterSecretStore
        metadata: {name: vault-backend}
        spec:
          provider:
            vault:
              server: https://vault.example.com
              path: secret
              auth:
                jwt:
                  path: jwt
                  role: eso
                  kubernetesServiceAccountToken:
        \(token)

        """
    }

    /// jwt with ESO's default audience (`vault`), or audiences under `serviceAccountRef`: the spec's
    /// audiences are the token's as ESO requests it (it failed with KW011).
    @Test(arguments: [
        ("            serviceAccountRef: {name: eso, namespace: external-secrets}", ["vault"]),
        (
            "            serviceAccountRef: {name: eso, namespace: external-secrets, audiences: [sts.example.com]}",
            ["sts.example.com", "vault"]
        ),
        (
            "            serviceAccountRef: {name: eso, namespace: external-secrets, audiences: [a]}\n            audiences: [b]",
            ["a", "b"]
        ),
    ])
    func jwtAudiencesAreTheTokensAudiences(_ token: String, _ audiences: [String]) throws {
        let (result, inputs) = Self.importWeb(store: Self.jwtStore(token))
        let spec = try #require(result.spec, "\(described(result, inputs))")
        let environment = try compiled(spec)
        let store = try #require(objectsByKey(environment)["ClusterSecretStore/-/vault-backend"])
        #expect(
            store[["spec", "provider", "vault", "auth", "jwt", "kubernetesServiceAccountToken", "audiences"]]
                == .strings(audiences))
        #expect(!described(result, inputs).contains { $0.contains("KW112") || $0.contains("KW113") })
    }

    /// userPass (the shape of zednotdead/gensokyo's store) is imported as userPass; a method the
    /// spec cannot write (ldap) is a located error, never kubernetes auth in silence.
    @Test func userPassIsImportedAndOtherMethodsAreLocatedErrors() throws {
        let store = Self.tokenStore.replacingOccurrences(
            of: "tokenSecretRef: {name: vault-token, key: token, namespace: external-secrets}",
            with:
                "userPass: {path: userpass, username: cluster, secretRef: {name: vault-secret, key: password, namespace: external-secrets}}"
        )
        let (result, inputs) = Self.importWeb(store: store)
        let spec = try #require(result.spec, "\(described(result, inputs))")
        let environment = try compiled(spec)
        #expect(spec.contains("    userPass:\n      username: cluster\n"))
        let imported = try #require(objectsByKey(environment)["ClusterSecretStore/-/vault-backend"])
        #expect(imported[["spec", "provider", "vault", "auth", "userPass", "username"]] == "cluster")
        #expect(!described(result, inputs).contains { $0.contains("KW112") || $0.contains("KW113") })
        let ldap = Self.tokenStore.replacingOccurrences(
            of: "tokenSecretRef: {name: vault-token, key: token, namespace: external-secrets}",
            with: "ldap: {path: ldap, username: eso, secretRef: {name: vault-secret, key: password}}")
        let (refused, refusedInputs) = Self.importWeb(store: ldap)
        #expect(refused.spec == nil)
        #expect(
            described(refused, refusedInputs).contains(
                "store.yaml KW132 11:9 ClusterSecretStore 'vault-backend' logs in with 'ldap' auth, which the spec cannot write yet: importing it as another method would change how ESO logs in"
            ))
        #expect(!described(refused, refusedInputs).contains { $0.contains("assumed kubernetes") })
    }

    /// Every ExternalSecret comes back: one no input workload reads (a chart reads it) becomes an
    /// app with secrets only, and a workload's own selector is kept (`selector`), not replaced.
    @Test func unreadSecretsAndSelectorsComeBack() throws {
        let web = Self.deployment("web", reads: "paperless-secrets").replacingOccurrences(
            of: "{app: web}", with: "{app.kubernetes.io/name: web}")
        let chartSecret = """
            ---
            apiVersion: external-secrets.io/v1beta1
            kind: ExternalSecret
            metadata: {name: atlantis-vcs, namespace: atlantis}
            spec:
              secretStoreRef: {name: vault-backend, kind: ClusterSecretStore}
              data: [{secretKey: token, remoteRef: {key: atlantis/vcs, property: token}}]

            """
        let (result, inputs) = importTexts([
            ("store.yaml", Self.tokenStore), ("es.yaml", Self.renamedSecret + chartSecret), ("apps.yaml", web),
        ])
        let spec = try #require(result.spec, "\(described(result, inputs))")
        let objects = objectsByKey(try compiled(spec))
        #expect(spec.contains("  atlantis:\n    namespace: atlantis\n    secrets:\n      atlantis-vcs:\n"))
        #expect(objects["ExternalSecret/atlantis/atlantis-vcs"] != nil)
        #expect(
            objects["Deployment/paperless/web"]?[["spec", "selector"]] == [
                "matchLabels": ["app.kubernetes.io/name": "web"]
            ])
        #expect(!described(result, inputs).contains { $0.contains("KW114") || $0.contains("KW131") })
    }

    /// One workload in two files (two overlays imported together) is an error at the second,
    /// naming the first (it was `duplicate key` with no file or line).
    @Test func oneWorkloadInTwoFilesIsLocated() {
        let (result, inputs) = importTexts([
            ("store.yaml", Self.tokenStore), ("es.yaml", Self.renamedSecret),
            ("base/web.yaml", Self.deployment("web", reads: "paperless-secrets")),
            ("overlay/web.yaml", Self.deployment("web", reads: "paperless-secrets")),
            ("other/web.yaml", Self.deployment("web", namespace: "shop", reads: "x")),
        ])
        #expect(result.spec == nil)
        let messages = described(result, inputs)
        #expect(
            messages.contains(
                "web.yaml KW133 4:18 Deployment 'web' in namespace 'paperless' is defined twice: here and at base/web.yaml:4"
            ), "\(messages)")
        #expect(
            messages.contains(
                "web.yaml KW133 4:18 Deployment 'web' in namespace 'shop' has the name of Deployment 'web' in namespace 'paperless' (base/web.yaml:4): the spec names each app by its workload, once"
            ), "\(messages)")
        #expect(!messages.contains { $0.contains("KW013") || $0.contains("KW123") })
    }

    /// A store without `serviceAccountRef` logs in as ESO itself: the message says so and the spec
    /// names no account either (ESO's own, the spec's `operator`); a store naming no auth method
    /// lists the methods the spec knows.
    @Test func messagesNameTheAuthMethodsAndAccounts() throws {
        let kubernetes = Self.tokenStore.replacingOccurrences(
            of: "tokenSecretRef: {name: vault-token, key: token, namespace: external-secrets}",
            with: "kubernetes: {role: eso}")
        let (result, inputs) = Self.importWeb(store: kubernetes)
        #expect(
            described(result, inputs).contains(
                "store.yaml KW116 11:9 ClusterSecretStore 'vault-backend' names no service account: ESO logs in with its own, assumed 'external-secrets' in namespace 'external-secrets'"
            ), "\(described(result, inputs))")
        let spec = try #require(result.spec, "\(described(result, inputs))")
        let store = try #require(objectsByKey(try compiled(spec))["ClusterSecretStore/-/vault-backend"])
        #expect(store[["spec", "provider", "vault", "auth", "kubernetes", "serviceAccountRef"]] == nil)
        let none = Self.tokenStore.replacingOccurrences(
            of: "      auth:\n        tokenSecretRef: {name: vault-token, key: token, namespace: external-secrets}\n",
            with: "")
        let (other, otherInputs) = Self.importWeb(store: none)
        #expect(
            described(other, otherInputs).contains {
                $0.contains(
                    "names no auth method (tokenSecretRef, kubernetes, jwt, appRole or userPass): assumed kubernetes auth"
                )
            })
    }
}

/// Inputs as repositories hold them, on the command line: a rendered stream on standard input,
/// the namespace of objects that name none, and files import cannot read skipped with a warning.
@Suite("Import of rendered streams", .serialized)
struct ImportStreamTests {
    /// `kubectl kustomize … | compile import - --namespace NS`: the stream's objects without a
    /// namespace are in NS; a Terraform file and a Helm template beside it are skipped, said so.
    @Test func aRenderedStreamOnStandardInput() throws {
        let directory = try temporaryDirectory()
        let terraform = directory.appendingPathComponent("vault.tf")
        try Data("resource \"vault_policy\" \"eso\" {}\n".utf8).write(to: terraform)
        let chart = directory.appendingPathComponent("deployment.yaml")
        try Data("metadata:\n  name: {{ include \"web.fullname\" . }}\n".utf8).write(to: chart)
        let stream =
            ImportBugTests.tokenStore + "---\n"
            + ImportBugTests.renamedSecret.replacingOccurrences(of: ", namespace: paperless}", with: "}")
            + ImportBugTests.deployment("web", reads: "paperless-secrets").replacingOccurrences(
                of: ", namespace: paperless,", with: ",")
        let run = try runCompile(
            ["import", "-", terraform.path, chart.path, "--namespace", "paperless", "--name", "dev"], input: stream)
        #expect(run.status == 0, "\(run.err)")
        let environment = try compiled(run.out)
        #expect(objectsByKey(environment)["Deployment/paperless/web"] != nil)
        #expect(objectsByKey(environment)["ExternalSecret/paperless/paperless-es"] != nil)
        #expect(run.err.contains("vault.tf:1:1: warning: this file is not imported [KW130]"), "\(run.err)")
        #expect(run.err.contains("Terraform is not read"))
        #expect(run.err.contains("deployment.yaml:1:1: warning: this file is not imported [KW130]"))
        #expect(run.err.contains("helm template RELEASE CHART"))
        #expect(!run.err.contains("names no namespace"))
    }

    /// Messages about the stream name it `<stdin>`, at the line in the stream.
    @Test func messagesAboutTheStreamNameIt() throws {
        let run = try runCompile(["import", "-"], input: ImportBugTests.tokenStore)
        #expect(run.status == 1)
        #expect(run.out.isEmpty)
        #expect(run.err.contains("error: no workload"), "\(run.err)")
        #expect(run.err.contains("<stdin>:11:9: warning: the token's period is not in the manifests"), "\(run.err)")
    }
}
