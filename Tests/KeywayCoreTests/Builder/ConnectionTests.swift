import Testing

@testable import KeywayCore

/// The Vault connection: namespace, private CA, JWT auth and the token reviewer.
@Suite("Vault connection")
struct ConnectionTests {
    static let pem = """
        -----BEGIN CERTIFICATE-----
        MIIBnTCCAUOgAwIBAgIUN+b+rTle2xCDGCyJwYMehRQRQUEwCgYIKoZIzj0EAwIw
        JDEiMCAGA1UEAwwZRXhhbXBsZSBJbnRlcm5hbCBWYXVsdCBDQTAeFw0yNjExMjkx
        -----END CERTIFICATE-----

        """

    /// A `vault` block whose `connection` lines (indented by two) follow `server`, with `auth` last.
    static func vault(
        _ connection: String, auth: String = SafetyTests.defaultAuth, server: String = "https://vault.example.com"
    ) -> String {
        """
        vault:
          server: \(server)
        \(connection)
          kv:
            mount: kv
          auth:
        \(auth)
        """
    }

    static let jwt = """
            jwt:
              role: eso
              serviceAccountRef: {name: external-secrets, namespace: external-secrets}
              audiences: [vault]
              boundIssuer: https://kubernetes.default.svc.cluster.local
        """

    @Test func aCABundleMustBePEMCertificates() {
        let cases: [(String, String)] = [
            ("caBundle: not a certificate", "it has text outside the '-----BEGIN CERTIFICATE-----' blocks"),
            ("caBundle: \"\"", "it holds no '-----BEGIN CERTIFICATE-----' block"),
            (
                "caBundle: \"-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----\\n\"",
                "it holds a 'PRIVATE KEY' block, not a CERTIFICATE"
            ),
            (
                "caBundle: \"-----BEGIN CERTIFICATE-----\\nnot*base64\\n-----END CERTIFICATE-----\\n\"",
                "certificate 1 is not valid base64"
            ),
            (
                "caBundle: \"-----BEGIN CERTIFICATE-----\\nQUJD\\n-----END CERTIFICATE-----\\n\"",
                "certificate 1 does not decode to a DER certificate"
            ),
            (
                "caBundle: \"-----BEGIN CERTIFICATE-----\\nMIIB\\n\"",
                "certificate 1 has no '-----END CERTIFICATE-----' line"
            ),
        ]
        for (line, problem) in cases {
            let marked = "  " + line.replacingOccurrences(of: "caBundle: ", with: "caBundle: ⟨KW090⟩")
            #expect(
                markedDiagnostics(spec(vault: Self.vault(marked))) == ["KW090 invalid 'vault.caBundle': \(problem)"],
                "\(line)")
        }
        let bundle = "  caBundle: |\n" + Self.pem.split(separator: "\n").map { "    \($0)" }.joined(separator: "\n")
        #expect(errors(spec(vault: Self.vault(bundle))).isEmpty)
    }

    @Test func twoCertificatesAreOneBundle() {
        #expect(PEM.certificateProblem(Self.pem + "\n" + Self.pem) == nil)
        #expect(PEM.certificateProblem(Self.pem.replacingOccurrences(of: "\n", with: "\r\n")) == nil)
    }

    @Test func base64RoundTrips() {
        for text in ["", "a", "ab", "abc", "abcd", "hello, world\n"] {
            let encoded = Base64.encode(Array(text.utf8))
            #expect(
                Base64.decode(Array(encoded.utf8)).map { String(decoding: $0, as: UTF8.self) }
                    == (text.isEmpty ? nil : text))
        }
        #expect(Base64.encode(Array("hello".utf8)) == "aGVsbG8=")
    }

    @Test func caBundleAndCAProviderExcludeEachOther() {
        let both =
            "  caBundle: x\n  ⟨KW015⟩caProvider: {type: ConfigMap, name: vault-ca, key: ca.crt, namespace: external-secrets}"
        #expect(
            markedDiagnostics(spec(vault: Self.vault(both))) == [
                "KW015 'caBundle' and 'caProvider' both give Vault's CA"
            ])
    }

    @Test func aCAProviderNamesItsNamespaceOnlyForAClusterStore() {
        let missing = "  ⟨KW011⟩caProvider: {type: ConfigMap, name: vault-ca, key: ca.crt}"
        #expect(
            markedDiagnostics(spec(vault: Self.vault(missing))) == [
                "KW011 missing key 'namespace' in 'vault.caProvider'"
            ])
        let auth = """
                appRole:
                  role: eso
                  secretRef: {name: vault-approle, key: secret-id}
            """
        let namespaced = "  caProvider: {type: Secret, name: vault-ca, key: ca.crt, ⟨KW015⟩namespace: dev}"
        #expect(
            markedDiagnostics(
                spec(vault: Self.vault(namespaced, auth: auth), extra: "secretStore: {kind: SecretStore}")) == [
                    "KW015 a SecretStore reads its CA from its own namespace; 'caProvider' takes no namespace"
                ])
        let wrongType =
            "  caProvider: {type: ⟨KW014⟩configmap, name: vault-ca, key: ca.crt, namespace: external-secrets}"
        #expect(
            markedDiagnostics(spec(vault: Self.vault(wrongType))) == ["KW014 invalid 'caProvider.type' 'configmap'"])
    }

    @Test func theRenewalJobMustReachTheCA() {
        let elsewhere = "  caProvider: {type: ConfigMap, name: vault-ca, key: ca.crt, namespace: ⟨KW015⟩vault}"
        #expect(
            markedDiagnostics(spec(vault: Self.vault(elsewhere))) == [
                "KW015 the token renewal CronJob runs in namespace 'external-secrets' and cannot mount the CA from namespace 'vault'"
            ])
    }

    @Test func aCAOverPlainHTTPIsWarned() {
        let text = spec(
            vault: Self.vault(
                "  ⟨KW092⟩caProvider: {type: ConfigMap, name: vault-ca, key: ca.crt, namespace: external-secrets}",
                server: "http://vault:8200"))
        #expect(
            markedDiagnostics(text, severity: .warning, only: ["KW092"]) == [
                "KW092 'caProvider' is not used: Vault server 'http://vault:8200' is reached over plain http"
            ])
    }

    @Test(arguments: [
        ("team a", "the path contains U+0020"), ("/team-a", "the path starts with '/'"),
        ("team-a/", "the path ends with '/'"),
        ("sys", "'sys' is a name Vault reserves"), ("admin/root", "'root' is a name Vault reserves"),
        ("a//b", "the path has an empty segment ('//')"),
    ])
    func anInvalidNamespaceIsRefused(namespace: String, problem: String) {
        #expect(
            markedDiagnostics(spec(vault: Self.vault("  namespace: ⟨KW091⟩\"\(namespace)\""))) == [
                "KW091 invalid Vault namespace '\(namespace)': \(problem)"
            ])
    }

    @Test func jwtNeedsAudiences() {
        let missing = Self.jwt.replacingOccurrences(of: "      audiences: [vault]\n", with: "")
            .replacingOccurrences(of: "jwt:", with: "⟨KW011⟩jwt:")
        #expect(
            markedDiagnostics(spec(vault: Self.vault("", auth: missing)))
                == ["KW011 missing key 'audiences' in 'auth.jwt'"])
        let empty = Self.jwt.replacingOccurrences(of: "audiences: [vault]", with: "audiences: ⟨KW014⟩[]")
        #expect(markedDiagnostics(spec(vault: Self.vault("", auth: empty))) == ["KW014 'jwt.audiences' is empty"])
        let twice = Self.jwt.replacingOccurrences(of: "audiences: [vault]", with: "audiences: [vault, ⟨KW013⟩vault]")
        #expect(markedDiagnostics(spec(vault: Self.vault("", auth: twice))) == ["KW013 duplicate audience 'vault'"])
    }

    @Test func jwtRoleIsJSONAndPinsSubjectAudiencesAndIssuer() throws {
        let environment = try compiled(spec(vault: Self.vault("  namespace: team-a", auth: Self.jwt)))
        let script = ShellRenderer.render(environment.bootstrap)
        #expect(script.contains("VAULT_NAMESPACE='team-a'\nexport VAULT_NAMESPACE\n"))
        #expect(
            script.contains(
                #"{"role_type":"jwt","user_claim":"sub","bound_subject":"system:serviceaccount:external-secrets:external-secrets","bound_audiences":["vault"],"bound_claims":{"iss":"https://kubernetes.default.svc.cluster.local"},"token_policies":["keyway-test"],"token_no_default_policy":true}"#
            ))
        #expect(!script.contains("VAULT_CACERT"), "no CA in the spec, no CA asked for")
        let store = try #require(environment.objects.first { $0.kind == "ClusterSecretStore" })
        let rendered = YAMLRenderer.render(store.document)
        #expect(rendered.contains("      namespace: team-a\n"))
        #expect(
            rendered.contains(
                "kubernetesServiceAccountToken:\n            serviceAccountRef:\n              name: external-secrets\n              namespace: external-secrets\n            audiences:\n              - vault\n"
            ))
        guard case .jwtRole(let role) = environment.vault.grants.first?.credential else {
            Issue.record("expected a JWT role")
            return
        }
        #expect(role.credentialSelfPaths == ["auth/token/lookup-self", "auth/token/revoke-self"])
    }

    @Test(arguments: [
        "https://kubernetes.default.svc.cluster.local", "https://Kubernetes.Default.svc.cluster.local.:443/",
        "https://kubernetes.default.svc",
    ])
    func theDefaultIssuerIsWarned(issuer: String) {
        let auth = Self.jwt.replacingOccurrences(
            of: "https://kubernetes.default.svc.cluster.local", with: "⟨KW164⟩\"\(issuer)\"")
        let found = markedDiagnostics(spec(vault: Self.vault("", auth: auth)), severity: .warning)
        #expect(
            found.filter { $0.hasPrefix("KW164") } == [
                "KW164 'boundIssuer' '\(issuer)' is the default issuer most clusters share: it does not tell this cluster's tokens from another's"
            ])
        let own = Self.jwt.replacingOccurrences(
            of: "https://kubernetes.default.svc.cluster.local", with: "https://oidc.eu-1.example.com")
        #expect(!warnings(spec(vault: Self.vault("", auth: own))).contains { $0.hasPrefix("KW164") })
    }

    @Test func aClientReviewerForTenantNamespacesIsWarned() {
        let auth = """
                kubernetes:
                  role: eso
                  serviceAccountRef: {name: eso-reader}
                  tokenReviewer: client
            """
        let marked = auth.replacingOccurrences(of: "tokenReviewer: client", with: "tokenReviewer: ⟨KW163⟩client")
        let namespaced = spec(vault: Self.vault("", auth: marked), extra: "secretStore: {kind: SecretStore}")
        #expect(
            markedDiagnostics(namespaced, severity: .warning).filter { $0.hasPrefix("KW163") } == [
                "KW163 'tokenReviewer: client' in SecretStore mode binds the service account of every app namespace to the cluster-wide 'system:auth-delegator'"
            ])
        let cluster = auth.replacingOccurrences(
            of: "{name: eso-reader}", with: "{name: external-secrets, namespace: external-secrets}")
        #expect(!warnings(spec(vault: Self.vault("", auth: cluster))).contains { $0.hasPrefix("KW163") })
    }

    @Test func clientReviewerBindsTheLoginAccountsToAuthDelegator() throws {
        let auth = """
                kubernetes:
                  role: eso
                  serviceAccountRef: {name: external-secrets, namespace: external-secrets}
                  tokenReviewer: client
            """
        let environment = try compiled(spec(vault: Self.vault("", auth: auth)))
        let binding = try #require(environment.objects.first { $0.kind == "ClusterRoleBinding" })
        #expect(binding.namespace == nil)
        #expect(
            YAMLRenderer.render(binding.document).hasSuffix(
                "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: system:auth-delegator\n"
                    + "subjects:\n  - kind: ServiceAccount\n    name: external-secrets\n    namespace: external-secrets\n"
            ))
        #expect(ShellRenderer.render(environment.bootstrap).contains(" disable_local_ca_jwt=true\n"))
        let byVault = try compiled(
            spec(vault: Self.vault("", auth: auth.replacingOccurrences(of: "client", with: "vault"))))
        #expect(!byVault.objects.contains { $0.kind == "ClusterRoleBinding" })
        #expect(!ShellRenderer.render(byVault.bootstrap).contains("disable_local_ca_jwt"))
    }

    @Test func namesInAnotherVaultNamespaceDoNotCollide() {
        let first = spec(vault: Self.vault("  namespace: team-a\n  policy: {name: eso}"))
        let other = SafetyTests.renamed(spec(vault: Self.vault("  namespace: team-b\n  policy: {name: eso}")), "other")
        #expect(SafetyTests.collisions([("a.yaml", first), ("b.yaml", other)]).isEmpty)
        let same = SafetyTests.renamed(
            spec(vault: Self.vault("  namespace: team-a\n  policy: {name: ⟨KW027⟩eso}")), "other")
        #expect(
            SafetyTests.collisions([("a.yaml", first), ("b.yaml", same)]) == [
                "1 KW027 policy 'eso' in Vault namespace 'team-a' is also written by 'a.yaml'"
            ])
    }
}

extension JWTRole {
    var credentialSelfPaths: [String] { VaultCredential.jwtRole(self).selfPaths.map(\.path) }
}
