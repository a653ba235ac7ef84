import Foundation
import Testing

@testable import KeywayCore

/// The holes a security review found, each closed at its line (issue: safe by construction).
@Suite("Safety")
struct SafetyTests {
    static func vault(
        policy: String = "", auth: String = defaultAuth, kv: String = "kv", server: String = "https://vault.example.com"
    ) -> String {
        """
        vault:
          server: \(server)
          kv:
            mount: \(kv)
        \(policy)
          auth:
        \(auth)
        """
    }

    static let defaultAuth = """
            token:
              period: 24h
              secretRef: {name: vault-token, key: token, namespace: external-secrets}
        """

    @Test(arguments: ["default", "Default", "root"])
    func vaultsOwnPoliciesAreRefused(name: String) {
        let text = spec(vault: Self.vault(policy: "  policy: {name: ⟨KW025⟩\(name)}"))
        #expect(markedDiagnostics(text) == ["KW025 policy name '\(name)' is one of Vault's own policies"])
    }

    @Test(arguments: ["-h", "_x", ".x"])
    func namesThatReachTheCLIAsOptionsAreRefused(name: String) {
        let text = spec(vault: Self.vault(policy: "  policy: {name: ⟨KW024⟩\"\(name)\"}"))
        #expect(markedDiagnostics(text) == ["KW024 'policy.name' '\(name)' has characters outside the safe set"])
        let role = spec(vault: Self.vault(auth: Self.appRole(role: "⟨KW024⟩\"\(name)\"")))
        #expect(markedDiagnostics(role) == ["KW024 'appRole.role' '\(name)' has characters outside the safe set"])
    }

    @Test(arguments: ["sys", "auth", "identity", "cubbyhole", "sys/x"])
    func reservedKVMountsAreRefused(mount: String) {
        #expect(
            markedDiagnostics(spec(vault: Self.vault(kv: "⟨KW025⟩\(mount)"))) == [
                "KW025 KV mount '\(mount)' is a path Vault reserves for itself"
            ])
    }

    @Test func theTokenStoreIsNoAuthMount() {
        let text = spec(vault: Self.vault(auth: Self.appRole(role: "eso", extra: "mountPath: ⟨KW025⟩token")))
        #expect(markedDiagnostics(text) == ["KW025 auth mount 'token' is a path Vault reserves for itself"])
    }

    static func appRole(role: String, extra: String = "") -> String {
        """
            appRole:
              role: \(role)
              secretRef: {name: vault-approle, key: secret-id, namespace: external-secrets}
              \(extra)
        """
    }

    @Test func aTargetMayNotBeTheStoresCredential() {
        let apps = defaultApps.replacingOccurrences(of: "namespace: dev", with: "namespace: external-secrets")
            .replacingOccurrences(of: "extract: dev/api", with: "extract: dev/api\n        target: ⟨KW026⟩vault-token")
        #expect(
            markedDiagnostics(spec(apps: apps)) == [
                "KW026 Secret 'vault-token' in namespace 'external-secrets' holds the store's own Vault credential"
            ])
        // Another namespace's Secret of that name is not the credential.
        let elsewhere = defaultApps.replacingOccurrences(
            of: "extract: dev/api", with: "extract: dev/api\n        target: vault-token")
        #expect(errors(spec(apps: elsewhere)).isEmpty)
    }

    @Test func inSecretStoreModeEveryNamespaceHoldsTheCredential() {
        let auth = """
                appRole:
                  role: eso
                  secretRef: {name: vault-approle, key: secret-id}
            """
        let apps = defaultApps.replacingOccurrences(
            of: "extract: dev/api", with: "extract: dev/api\n        target: ⟨KW026⟩vault-approle")
        let text = spec(apps: apps, vault: Self.vault(auth: auth), extra: "secretStore: {kind: SecretStore}")
        #expect(
            markedDiagnostics(text) == [
                "KW026 Secret 'vault-approle' in namespace 'dev' holds the store's own Vault credential"
            ])
    }

    @Test func plainHTTPIsWarned() {
        #expect(
            markedDiagnostics(
                spec(vault: Self.vault(server: "⟨KW046⟩http://vault:8200")), severity: .warning, only: ["KW046"])
                == ["KW046 Vault server 'http://vault:8200' is reached over plain http"])
    }

    @Test func aClusterStoreServingSeveralNamespacesIsWarned() {
        let apps =
            defaultApps + "\n"
            + defaultApps.replacingOccurrences(of: "web:", with: "api:").replacingOccurrences(
                of: "namespace: dev", with: "namespace: shop")
        let marked = spec(apps: apps).replacingOccurrences(of: "\napps:\n", with: "\n⟨KW047⟩apps:\n")
        #expect(
            markedDiagnostics(marked, severity: .warning, only: ["KW047"]) == [
                "KW047 ClusterSecretStore 'test' serves 2 namespaces with one credential: "
                    + "each namespace's ExternalSecrets can read every path the others reference"
            ])
        #expect(!warnings(spec()).contains { $0.hasPrefix("KW047") })
    }

    @Test func longLivedCredentialsAreWarned() {
        let period = Self.defaultAuth.replacingOccurrences(of: "period: 24h", with: "period: ⟨KW048⟩876000h")
        #expect(
            markedDiagnostics(spec(vault: Self.vault(auth: period)), severity: .warning, only: ["KW048"]) == [
                "KW048 token period '876000h' keeps a leaked token alive for that long after its last renewal"
            ])
        let never = spec(vault: Self.vault(auth: Self.appRole(role: "eso", extra: "secretIdTTL: ⟨KW048⟩\"0\"")))
        #expect(
            markedDiagnostics(never, severity: .warning) == [
                "KW048 'secretIdTTL: 0' issues AppRole secret-ids that never expire"
            ])
    }

    @Test func secretIdsExpireByDefault() throws {
        let environment = try compiled(spec(vault: Self.vault(auth: Self.appRole(role: "eso"))))
        guard case .appRole(let role) = environment.vault.grants.first?.credential else {
            Issue.record("expected an AppRole credential")
            return
        }
        #expect(role.secretIdTTL.text == "720h")
        #expect(ShellRenderer.render(environment.bootstrap).contains("\"secret_id_ttl\":\"720h\""))
    }

    /// The Vault-name collisions (KW027) `Compiler.compile(specs:)` reports, as `SPEC-INDEX CODE message`,
    /// each at its marker (see `markedDiagnostics(specs:only:)`).
    static func collisions(
        _ specs: [(name: String, text: String)], sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> [String] {
        markedDiagnostics(
            specs: specs, only: [DiagnosticCode.vaultNameCollision.rawValue], sourceLocation: sourceLocation)
    }

    static func renamed(_ text: String, _ name: String) -> String {
        text.replacingOccurrences(of: "name: test", with: "name: \(name)")
    }

    @Test func twoSpecsMayNotWriteOnePolicyOrRole() {
        let first = spec(vault: Self.vault(policy: "  policy: {name: eso-prod-payments}"))
        let second = Self.renamed(
            spec(vault: Self.vault(policy: "  policy: {name: ⟨KW027⟩ESO-prod-payments}")), "other")
        #expect(
            Self.collisions([("a.yaml", first), ("b.yaml", second)]) == [
                "1 KW027 policy 'eso-prod-payments' is also written by 'a.yaml'"
            ])
        // The same names on another Vault server are another Vault's.
        let elsewhere = Self.renamed(
            spec(vault: Self.vault(policy: "  policy: {name: eso-prod-payments}", server: "https://other.example.com")),
            "other")
        #expect(Self.collisions([("a.yaml", first), ("c.yaml", elsewhere)]).isEmpty)
    }

    /// The review's bypass: prod's policy named by a spec that spells prod's server differently.
    @Test(arguments: [
        "https://VAULT.example.com", "https://vault.example.com:443", "https://vault.example.com.",
        "https://vault.example.com:0443", "https://vault.example.com/", "HTTPS://Vault.Example.COM.:443//",
    ])
    func oneServerSpelledDifferentlyIsOneServer(server: String) {
        let first = spec(vault: Self.vault(policy: "  policy: {name: eso-prod-payments}"))
        let second = Self.renamed(
            spec(vault: Self.vault(policy: "  policy: {name: ⟨KW027⟩eso-prod-payments}", server: server)), "other")
        #expect(
            Self.collisions([("a.yaml", first), ("b.yaml", second)]) == [
                "1 KW027 policy 'eso-prod-payments' is also written by 'a.yaml'"
            ])
    }

    @Test func serverIdentityIsOneSpellingPerServer() {
        let cases = [
            ("https://Vault.Example.com.:0443/", "https://vault.example.com"),
            ("http://vault:80", "http://vault"),
            ("http://vault:443", "http://vault:443"),
            ("https://vault:8200/vault/", "https://vault:8200/vault"),
            ("https://[::1]:443", "https://[::1]"),
            ("https://[::1]", "https://[::1]"),
            ("https://vault/Path", "https://vault/Path"),
        ]
        for (address, identity) in cases { #expect(Syntax.serverIdentity(address) == identity, "\(address)") }
        #expect(Syntax.serverIdentity("https://vault:8200") != Syntax.serverIdentity("https://vault"))
    }

    /// The Kubernetes-object collisions (KW160) `Compiler.compile(specs:)` reports, as `collisions` does.
    static func objectCollisions(
        _ specs: [(name: String, text: String)], sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> [String] {
        markedDiagnostics(specs: specs, only: [DiagnosticCode.objectCollision.rawValue], sourceLocation: sourceLocation)
    }

    /// `defaultVault` with `marks` before the namespace of its token Secret, where the objects of the
    /// token's renewal are reported.
    static func tokenNamespaceMarked(_ marks: String) -> String {
        defaultVault.replacingOccurrences(
            of: "namespace: external-secrets}", with: "namespace: \(marks)external-secrets}")
    }

    @Test func twoSpecsMayNotWriteOneCredentialSecret() {
        let apps = defaultApps.replacingOccurrences(of: "dev", with: "prod")
        let other = Self.renamed(spec(apps: apps, vault: Self.tokenNamespaceMarked("⟨KW160⟩⟨KW160⟩")), "other")
        #expect(
            Self.objectCollisions([("a.yaml", spec()), ("b.yaml", other)]) == [
                "1 KW160 CronJob 'external-secrets/vault-token-renewal' is also written by 'a.yaml'",
                "1 KW160 Secret 'external-secrets/vault-token' is also written by 'a.yaml'",
            ])
    }

    @Test func twoSpecsMayNotWriteOneAppsObjectsOrStore() {
        let vault = defaultVault.replacingOccurrences(of: "name: vault-token", with: "name: other-token")
        let apps = defaultApps.replacingOccurrences(of: "namespace: dev", with: "namespace: ⟨KW160⟩⟨KW160⟩⟨KW160⟩dev")
        let other = Self.renamed(
            spec(apps: apps, vault: vault, extra: "secretStore: {name: ⟨KW160⟩'test'}"), "other")
        #expect(
            Self.objectCollisions([("a.yaml", spec()), ("b.yaml", other)]) == [
                "1 KW160 ClusterSecretStore 'test' is also written by 'a.yaml'",
                "1 KW160 Deployment 'dev/web' is also written by 'a.yaml'",
                "1 KW160 ExternalSecret 'dev/api' is also written by 'a.yaml'",
                "1 KW160 Secret 'dev/api' is also written by 'a.yaml'",
            ])
        // The first spec is never blamed, and one spec may name its own objects as often as it likes.
        #expect(Self.objectCollisions([("a.yaml", spec())]).isEmpty)
    }

    /// ESO logging in as a namespace's `default` account is warned where the spec names it, in both
    /// store kinds, and Keyway never writes a ServiceAccount `default` (Kubernetes owns it; Keyway's
    /// would turn off token mounting for every pod of the namespace).
    @Test func loggingInAsTheDefaultServiceAccountIsWarned() throws {
        let namespaced = spec(
            vault: Self.vault(auth: "    kubernetes: {role: eso, serviceAccountRef: {name: ⟨KW165⟩default}}"),
            extra: "secretStore: {kind: SecretStore}")
        #expect(
            markedDiagnostics(namespaced, severity: .warning).filter { $0.hasPrefix("KW165") } == [
                "KW165 ESO would log in as the 'default' service account, which every pod of each namespace naming no other runs as"
            ])
        let objects = try compiled(unmarked(namespaced).text).objects
        #expect(!objects.contains { $0.kind == "ServiceAccount" })
        #expect(objects.contains { $0.kind == "SecretStore" })
        let cluster = spec(
            vault: Self.vault(
                auth: "    kubernetes: {role: eso, serviceAccountRef: {name: ⟨KW165⟩default, namespace: dev}}"))
        #expect(
            markedDiagnostics(cluster, severity: .warning).filter { $0.hasPrefix("KW165") } == [
                "KW165 ESO would log in as the 'default' service account, which every pod of namespace 'dev' naming no other runs as"
            ])
    }

    /// `metadata.cluster` separates specs: objects of one name in two clusters are two objects, and
    /// a spec naming no cluster shares one only with the others naming none.
    @Test func specsOfDifferentClustersMayReuseObjectNames() {
        let apps = defaultApps.replacingOccurrences(of: "dev", with: "prod")
        let other = Self.renamed(spec(apps: apps), "other")
        let marked = Self.renamed(spec(apps: apps, vault: Self.tokenNamespaceMarked("⟨KW160⟩⟨KW160⟩")), "other")
        func inCluster(_ text: String, _ cluster: String) -> String {
            text.replacingOccurrences(of: "metadata:\n", with: "metadata:\n  cluster: \(cluster)\n")
        }
        #expect(
            Self.objectCollisions([("a.yaml", inCluster(spec(), "east")), ("b.yaml", inCluster(other, "west"))]).isEmpty
        )
        #expect(Self.objectCollisions([("a.yaml", spec()), ("b.yaml", inCluster(other, "west"))]).isEmpty)
        #expect(
            Self.objectCollisions([("a.yaml", inCluster(spec(), "east")), ("b.yaml", inCluster(marked, "east"))]) == [
                "1 KW160 CronJob 'external-secrets/vault-token-renewal' is also written by 'a.yaml'",
                "1 KW160 Secret 'external-secrets/vault-token' is also written by 'a.yaml'",
            ])
    }

    /// A tokenReviewer ClusterRoleBinding is cluster-scoped: found from the object, by kind and name.
    @Test func clusterScopedObjectsCollideByName() throws {
        let environment = try compiled(spec())
        var entry = CrossSpecEntry(index: 0, name: "a.yaml", result: Compiler.compile(bytes(spec())))
        let binding = KubernetesObject(
            apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", name: "shared", namespace: nil,
            labels: [], body: [])
        entry.result.environment?.objects.append(binding)
        var second = entry
        second.index = 1
        second.name = "b.yaml"
        second.result.environment?.name = environment.name + "-b"
        let found = CrossSpecChecks.kubernetesObjects([entry, second]).map(\.diagnostic.message)
        #expect(found.contains("ClusterRoleBinding 'shared' is also written by 'a.yaml'"))
    }

    @Test func twoSpecsMayNotOwnOneAuthMount() {
        let auth = """
                kubernetes:
                  role: eso
                  ownsMount: true
                  serviceAccountRef: {name: external-secrets, namespace: external-secrets}
            """
        let text = spec(vault: Self.vault(auth: auth))
        let second = Self.renamed(text, "two").replacingOccurrences(of: "role: eso", with: "role: ⟨KW027⟩other")
        #expect(
            Self.collisions([("one.yaml", Self.renamed(text, "one")), ("two.yaml", second)]) == [
                "1 KW027 auth mount 'kubernetes' (ownsMount) is also written by 'one.yaml'"
            ])
    }

    @Test func rolesCollideOnTheSameMount() {
        let text = spec(vault: Self.vault(auth: Self.appRole(role: "eso")))
        let second = Self.renamed(text, "two").replacingOccurrences(of: "role: eso", with: "role: ⟨KW027⟩eso")
        #expect(
            Self.collisions([("one.yaml", Self.renamed(text, "one")), ("two.yaml", second)]) == [
                "1 KW027 role 'eso' of auth mount 'approle' is also written by 'one.yaml'"
            ])
    }
}

/// What the bootstrap script promises, read off the rendered text.
@Suite("Bootstrap script safety")
struct ScriptSafetyTests {
    static let scripts: [String] = ["dev", "staging", "prod", "sandbox", "qa", "enterprise", "airgap", "review"]
        .compactMap { name in
            let url = repositoryRoot.appendingPathComponent("specs/\(name).yaml")
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
            return Compiler.compile(bytes(text)).environment.map { ShellRenderer.render($0.bootstrap) }
        }

    @Test func everyExampleCompiles() {
        #expect(Self.scripts.count == 8)
    }

    @Test(arguments: scripts)
    func tracingIsOffBeforeAnyCredential(script: String) throws {
        let lines = script.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
        let traceOff = try #require(lines.firstIndex(of: "set +x"))
        // Kubernetes auth stores no credential: nothing is captured.
        let firstCapture =
            lines.firstIndex { $0.range(of: #"^[a-z_]+=\$\("#, options: .regularExpression) != nil } ?? lines.count
        #expect(traceOff < firstCapture)
        #expect(traceOff < lines.firstIndex { $0.hasPrefix("vault ") || $0.contains(" vault ") } ?? lines.count)
    }

    @Test(arguments: scripts)
    func onlyVaultSeesTheOperatorsToken(script: String) {
        #expect(script.contains("keyway_vault_token=\"${VAULT_TOKEN-}\"\nunset VAULT_TOKEN\n"))
        let tokenLines = script.split(separator: "\n").filter { $0.contains("VAULT_TOKEN=") }
        #expect(tokenLines == ["  VAULT_TOKEN=\"${keyway_vault_token}\" command vault \"$@\""])
    }

    /// Every value a `vault write` takes from the spec arrives as JSON on stdin: arguments are a
    /// literal path, `-`, `NAME=-`, the operator's own environment, or a constant of Keyway's.
    @Test(arguments: scripts)
    func noSpecValueIsAVaultArgument(script: String) {
        for line in script.split(separator: "\n") where line.contains("vault write") {
            let words = line.split(separator: " ").drop { $0 != "write" }.dropFirst()
            for word in words where word.contains("=") && !word.hasPrefix("-") {
                let fromOperator = ["${KUBERNETES_", "${JWT_VALIDATION_PUBKEYS", "${OIDC_DISCOVERY_URL"].contains {
                    word.contains($0)
                }
                let allowed =
                    word.hasSuffix("=-") || word.hasSuffix("=-)") || word.hasSuffix("=-);") || fromOperator
                    || word == "disable_local_ca_jwt=true"
                #expect(allowed, "'\(word)' in \(line)")
            }
        }
    }
}
