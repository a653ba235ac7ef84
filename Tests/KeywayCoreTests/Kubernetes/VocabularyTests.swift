import Testing

@testable import KeywayCore

/// The outside vocabularies (ESO's field names and defaults, the hardened pod settings) are what
/// the lowering writes, and what import strips as Keyway's own.
@Suite struct VocabularyTests {
    @Test func hardenedSettingsAreWhatTheLoweringWrites() throws {
        let environment = try compiled(spec())
        let deployment = try #require(environment.objects.first { $0.kind == "Deployment" })
        let pod = try #require(deployment.document[ManifestPath(["spec", "template", "spec"])]?.mapValue)
        #expect(pod["securityContext"] == .map(PodHardening.podSecurityContext))
        #expect(pod[PodHardening.automountField] == .bool(PodHardening.automount))
        guard case .list(let containers) = pod["containers"], let container = containers.first?.mapValue else {
            Issue.record("no containers")
            return
        }
        #expect(container["securityContext"] == .map(PodHardening.containerSecurityContext))
    }

    @Test func versionNamesRoundTrip() {
        for version in KVVersion.allCases {
            #expect(ESOVault.version(named: ESOVault.versionName(version)) == version)
        }
        #expect(ESOVault.version(named: "v3") == nil)
    }

    /// Each login method's mount is written under the field ESO reads it from, and a store
    /// without that field imports with ESO's default mount.
    @Test func loginMethodsWriteTheirMountField() throws {
        let vaults: [ESOVault.LoginMethod: String] = [
            .kubernetes: "kubernetes: {role: eso, serviceAccountRef: {name: eso, namespace: external-secrets}}",
            .appRole: "appRole: {role: eso, secretRef: {name: approle, key: secret-id, namespace: external-secrets}}",
            .jwt: """
            jwt: {role: eso, serviceAccountRef: {name: eso, namespace: external-secrets}, audiences: [vault],
              boundIssuer: https://kubernetes.default.svc}
            """,
        ]
        for (method, auth) in vaults {
            let vault = """
                vault:
                  server: https://vault.example.com
                  kv: {mount: kv}
                  auth:
                    \(auth.replacingOccurrences(of: "\n", with: "\n    "))
                """
            let environment = try compiled(spec(vault: vault))
            let store = try #require(environment.objects.first { $0.kind == "ClusterSecretStore" })
            let login = try #require(
                store.document[ManifestPath(["spec", "provider", "vault", "auth", method.rawValue])]?.mapValue,
                "\(method)")
            #expect(login[method.mountPathField] == .string(method.defaultMountPath))
        }
    }
}
