import Testing

@testable import KeywayCore

/// Values read through the shape each key's table declares (`SpecReader+Shapes.swift`): the
/// format, bounds, enumeration, list minimum, keyed map and "exactly one of" come from the table,
/// and the message names the key by its path.
@Suite("Reading through the key tables")
struct ShapedReadingTests {
    static func tokenAuth(_ secretRef: String) -> String {
        """
                token:
                  period: 24h
                  secretRef: \(secretRef)
        """
    }

    @Test func aStringFormatComesFromTheTable() {
        // SecretRef.name is a subdomain, SecretRef.key a Secret key: both declared in the table only.
        let auth = Self.tokenAuth("{name: ⟨KW020⟩Vault_Token, key: ⟨KW020⟩'a b', namespace: external-secrets}")
        #expect(
            markedDiagnostics(spec(vault: SafetyTests.vault(auth: auth))) == [
                "KW020 'secretRef.name' 'Vault_Token' is not a valid Kubernetes name",
                "KW020 'secretRef.key' 'a b' is not a valid Secret key",
            ])
    }

    @Test func boundsComeFromTheTable() {
        // App.replicas: .int(0...10_000); KV.version: .int(1...2).
        let apps = defaultApps.replacingOccurrences(
            of: "namespace: dev", with: "namespace: dev\n    replicas: ⟨KW014⟩10001")
        #expect(markedDiagnostics(spec(apps: apps)) == ["KW014 'replicas' must be from 0 to 10000, found 10001"])
        let vault = defaultVault.replacingOccurrences(of: "mount: kv", with: "mount: kv\n    version: ⟨KW014⟩3")
        #expect(markedDiagnostics(spec(vault: vault)) == ["KW014 'kv.version' must be from 1 to 2, found 3"])
    }

    @Test func aListsMinimumAndItemFormatComeFromTheTable() {
        let apps =
            defaultApps
            + "\n    reload: auto\n    reloadOptions: {exclude: ⟨KW014⟩[]}"
        #expect(markedDiagnostics(spec(apps: apps)) == ["KW014 'reloadOptions.exclude' is empty"])
        let bad = defaultApps + "\n    reload: auto\n    reloadOptions: {exclude: [⟨KW020⟩Not_A_Secret]}"
        #expect(
            markedDiagnostics(spec(apps: bad)) == [
                "KW020 'reloadOptions.exclude' item 'Not_A_Secret' is not a valid Kubernetes name"
            ])
    }

    @Test func aKeyedMapChecksItsKeysAndValuesFromTheTable() {
        let auth = """
                    kubernetes:
                      role: eso
                      serviceAccountRef: {name: eso}
                      roles: {⟨KW020⟩Team_A: eso-a, team-b: ⟨KW024⟩'eso b'}
            """
        let text = spec(vault: SafetyTests.vault(auth: auth), extra: "secretStore: {kind: SecretStore}")
        #expect(
            markedDiagnostics(text) == [
                "KW020 'kubernetes.roles' key 'Team_A' is not a valid Kubernetes name",
                "KW024 'kubernetes.roles.team-b' 'eso b' has characters outside the safe set",
            ])
    }

    @Test func exactlyOneOfComesFromTheTable() {
        let two =
            Self.tokenAuth("{name: vault-token, key: token, namespace: external-secrets}")
            + "\n        ⟨KW015⟩appRole: {role: eso, secretRef: {name: a, key: b, namespace: c}}"
        #expect(
            markedDiagnostics(spec(vault: SafetyTests.vault(auth: two))) == ["KW015 'vault.auth' names 2 auth methods"])
        let none = defaultApps.replacingOccurrences(
            of: "      api:\n        extract: dev/api", with: "      ⟨KW015⟩api:\n        target: api")
        #expect(markedDiagnostics(spec(apps: none)) == ["KW015 secret 'api' names no Vault source"])
    }

    @Test func kubernetesAndJWTShareOneLoginReader() {
        // The same key of both tables, read by one function, named by each table's path.
        for method in ["kubernetes", "jwt"] {
            let extra =
                method == "jwt"
                ? "\n          audiences: [vault]\n          boundIssuer: https://issuer.example" : ""
            let auth = """
                        \(method):
                          role: eso
                          serviceAccountRef: {name: eso, namespace: external-secrets}
                          tokenTTL: ⟨KW022⟩often\(extra)
                """
            #expect(
                markedDiagnostics(spec(vault: SafetyTests.vault(auth: auth))) == [
                    "KW022 invalid duration 'often' for '\(method).tokenTTL'"
                ], "\(method)")
        }
    }
}
