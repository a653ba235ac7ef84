import Foundation
import Testing

@testable import KeywayCore

/// The setups teams already run: apps with secrets only, variables named apart from the Secret's
/// keys, the live selector, a pod Keyway does not harden, a ConfigMap beside the Secret, and
/// Reloader's annotations as its source reads them.
@Suite("Teams' setups")
struct TeamsTests {
    let secretsOnly = """
          atlantis:
            namespace: atlantis
            secrets:
              atlantis-vcs:
                keys: {github_token: atlantis/vcs#token}
        """

    func workload(_ apps: String) throws -> KubernetesObject {
        let environment = try compiled(spec(apps: apps))
        return try #require(environment.objects.first { WorkloadKind(rawValue: $0.kind) != nil })
    }

    @Test func anAppWithSecretsOnlyGetsItsExternalSecretsOnly() throws {
        let environment = try compiled(spec(apps: secretsOnly))
        #expect(
            environment.objects.map(\.kind).filter { $0 != "ClusterSecretStore" && $0 != "CronJob" } == [
                "ExternalSecret"
            ])
        #expect(environment.patches.isEmpty)
        let text = ExplanationRenderer.text(Explanation(environment))
        #expect(text.contains("atlantis-vcs  -> atlantis-vcs  (no consumer in the spec)"))
    }

    @Test func workloadKeysAreRefusedOnAnAppWithSecretsOnly() {
        let apps = """
              atlantis:
                namespace: atlantis
                ⟨KW180⟩reload: auto
                ⟨KW180⟩reloadOptions: {exclude: [x]}
                ⟨KW180⟩patch: {metadata: {labels: {a: b}}}
                secrets:
                  atlantis-vcs:
                    extract: atlantis/vcs
                    ⟨KW180⟩expose: envFrom
                    ⟨KW180⟩containers: [atlantis]
            """
        #expect(
            markedDiagnostics(spec(apps: apps)) == [
                "KW180 'reload' acts on a workload, but app 'atlantis' has none in the spec",
                "KW180 'reloadOptions' acts on a workload, but app 'atlantis' has none in the spec",
                "KW180 'patch' acts on a workload, but app 'atlantis' has none in the spec",
                "KW180 'expose' of secret 'atlantis-vcs' wires it into a pod, but app 'atlantis' has no workload in the spec",
                "KW180 'containers' of secret 'atlantis-vcs' wires it into a pod, but app 'atlantis' has no workload in the spec",
            ])
    }

    /// A key that shapes an owned workload makes the app one: its containers are missing (and the
    /// secret's default exposure reaches none).
    @Test func aKindWithoutContainersStillNeedsContainers() {
        let apps = """
              web:
                namespace: dev
                kind: StatefulSet
                secrets:
                  api: {extract: dev/api}
            """
        #expect(errors(spec(apps: apps)).map { String($0.prefix(5)) } == ["KW011", "KW067"])
    }

    let named = """
          paperless:
            namespace: paperless
            containers:
              paperless: {image: "ghcr.io/paperless-ngx/paperless-ngx:2.15"}
            secrets:
              db:
                keys: {POSTGRES_PASSWORD: paperless/db#password}
                expose: {env: {PAPERLESS_DBPASS: POSTGRES_PASSWORD}}
        """

    @Test func variablesNamedApartFromTheSecretsKeys() throws {
        let object = try workload(named)
        let env = object.document[WorkloadKind.deployment.containers]?.listValue?.first?.mapValue?["env"]
        #expect(
            env == [
                [
                    "name": "PAPERLESS_DBPASS",
                    "valueFrom": ["secretKeyRef": ["name": "db", "key": "POSTGRES_PASSWORD"]],
                ]
            ])
        #expect(object.document[ManifestPath.annotations.appending(ReloaderAnnotations.secretReload)] == "db")
    }

    @Test func aVariableMustReadAKeyTheSecretHas() {
        let apps = named.replacingOccurrences(
            of: "PAPERLESS_DBPASS: POSTGRES_PASSWORD", with: "PAPERLESS_DBPASS: ⟨KW181⟩POSTGRES_PASSWRD")
        #expect(
            markedDiagnostics(spec(apps: apps)) == ["KW181 secret 'db' has no key 'POSTGRES_PASSWRD' for 'expose.env'"])
        let diagnostics = Compiler.compile(bytes(unmarked(spec(apps: apps)).text)).diagnostics
        #expect(diagnostics.first { $0.severity == .error }?.help == "did you mean 'POSTGRES_PASSWORD'?")
    }

    @Test func aUsedSecretsKeysAreCheckedToo() {
        let client = """
              db-client:
                namespace: paperless
                containers:
                  psql: {image: "postgres:17"}
                secrets:
                  db:
                    use: paperless
                    expose: {env: {PGPASSWORD: ⟨KW181⟩PASSWORD}}
            """
        #expect(
            markedDiagnostics(spec(apps: named + "\n" + client)) == [
                "KW181 secret 'db' of app 'paperless' has no key 'PASSWORD' for 'expose.env'"
            ])
    }

    @Test func exposeIsAVolumeOrVariablesNotBoth() {
        let apps = named.replacingOccurrences(
            of: "expose: {env: {PAPERLESS_DBPASS: POSTGRES_PASSWORD}}",
            with: "expose: {mountPath: /etc/db, ⟨KW015⟩env: {PAPERLESS_DBPASS: POSTGRES_PASSWORD}}")
        #expect(markedDiagnostics(spec(apps: apps)) == ["KW015 'expose' takes 'mountPath' or 'env', not both"])
        let empty = named.replacingOccurrences(
            of: "expose: {env: {PAPERLESS_DBPASS: POSTGRES_PASSWORD}}", with: "expose: {}")
        #expect(errors(spec(apps: empty)).map { String($0.prefix(5)) } == ["KW011"])
    }

    @Test func theSelectorIsTheLiveWorkloadsAndThePodTemplatesLabels() throws {
        let apps = named.replacingOccurrences(
            of: "namespace: paperless\n",
            with: "namespace: paperless\n    selector: {app.kubernetes.io/name: paperless}\n")
        let object = try workload(apps)
        #expect(object.document[["spec", "selector", "matchLabels"]] == ["app.kubernetes.io/name": "paperless"])
        #expect(
            object.document[WorkloadKind.deployment.podTemplate + ManifestPath.labels]
                == ["app.kubernetes.io/name": "paperless"])
        let patched =
            apps
            + "\n    patch: {spec: {template: {metadata: {labels: {⟨KW035⟩app.kubernetes.io/name: other, app: paperless}}}}}"
        #expect(
            markedDiagnostics(spec(apps: patched)) == [
                "KW035 patch cannot change 'spec.template.metadata.labels.app.kubernetes.io/name': Keyway derives it from the spec"
            ])
    }

    @Test func aSelectorLabelMayNotContradictTheDefaultLabels() {
        let apps = named.replacingOccurrences(
            of: "namespace: paperless\n", with: "namespace: paperless\n    selector: {team: ⟨KW183⟩docs}\n")
        #expect(
            markedDiagnostics(spec(apps: apps, extra: "defaults: {labels: {team: platform}}")) == [
                "KW183 selector label 'team' is 'docs', but 'defaults.labels' gives it 'platform'"
            ])
    }

    @Test func hardeningNoneLeavesThePodAsWrittenAndWarnsOnce() throws {
        let apps = named.replacingOccurrences(
            of: "namespace: paperless\n", with: "namespace: paperless\n    hardening: none\n")
        let object = try workload(apps)
        let pod = try #require(object.document[WorkloadKind.deployment.podSpec]?.mapValue)
        #expect(pod["securityContext"] == nil && pod["automountServiceAccountToken"] == nil)
        #expect(pod["containers"]?.listValue?.first?.mapValue?["securityContext"] == nil)
        let marked = apps.replacingOccurrences(of: "hardening: none", with: "hardening: ⟨KW182⟩none")
        #expect(
            markedDiagnostics(spec(apps: marked), severity: .warning, only: ["KW182"]) == [
                "KW182 app 'paperless' runs its pods as its containers and patch give them, without Keyway's hardening"
            ])
    }

    /// KW182's help names exactly what `restricted` adds: each setting the lowering writes into the
    /// pod and its container that `hardening: none` leaves out, with and without a named service
    /// account, read from the written objects (so a hardened setting added to one and not the other fails).
    @Test func hardeningNoneNamesEverySettingTheLoweringHardens() throws {
        for account in ["", "    serviceAccountName: paperless\n"] {
            let restricted = named.replacingOccurrences(
                of: "namespace: paperless\n", with: "namespace: paperless\n" + account)
            let none = restricted.replacingOccurrences(
                of: "namespace: paperless\n", with: "namespace: paperless\n    hardening: none\n")
            var hardened = try #require(try workload(restricted).document[WorkloadKind.deployment.podSpec]?.mapValue)
            var plain = try #require(try workload(none).document[WorkloadKind.deployment.podSpec]?.mapValue)
            let hardenedContainer = try #require(hardened["containers"]?.listValue?.first?.mapValue)
            let plainContainer = try #require(plain["containers"]?.listValue?.first?.mapValue)
            hardened["containers"] = nil
            plain["containers"] = nil
            let pod = Self.settings(hardened, beyond: plain)
            let container = Self.settings(hardenedContainer, beyond: plainContainer)
            #expect(pod.contains { $0.hasPrefix("'securityContext.") } && container.count >= 2, "\(pod) \(container)")
            #expect(pod.contains("'automountServiceAccountToken: false'") == account.isEmpty)
            let help = Compiler.compile(bytes(spec(apps: none))).diagnostics.first { $0.code == .hardeningNone }?.help
            #expect(
                help == "'hardening: restricted' would add "
                    + (pod + ["and in each container " + container.joined(separator: ", ")]).joined(separator: ", ")
                    + "; keep it and relax in 'patch' only what the image needs")
        }
    }

    /// The scalar and list settings of `map` (as `'a.b: value'`) that `other` does not have.
    static func settings(_ map: ManifestMap, beyond other: ManifestMap?, under prefix: String = "") -> [String] {
        map.entries.flatMap { entry -> [String] in
            if case .map(let child) = entry.value {
                return settings(child, beyond: other?[entry.key]?.mapValue, under: prefix + entry.key + ".")
            }
            return other?[entry.key] == entry.value ? [] : ["'\(prefix + entry.key): \(text(entry.value))'"]
        }
    }

    /// A written scalar or list of scalars as a message writes it (`false`, `[ALL]`).
    static func text(_ value: ManifestValue) -> String {
        switch value {
        case .string(let text): text
        case .int(let number): "\(number)"
        case .bool(let flag): "\(flag)"
        case .list(let items): "[" + items.map(text).joined(separator: ", ") + "]"
        case .map: "{…}"
        }
    }

    /// An app `web` with secret `api`, whose patch gives container `app` the field `line`.
    func patchedWeb(_ line: String) -> String {
        """
          web:
            namespace: dev
            containers:
              app: {image: "alpine:3.20"}
            secrets:
              api: {extract: dev/api}
            patch: {spec: {template: {spec: {containers: [{name: app, \(line)}]}}}}
        """
    }

    @Test func aConfigMapEnvFromJoinsTheSecretsAndTheAnnotationStaysTheSecrets() throws {
        let apps = patchedWeb("envFrom: [{configMapRef: {name: settings}}]")
        let object = try workload(apps)
        let container = object.document[WorkloadKind.deployment.containers]?.listValue?.first?.mapValue
        #expect(container?["envFrom"] == [["secretRef": ["name": "api"]], ["configMapRef": ["name": "settings"]]])
        #expect(object.document[ManifestPath.annotations.appending(ReloaderAnnotations.secretReload)] == "api")
    }

    @Test func aSecretAPatchWiresInIsNamedInTheAnnotation() throws {
        let apps = patchedWeb("env: [{name: DB, valueFrom: {secretKeyRef: {name: operator-db, key: uri}}}]")
        let object = try workload(apps)
        #expect(
            object.document[ManifestPath.annotations.appending(ReloaderAnnotations.secretReload)] == "api,operator-db")
    }

    @Test func watchAllWritesReloadersOwnAutoAnnotation() throws {
        let apps = named.replacingOccurrences(
            of: "namespace: paperless\n",
            with: "namespace: paperless\n    reload: auto\n    reloadOptions: {watch: all}\n")
        let annotations = try workload(apps).document[.annotations]
        #expect(annotations == [ReloaderAnnotations.auto: "true"])
        let secrets = named.replacingOccurrences(
            of: "namespace: paperless\n",
            with: "namespace: paperless\n    reload: auto\n    reloadOptions: {watch: secrets}\n")
        #expect(try workload(secrets).document[.annotations] == [ReloaderAnnotations.secretAuto: "true"])
        let conflict = named.replacingOccurrences(
            of: "namespace: paperless\n", with: "namespace: paperless\n    reloadOptions: {⟨KW066⟩watch: all}\n")
        #expect(
            markedDiagnostics(spec(apps: conflict)) == [
                "KW066 reloadOptions 'watch' chooses what 'reload: auto' watches, and this app's reload is 'named'"
            ])
    }
}

/// Reloader's decision (`ShouldReload`, ported in `ReloaderAnnotations`) over what Keyway writes.
@Suite("Reloader")
struct ReloaderTests {
    @Test func theWorkloadsAnnotationsComeFirstThenThePodTemplates() {
        let named = [ReloaderAnnotations.secretReload: "db, api"]
        #expect(ReloaderAnnotations.shouldReload(.secret, named: "api", workload: named, podTemplate: [:]))
        #expect(!ReloaderAnnotations.shouldReload(.secret, named: "other", workload: named, podTemplate: [:]))
        #expect(ReloaderAnnotations.shouldReload(.secret, named: "api", workload: [:], podTemplate: named))
        // One of them on the workload: the pod template's are not read.
        let auto = [ReloaderAnnotations.secretAuto: "true"]
        #expect(
            !ReloaderAnnotations.shouldReload(
                .secret, named: "x", workload: [ReloaderAnnotations.search: "false"], podTemplate: auto))
        #expect(ReloaderAnnotations.shouldReload(.secret, named: "x", workload: [:], podTemplate: auto))
        #expect(!ReloaderAnnotations.shouldReload(.configMap, named: "x", workload: auto, podTemplate: [:]))
        #expect(
            ReloaderAnnotations.shouldReload(
                .configMap, named: "x", workload: [ReloaderAnnotations.auto: "T"], podTemplate: [:]))
        #expect(
            !ReloaderAnnotations.shouldReload(
                .secret, named: "x", workload: [ReloaderAnnotations.auto: "yes"], podTemplate: [:]))
    }

    @Test func excludesAndSearch() {
        let workload = [ReloaderAnnotations.secretAuto: "true", ReloaderAnnotations.secretExclude: "a, b"]
        #expect(!ReloaderAnnotations.shouldReload(.secret, named: "b", workload: workload, podTemplate: [:]))
        #expect(ReloaderAnnotations.shouldReload(.secret, named: "c", workload: workload, podTemplate: [:]))
        // Excludes are read from the workload only.
        #expect(ReloaderAnnotations.shouldReload(.secret, named: "b", workload: [:], podTemplate: workload))
        let search = [ReloaderAnnotations.search: "true"]
        #expect(
            ReloaderAnnotations.shouldReload(
                .secret, named: "s", workload: search, podTemplate: [:],
                resourceAnnotations: [ReloaderAnnotations.match: "true"]))
        #expect(!ReloaderAnnotations.shouldReload(.secret, named: "s", workload: search, podTemplate: [:]))
        #expect(
            !ReloaderAnnotations.shouldReload(
                .secret, named: "s", workload: search, podTemplate: [:],
                resourceAnnotations: [ReloaderAnnotations.match: "true", ReloaderAnnotations.ignore: "true"]))
        #expect(ReloaderAnnotations.place(of: ReloaderAnnotations.pausePeriod) == .workloadOnly)
        #expect(ReloaderAnnotations.place(of: ReloaderAnnotations.secretReload) == .workloadOrPodTemplate)
    }

    /// Every example spec and real-shapes fixture: each owned workload with a named annotation restarts on exactly the
    /// Secrets of its namespace that its pod reads, as Reloader decides it from the workload and pod template.
    @Test func everyNamedAnnotationRestartsOnExactlyTheSecretsThePodReads() throws {
        let specs =
            try files(under: "specs", endingWith: ".yaml").filter { !$0.hasPrefix("specs/invalid/") }
            + files(under: "Tests/fixtures/real-shapes", endingWith: ".yaml").filter { !$0.contains("/expected/") }
        var checked = 0
        var onPodTemplate = 0
        for path in specs {
            let text = String(
                decoding: try Data(contentsOf: repositoryRoot.appendingPathComponent(path)), as: UTF8.self)
            let (model, _) = Compiler.model(bytes(text))
            let environment = try compiled(text)
            for app in model?.apps ?? [] where app.reload == .named {
                guard case .owned = app.workload,
                    let object = environment.objects.first(where: {
                        $0.name == app.name && $0.namespace == app.namespace && WorkloadKind(rawValue: $0.kind) != nil
                    })
                else { continue }
                let annotations = Self.strings(object.document[.annotations])
                let podTemplate = Self.strings(object.document[app.kind.podTemplate + .annotations])
                if !podTemplate.isEmpty { onPodTemplate += 1 }
                let namespaceSecrets = Set(
                    model?.apps.filter { $0.namespace == app.namespace }.flatMap { $0.secrets.map(\.target) } ?? [])
                let read = Set(app.wiring.secretsRead)
                for secret in namespaceSecrets.union(read) {
                    let reloads = ReloaderAnnotations.shouldReload(
                        .secret, named: secret, workload: annotations, podTemplate: podTemplate)
                    #expect(reloads == read.contains(secret), "\(path): \(app.name) and Secret \(secret)")
                }
                checked += 1
            }
        }
        #expect(checked > 20)
        #expect(onPodTemplate > 0, "no example writes the annotation on the pod template ('place: podTemplate')")
    }

    /// Annotations as Reloader reads them: name to text.
    static func strings(_ value: ManifestValue?) -> [String: String] {
        var map: [String: String] = [:]
        for entry in value?.mapValue?.entries ?? [] {
            if case .string(let text) = entry.value { map[entry.key] = text }
        }
        return map
    }
}
