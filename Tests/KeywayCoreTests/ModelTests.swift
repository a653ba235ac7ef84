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
        let text = spec(apps: defaultApps + "\n        refreshIntervl: 1m")
        let result = Compiler.compile(bytes(text))
        let error = result.diagnostics.first { $0.code == .unknownKey }
        #expect(error?.message == "unknown key 'refreshIntervl' in secret 'api'")
        #expect(error?.help == "did you mean 'refreshInterval'?")
        #expect(error?.range.start == SourceLocation(line: 23, column: 9))
        #expect(result.environment == nil)
    }

    @Test func wrongTypeAndImpossibleValueAreAllReported() {
        let apps = """
              web:
                namespace: dev
                replicas: many
                reload: sometimes
                containers:
                  app:
                    image: [alpine]
            """
        #expect(
            errors(spec(apps: apps)) == [
                "17:15 expected a whole number for 'replicas', found a string",
                "18:13 invalid reload 'sometimes'",
                "21:16 expected a string for 'image', found a list",
            ]
        )
    }

    @Test func unquotedBooleanWhereAStringBelongs() {
        let apps = """
              web:
                namespace: dev
                containers:
                  app:
                    image: no
            """
        #expect(errors(spec(apps: apps)) == ["19:16 expected a string for 'image', found a boolean"])
    }

    @Test func yamlFeaturesAndShapes() {
        #expect(errors("") == ["1:1 spec is empty"])
        #expect(errors("- a\n") == ["1:1 a spec's top level must be a mapping, found a list"])
        #expect(errors("a: &x 1\nb: *x\n") == ["1:4 YAML anchors are not supported in a spec"])
        #expect(errors("a: 1\n---\nb: 2\n") == ["2:1 spec holds more than one YAML document"])
        #expect(errors("a: !!str 1\n") == ["1:4 YAML tags are not supported in a spec"])
        #expect(errors("a: [1\n").first?.hasPrefix("2:1 invalid YAML") == true)
        #expect(errors("<<: {a: 1}\n") == ["1:1 YAML merge keys ('<<') are not supported in a spec"])
        #expect(errors("a: 1\na: 2\n").contains("2:1 duplicate key 'a'"))
        #expect(errors(String(repeating: "[", count: 100)).first == "1:65 spec nests deeper than 64 levels")
        #expect(Compiler.compile([0x61, 0x3A, 0x20, 0xFF, 0x0A]).diagnostics.first?.message.hasPrefix("spec is not valid UTF-8 text") == true)
    }

    @Test func bomAndCRLFAreRead() throws {
        let text = "\u{FEFF}" + spec().replacingOccurrences(of: "\n", with: "\r\n")
        #expect(Compiler.compile(bytes(text)).environment != nil)
    }

    @Test func namesThatReachHCLOrShellAreRefused() {
        for bad in ["dev/\"x", "dev/$(id)", "dev/`id`", "dev/a;b", "dev/a b", "dev/../x", "/dev/x", "dev//x", "dev/*"] {
            let apps = defaultApps.replacingOccurrences(of: "extract: dev/api", with: "extract: '\(bad)'")
            let found = errors(spec(apps: apps))
            #expect(found.count == 1 && found[0].hasPrefix("22:18 invalid Vault path"), "\(bad): \(found)")
        }
        let vault = defaultVault.replacingOccurrences(of: "mount: kv", with: "mount: 'kv\"; rm'")
        #expect(errors(spec(vault: vault)).first?.contains("invalid Vault path") == true)
        let policy = defaultVault + "\n  policy:\n    name: 'a$(id)'"
        #expect(errors(spec(vault: policy)).first?.contains("policy name 'a$(id)' has characters outside the safe set") == true)
    }

    @Test func durationsURLsAndKubernetesNames() {
        #expect(errors(spec(vault: defaultVault.replacingOccurrences(of: "24h", with: "1 day"))).first?.contains("invalid duration") == true)
        #expect(errors(spec(vault: defaultVault.replacingOccurrences(of: "24h", with: "5m"))).first?.contains("too short") == true)
        #expect(
            errors(spec(vault: defaultVault.replacingOccurrences(of: "https://vault.example.com", with: "vault:8200"))).first?.contains("invalid Vault server")
                == true)
        #expect(
            errors(spec(apps: defaultApps.replacingOccurrences(of: "namespace: dev", with: "namespace: Dev_1"))).first?.contains("not a valid Kubernetes name")
                == true)
    }

    @Test func prefixScopeRefusesPathsOutside() {
        let vault = defaultVault + "\n  policy:\n    scope: prefix\n    prefix: prod"
        #expect(errors(spec(vault: vault)) == ["25:18 Vault path 'dev/api' is outside the policy prefix 'prod'"])
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
                        target: api
                        extract: dev/other
                """
        #expect(errors(spec(apps: apps)) == ["30:17 Secret 'api' in namespace 'dev' is written by two ExternalSecrets"])
    }

    @Test func exposeEnvNeedsKeysAndContainersMustExist() {
        let apps = defaultApps + "\n        expose: env\n        containers: [ap]"
        #expect(
            errors(spec(apps: apps)) == [
                "23:17 'expose: env' needs the secret's keys, but secret 'api' has none listed",
                "24:22 app 'web' has no container 'ap'",
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
                  b:
                    keys: {TOKEN: dev/b#t}
                    expose: env
                  c:
                    extract: dev/c
                    expose: {mountPath: /etc/s}
                  d:
                    extract: dev/d
                    expose: {mountPath: /etc/s}
            """
        #expect(
            errors(spec(apps: apps)) == [
                "24:7 container 'app' gets variable 'TOKEN' from secrets 'a' and 'b'",
                "30:7 container 'app' mounts secrets 'c' and 'd' at '/etc/s'",
            ]
        )
    }

    @Test func deletionPolicyNeedsOwner() {
        let apps = defaultApps + "\n        creationPolicy: Merge\n        deletionPolicy: Delete"
        #expect(errors(spec(apps: apps)) == ["24:25 deletionPolicy 'Delete' needs creationPolicy 'Owner', found 'Merge'"])
    }

    @Test func patchCannotTouchWhatKeywayOwns() {
        let apps =
            defaultApps + """

                    patch:
                      metadata:
                        name: other
                      spec:
                        template:
                          spec:
                            containers:
                              - name: app
                                envFrom: []
                                resources: {limits: {memory: 128Mi}}
                """
        let found = errors(spec(apps: apps))
        #expect(found.count == 2)
        #expect(found.first?.contains("patch cannot change 'metadata.name'") == true)
        #expect(found.last?.contains("patch cannot change 'envFrom' of container 'app'") == true)
    }

    @Test func everyProblemIsReportedInOneRun() {
        let apps = """
              web:
                namespace: dev
                containers:
                  app:
                    imag: alpine
                secrets:
                  api:
                    extract: dev/api
                    refreshInterval: soon
            """
        #expect(errors(spec(apps: apps)).count == 3)
    }
}

@Suite("Policies")
struct PolicyTests {
    func rules(_ kv: String, _ policy: String = "", _ apps: String) throws -> [String] {
        var vault = defaultVault.replacingOccurrences(of: "mount: kv", with: "mount: kv\n    version: \(kv)")
        if !policy.isEmpty { vault += "\n  policy:\n" + policy }
        let environment = try compiled(spec(apps: apps, vault: vault))
        return environment.policies[0].rules.map { "\($0.path) \($0.capabilities.map(\.rawValue).joined(separator: ","))" }
    }

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
                "kv/data/dev/api read", "kv/data/dev/db read", "kv/data/dev/flags/* read", "kv/metadata/dev/flags/ list",
                "kv/metadata/dev/flags/* list",
            ]
        )
    }

    @Test func exactV1() throws {
        #expect(try rules("1", "", Self.sources) == ["kv/dev/api read", "kv/dev/db read", "kv/dev/flags/ list", "kv/dev/flags/* read,list"])
    }

    @Test func prefixV2() throws {
        #expect(
            try rules("2", "    scope: prefix\n    prefix: dev", Self.sources) == [
                "kv/data/dev/* read", "kv/metadata/dev/ list", "kv/metadata/dev/* list",
            ]
        )
    }
}
