import Testing

@testable import KeywayCore

/// Patches and the hardened pod (issue 19): every relaxation is warned at its line, a container a
/// patch adds is hardened and checked as a declared one, `defaults.patch` adding one is warned.
@Suite("Patches and the hardened pod")
struct HardeningTests {
    /// A spec with `defaults` (indented as under the top level) and the app `web`'s pod-spec patch
    /// (indented as under `spec.template.spec`), plus a CronJob app `job` without a patch.
    static func spec(defaults: String = "", pod: String) -> String {
        """
        apiVersion: keyway.dev/v1alpha1
        kind: Environment
        metadata:
          name: test
        vault:
          server: https://vault.example.com
          kv: {mount: kv}
          auth:
            kubernetes:
              role: eso
              serviceAccountRef: {name: external-secrets, namespace: external-secrets}
        \(defaults)
        apps:
          web:
            namespace: dev
            containers:
              app: {image: "alpine:3.20"}
            secrets:
              api: {extract: dev/api}
            patch:
              spec:
                template:
                  spec:
        \(pod)
          job:
            namespace: dev
            kind: CronJob
            schedule: "0 * * * *"
            containers:
              app: {image: "alpine:3.20"}
        """
    }

    @Test func everyRelaxationIsWarnedAtItsLine() {
        let pod = """
                        hostPID: ⟨KW161⟩true
                        hostNetwork: ⟨KW161⟩true
                        hostIPC: ⟨KW161⟩true
                        securityContext: {runAsUser: ⟨KW161⟩0, runAsNonRoot: ⟨KW161⟩false, \
            seccompProfile: {type: ⟨KW161⟩Unconfined}}
                        volumes:
                          - name: host
                            ⟨KW161⟩hostPath: {path: /}
                        containers:
                          - name: app
                            securityContext:
                              privileged: ⟨KW161⟩true
                              allowPrivilegeEscalation: ⟨KW161⟩true
                              runAsUser: ⟨KW161⟩0
                              capabilities: {add: ⟨KW161⟩[NET_ADMIN], drop: ⟨KW161⟩[]}
            """
        let found = markedDiagnostics(Self.spec(pod: pod), severity: .warning)
        #expect(
            found.map { $0.replacingOccurrences(of: "patch relaxes the hardened pod: ", with: "") }
                == [
                    "'hostPID: true' shares the node's namespace with the pod",
                    "'hostNetwork: true' shares the node's namespace with the pod",
                    "'hostIPC: true' shares the node's namespace with the pod",
                    "'runAsUser: 0' runs as root",
                    "'runAsNonRoot: false' lets the container run as root",
                    "'seccompProfile.type: Unconfined' turns the seccomp filter off",
                    "a 'hostPath' volume gives the pod the node's files",
                    "'privileged: true' gives the container the node's devices and every capability",
                    "'allowPrivilegeEscalation: true' lets a process gain privileges (setuid)",
                    "'runAsUser: 0' runs as root",
                    "'capabilities.add' gives the container capabilities back after the drop of ALL",
                    "'capabilities.drop' without ALL replaces the drop of ALL: the runtime's default capabilities return",
                ].map { "KW161 " + $0 })
        #expect(found.allSatisfy { $0.contains(" patch relaxes the hardened pod: ") })
    }

    @Test(arguments: [
        "hostPID: false", "securityContext: {runAsUser: 1000, runAsNonRoot: true}",
        "containers: [{name: app, securityContext: {capabilities: {drop: [ALL, NET_RAW]}, privileged: false}}]",
        "securityContext: {seccompProfile: {type: RuntimeDefault}}",
    ])
    func whatKeepsTheHardeningIsNotWarned(line: String) {
        let pod = "                " + line
        #expect(errors(Self.spec(pod: pod)).isEmpty)
        #expect(!warnings(Self.spec(pod: pod)).contains { $0.hasPrefix("KW161") })
    }

    @Test func aContainerAPatchAddsIsHardenedUnderItsOwnSettings() throws {
        let pod = """
                        initContainers:
                          - name: migrate
                            image: ghcr.io/example/migrate:1.0
                            command: [/migrate]
                            securityContext: {runAsUser: 1000}
            """
        let environment = try compiled(Self.spec(pod: pod))
        let web = try #require(environment.objects.first { $0.kind == "Deployment" })
        let rendered = YAMLRenderer.render(web.document)
        #expect(
            rendered.contains(
                """
                      initContainers:
                        - name: migrate
                          image: ghcr.io/example/migrate:1.0
                          command:
                            - /migrate
                          securityContext:
                            allowPrivilegeEscalation: false
                            capabilities:
                              drop:
                                - ALL
                            runAsUser: 1000

                """))
    }

    @Test func aContainerAPatchAddsIsCheckedAsADeclaredOne() {
        let pod = """
                        initContainers:
                          - name: ⟨KW020⟩Bad_Name
                            image: ⟨KW014⟩"bad image"
                            command: [⟨KW012⟩1]
            """
        #expect(
            markedDiagnostics(Self.spec(pod: pod)) == [
                "KW020 container name 'Bad_Name' is not a valid Kubernetes name",
                "KW014 image 'bad image' contains whitespace",
                "KW012 expected a string for an item of 'command', found an integer",
            ])
    }

    @Test func defaultsPatchAddingAContainerIsWarnedOnceAndReachesEveryKind() throws {
        let defaults = """
            defaults:
              patch:
                spec:
                  template:
                    spec:
                      hostNetwork: ⟨KW161⟩true
                      initContainers:
                        - ⟨KW162⟩name: sidecar
                          image: busybox:1.36
            """
        let marked = Self.spec(defaults: defaults, pod: "                hostIPC: false")
        let text = unmarked(marked).text
        #expect(
            markedDiagnostics(marked, severity: .warning) == [
                "KW161 patch relaxes the hardened pod: 'hostNetwork: true' shares the node's namespace with the pod",
                "KW162 'defaults.patch' adds container 'sidecar' to every workload",
            ])
        let environment = try compiled(text)
        for kind in ["Deployment", "CronJob"] {
            let object = try #require(environment.objects.first { $0.kind == kind })
            let rendered = YAMLRenderer.render(object.document)
            #expect(rendered.contains("- name: sidecar\n"), "\(kind)")
            #expect(rendered.components(separatedBy: "allowPrivilegeEscalation: false").count == 3, "\(kind)")
        }
    }

    @Test func relaxationsAreFoundInEachKindsPodSpec() {
        let hostPID = { (kind: WorkloadKind) in kind.podSpec.appending("hostPID") }
        #expect(PodHardening.relaxation(at: hostPID(.deployment), value: true, kind: .deployment) != nil)
        #expect(PodHardening.relaxation(at: hostPID(.cronJob), value: true, kind: .cronJob) != nil)
        #expect(PodHardening.relaxation(at: ["spec", "hostPID"], value: true, kind: .deployment) == nil)
        #expect(PodHardening.relaxation(at: hostPID(.cronJob), value: true, kind: .deployment) == nil)
    }

    /// `hardening: none` (another item of round three): nothing to relax, nothing warned, and the
    /// containers a patch adds get no security context either.
    @Test func anUnhardenedWorkloadWarnsNoRelaxation() throws {
        let pod = """
                        hostPID: true
                        initContainers:
                          - name: migrate
                            image: ghcr.io/example/migrate:1.0
            """
        let text = Self.spec(pod: pod).replacingOccurrences(
            of: "    namespace: dev\n    containers:\n      app: {image: \"alpine:3.20\"}\n    secrets:",
            with:
                "    namespace: dev\n    hardening: none\n    containers:\n      app: {image: \"alpine:3.20\"}\n    secrets:"
        )
        #expect(text.contains("hardening: none"))
        #expect(!warnings(text).contains { $0.hasPrefix("KW161") })
        let web = try #require(try compiled(text).objects.first { $0.kind == "Deployment" })
        #expect(!YAMLRenderer.render(web.document).contains("securityContext"))
    }
}

/// How Vault's token store records what a token is created with, as the rotation checks it.
@Suite("Vault token store")
struct VaultTokenStoreTests {
    @Test func displayNamesAndPoliciesAsVaultRecordsThem() {
        #expect(VaultTokenStore.recordedDisplayName("keyway-dev") == "token-keyway-dev")
        #expect(VaultTokenStore.recordedDisplayName("keyway_dev.x-") == "token-keyway-dev-x")
        // Go's strings.TrimSuffix drops one "-" only.
        #expect(VaultTokenStore.recordedDisplayName("é") == "token-")
        #expect(VaultTokenStore.recordedPolicies(["ESO-Prod"]) == "[eso-prod]")
        #expect(VaultTokenStore.recordedPolicies(["b", " a", "B"]) == "[a b]")
    }
}
