import Testing

@testable import KeywayCore

@Suite("Spec validation")
struct ModelTests {
    @Test func seedSpecIsValid() throws {
        let environment = try compiled(spec())
        #expect(environment.name == "test")
        #expect(environment.policies.map(\.name) == ["keyway-test"])
    }

    @Test func misspeltKeyIsLocatedWithSuggestion() {
        let marked = spec(apps: defaultApps + "\n        ⟨KW010⟩refreshIntervl: 1m")
        #expect(markedDiagnostics(marked) == ["KW010 unknown key 'refreshIntervl' in secret 'api'"])
        let result = Compiler.compile(bytes(unmarked(marked).text))
        #expect(result.diagnostics.first { $0.code == .unknownKey }?.help == "did you mean 'refreshInterval'?")
        #expect(result.environment == nil)
    }

    @Test func keyTablesAgree() {
        // The source keys are keys of a secret; every required key is allowed.
        #expect(SpecKey.SecretSource.allCases.allSatisfy { SpecKey.Secret(rawValue: $0.rawValue) != nil })
        #expect(SpecKey.SecretRef.requiredKeys(namespaced: false) == ["name", "key", "namespace"])
        #expect(SpecKey.SecretRef.requiredKeys(namespaced: true) == ["name", "key"])
        #expect(SpecKey.Auth.quotedList == "'token', 'kubernetes', 'appRole', 'jwt', 'userPass'")
        #expect(SpecKey.Top.allCases.allSatisfy { !$0.summary.isEmpty })
    }

    @Test func emptyContainersSaySo() {
        let apps = """
              web:
                namespace: dev
                ⟨KW014⟩containers: {}
            """
        #expect(markedDiagnostics(spec(apps: apps)) == ["KW014 'containers' of app 'web' is empty"])
    }

    @Test func wrongTypeAndImpossibleValueAreAllReported() {
        let apps = """
              web:
                namespace: dev
                replicas: ⟨KW012⟩many
                reload: ⟨KW014⟩sometimes
                containers:
                  app:
                    image: ⟨KW012⟩[alpine]
            """
        #expect(
            markedDiagnostics(spec(apps: apps)) == [
                "KW012 expected a whole number for 'replicas', found a string",
                "KW014 invalid 'reload' 'sometimes'",
                "KW012 expected a string for 'image', found a list",
            ]
        )
    }

    @Test func unquotedBooleanWhereAStringBelongs() {
        let apps = """
              web:
                namespace: dev
                containers:
                  app:
                    image: ⟨KW012⟩no
            """
        #expect(markedDiagnostics(spec(apps: apps)) == ["KW012 expected a string for 'image', found a boolean"])
    }

    @Test func yamlFeaturesAndShapes() {
        #expect(markedDiagnostics("⟨KW004⟩") == ["KW004 spec is empty"])
        #expect(markedDiagnostics("⟨KW004⟩- a\n") == ["KW004 a spec's top level must be a mapping, found a list"])
        #expect(markedDiagnostics("a: ⟨KW002⟩&x 1\nb: *x\n") == ["KW002 YAML anchors are not supported in a spec"])
        #expect(markedDiagnostics("a: 1\n⟨KW004⟩---\nb: 2\n") == ["KW004 spec holds more than one YAML document"])
        #expect(markedDiagnostics("a: ⟨KW002⟩!!str 1\n") == ["KW002 YAML tags are not supported in a spec"])
        #expect(markedDiagnostics("a: [1\n⟨KW001⟩").first?.hasPrefix("KW001 invalid YAML") == true)
        #expect(
            markedDiagnostics("⟨KW002⟩<<: {a: 1}\n") == ["KW002 YAML merge keys ('<<') are not supported in a spec"])
        #expect(markedDiagnostics("a: 1\n⟨KW013⟩a: 2\n", only: ["KW013"]) == ["KW013 duplicate key 'a'"])
        let deep = String(repeating: "[", count: 64) + "⟨KW003⟩" + String(repeating: "[", count: 36)
        #expect(markedDiagnostics(deep).first == "KW003 spec nests deeper than 64 levels")
        let utf8 = Compiler.compile([0x61, 0x3A, 0x20, 0xFF, 0x0A]).diagnostics.first.map(described)
        #expect(utf8?.hasPrefix("KW001 1:4 spec is not valid UTF-8 text") == true, "\(utf8 ?? "none")")
    }

    @Test func bomAndCRLFAreRead() throws {
        let text = "\u{FEFF}" + spec().replacingOccurrences(of: "\n", with: "\r\n")
        #expect(Compiler.compile(bytes(text)).environment != nil)
    }

    @Test func namesThatReachHCLOrShellAreRefused() {
        let problems = [
            "dev/\"x": "the path contains '\"'", "dev/$(id)": "the path contains '$'",
            "dev/`id`": "the path contains '`'",
            "dev/a;b": "the path contains ';'", "dev/a b": "the path contains U+0020",
            "dev/../x": "the path has a '..' segment",
            "//dev/x": "the path starts with '/'", "dev//x": "the path has an empty segment ('//')",
            "dev/*": "the path contains '*'",
        ]
        for (bad, problem) in problems.sorted(by: { $0.key < $1.key }) {
            let apps = defaultApps.replacingOccurrences(of: "extract: dev/api", with: "extract: ⟨KW021⟩'\(bad)'")
            #expect(
                markedDiagnostics(spec(apps: apps)) == ["KW021 invalid Vault path '\(bad)' for 'extract': \(problem)"])
        }
        let vault = defaultVault.replacingOccurrences(of: "mount: kv", with: "mount: ⟨KW021⟩'kv\"; rm'")
        #expect(
            markedDiagnostics(spec(vault: vault)) == [
                "KW021 invalid Vault path 'kv\"; rm' for 'kv.mount': the path contains '\"'"
            ])
        let policy = defaultVault + "\n  policy:\n    name: ⟨KW024⟩'a$(id)'"
        #expect(
            markedDiagnostics(spec(vault: policy)) == [
                "KW024 'policy.name' 'a$(id)' has characters outside the safe set"
            ]
        )
    }

    @Test func durationsURLsAndKubernetesNames() {
        #expect(
            markedDiagnostics(spec(vault: defaultVault.replacingOccurrences(of: "24h", with: "⟨KW022⟩1 day"))) == [
                "KW022 invalid duration '1 day' for 'token.period'"
            ])
        #expect(
            markedDiagnostics(spec(vault: defaultVault.replacingOccurrences(of: "24h", with: "⟨KW036⟩5m"))) == [
                "KW036 token period '5m' is too short to renew from a CronJob"
            ])
        let server = defaultVault.replacingOccurrences(of: "https://vault.example.com", with: "⟨KW023⟩vault:8200")
        #expect(
            markedDiagnostics(spec(vault: server)) == [
                "KW023 invalid Vault server address 'vault:8200': the address must start with 'https://' or 'http://'"
            ])
        let apps = defaultApps.replacingOccurrences(of: "namespace: dev", with: "namespace: ⟨KW020⟩Dev_1")
        #expect(markedDiagnostics(spec(apps: apps)) == ["KW020 'namespace' 'Dev_1' is not a valid Kubernetes name"])
    }

    @Test func prefixScopeRefusesPathsOutside() {
        let vault = defaultVault + "\n  policy:\n    scope: prefix\n    prefix: prod"
        let apps = defaultApps.replacingOccurrences(of: "extract: dev/api", with: "extract: ⟨KW030⟩dev/api")
        #expect(
            markedDiagnostics(spec(apps: apps, vault: vault)) == [
                "KW030 Vault path 'dev/api' is outside the policy prefix 'prod'"
            ])
    }

    @Test func duplicateTargetsAcrossApps() {
        let apps =
            defaultApps + """

                  other:
                    namespace: dev
                    containers:
                      app:
                        image: alpine:3.20
                    secrets:
                      other-api:
                        target: ⟨KW034⟩api
                        extract: dev/other
                """
        #expect(
            markedDiagnostics(spec(apps: apps)) == [
                "KW034 Secret 'api' in namespace 'dev' is written by two ExternalSecrets"
            ])
    }

    @Test func duplicateExternalSecretNamesHaveTheirOwnCode() {
        let apps =
            defaultApps + """

                  other:
                    namespace: dev
                    containers:
                      app:
                        image: alpine:3.20
                    secrets:
                      ⟨KW050⟩api:
                        target: other-api
                        extract: dev/other
                """
        #expect(
            markedDiagnostics(spec(apps: apps)) == ["KW050 ExternalSecret 'api' is defined twice in namespace 'dev'"])
    }

    @Test func containerPatchesNeedTheNameOfADeclaredContainer() {
        let patch = """

                patch:
                  spec:
                    template:
                      spec:
                        containers:
                          - ⟨KW016⟩image: other
                          - name: ⟨KW031⟩sidecar
            """
        #expect(
            markedDiagnostics(spec(apps: defaultApps + patch)) == [
                "KW016 a container patch needs the 'name' of a container the app declares",
                "KW031 patch names container 'sidecar', which the app does not declare",
            ]
        )
    }

    @Test func exposeEnvNeedsKeysAndContainersMustExist() {
        let apps = defaultApps + "\n        expose: ⟨KW032⟩env\n        containers: [⟨KW031⟩ap]"
        #expect(
            markedDiagnostics(spec(apps: apps)) == [
                "KW032 'expose: env' needs the secret's keys, but secret 'api' has none listed",
                "KW031 app 'web' has no container 'ap'",
            ]
        )
    }

    @Test func oneContainerCannotGetTheSameVariableOrMountTwice() {
        let apps = """
              web:
                namespace: dev
                containers:
                  app:
                    image: alpine:3.20
                secrets:
                  a:
                    keys: {TOKEN: dev/a#t}
                    expose: env
                  ⟨KW038⟩b:
                    keys: {TOKEN: dev/b#t}
                    expose: env
                  c:
                    extract: dev/c
                    expose: {mountPath: /etc/s}
                  ⟨KW039⟩d:
                    extract: dev/d
                    expose: {mountPath: /etc/s}
            """
        #expect(
            markedDiagnostics(spec(apps: apps)) == [
                "KW038 container 'app' gets variable 'TOKEN' from secrets 'a' and 'b'",
                "KW039 container 'app' mounts secrets 'c' and 'd' at '/etc/s'",
            ]
        )
    }

    @Test func deletionPolicyNeedsOwner() {
        let apps = defaultApps + "\n        creationPolicy: Merge\n        deletionPolicy: ⟨KW033⟩Delete"
        #expect(
            markedDiagnostics(spec(apps: apps)) == [
                "KW033 deletionPolicy 'Delete' needs creationPolicy 'Owner', found 'Merge'"
            ])
    }

    @Test func patchCannotTouchWhatKeywayOwns() {
        let apps =
            defaultApps + """

                    patch:
                      metadata:
                        ⟨KW035⟩name: other
                      spec:
                        template:
                          spec:
                            containers:
                              - name: app
                                envFrom: [{configMapRef: {name: settings}}, ⟨KW065⟩{secretRef: {name: api}}]
                                resources: {limits: {memory: 128Mi}}
                """
        #expect(
            markedDiagnostics(spec(apps: apps)) == [
                "KW035 patch cannot change 'metadata.name': Keyway derives it from the spec",
                "KW065 patch adds the envFrom of Secret 'api' to 'spec.template.spec.containers.app.envFrom', which the app's secrets already generate",
            ]
        )
    }

    @Test func everyProblemIsReportedInOneRun() {
        let apps = """
              web:
                namespace: dev
                containers:
                  ⟨KW011⟩app:
                    ⟨KW010⟩imag: alpine
                secrets:
                  api:
                    extract: dev/api
                    refreshInterval: ⟨KW022⟩soon
            """
        #expect(
            markedDiagnostics(spec(apps: apps)) == [
                "KW011 missing key 'image' in container 'app'",
                "KW010 unknown key 'imag' in container 'app'",
                "KW022 invalid duration 'soon' for 'refreshInterval'",
            ]
        )
    }
}

@Suite("Policies")
struct PolicyTests {
    func rules(_ kv: String, _ policy: String = "", _ apps: String) throws -> [String] {
        var vault = defaultVault.replacingOccurrences(of: "mount: kv", with: "mount: kv\n    version: \(kv)")
        if !policy.isEmpty { vault += "\n  policy:\n" + policy }
        let environment = try compiled(spec(apps: apps, vault: vault))
        return environment.policies[0].rules.map {
            "\($0.path) \($0.capabilities.map(\.rawValue).joined(separator: ","))"
        }
    }

    /// What a periodic token calls on itself: the store check and the CronJob's renewal.
    static let tokenSelfPaths = ["auth/token/lookup-self read", "auth/token/renew-self update"]

    static let sources = """
          web:
            namespace: dev
            containers:
              app:
                image: alpine:3.20
            secrets:
              api:
                extract: dev/api
              db:
                keys:
                  A: dev/db#a
                  B: dev/db#b
              flags:
                find: {path: dev/flags}
        """

    @Test func exactV2() throws {
        #expect(
            try rules("2", "", Self.sources) == [
                "kv/data/dev/api read", "kv/data/dev/db read", "kv/data/dev/flags/* read",
                "kv/metadata/dev/flags/ list",
                "kv/metadata/dev/flags/* list",
            ] + Self.tokenSelfPaths
        )
    }

    @Test func exactV1() throws {
        #expect(
            try rules("1", "", Self.sources) == [
                "kv/dev/api read", "kv/dev/db read", "kv/dev/flags/ list", "kv/dev/flags/* read,list",
            ] + Self.tokenSelfPaths)
    }

    @Test func prefixV2() throws {
        #expect(
            try rules("2", "    scope: prefix\n    prefix: dev", Self.sources) == [
                "kv/data/dev/* read", "kv/metadata/dev/ list", "kv/metadata/dev/* list",
            ] + Self.tokenSelfPaths
        )
    }
}
