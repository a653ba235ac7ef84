import Foundation
import Testing

@testable import KeywayCore

/// The imported spec's compiled objects and patches are the original's, each shown where they differ.
func expectSameObjects(_ imported: CompiledEnvironment, _ original: CompiledEnvironment) {
    let expected = objectsByKey(original)
    let actual = objectsByKey(imported)
    #expect(Set(actual.keys) == Set(expected.keys))
    for (key, document) in expected {
        #expect(
            actual[key] == document,
            "\(key) differs:\n\(YAMLRenderer.render(actual[key] ?? [:]))\n---\n\(YAMLRenderer.render(document))")
    }
}

/// Round three's workload keys (#21) read back by `import` (#23): each spec of the real-shapes
/// corpus (written after public setups) compiles, its output is imported, and the imported spec
/// compiles to the same objects.
@Suite("Import of workload shapes")
struct ImportWorkloadShapesTests {
    static let realShapes =
        ((try? files(under: "Tests/fixtures/real-shapes", endingWith: ".yaml").filter { !$0.contains("/expected/") })
            ?? [])

    /// A compiled spec's output files as import reads them: manifests, patches, policies, script.
    static func outputs(_ environment: CompiledEnvironment) -> [ImportFile] {
        OutputLayout.files(environment).filter { file in
            file.path.hasSuffix(".sh") || file.path.hasSuffix(".hcl") && !file.path.hasSuffix("keyway-plan.hcl")
                || file.path.hasSuffix(".yaml")
                    && (file.path.hasPrefix("manifests/") || file.path.hasPrefix("patches/"))
        }.map { ImportFile(name: $0.path, text: Array($0.contents.utf8)) }
    }

    @Test(arguments: realShapes) func realShapesRoundTrip(_ path: String) throws {
        let original = try compiled(
            String(decoding: try Data(contentsOf: repositoryRoot.appendingPathComponent(path)), as: UTF8.self))
        let inputs = Self.outputs(original)
        let (result, imported) = try importAndCompile(inputs)
        let lost = described(result, inputs).filter { message in
            ["KW112", "KW113", "KW114", "KW115", "KW117", "KW131"].contains { message.contains($0) }
        }
        #expect(lost.isEmpty, "\(lost)")
        expectSameObjects(imported, original)
    }
}

extension ImportWorkloadShapesTests {
    /// An ExternalSecret `db` in `paperless` with two keys, the Secret named as it.
    static let keyed = """
        apiVersion: external-secrets.io/v1beta1
        kind: ExternalSecret
        metadata: {name: db, namespace: paperless}
        spec:
          secretStoreRef: {name: vault-backend, kind: ClusterSecretStore}
          data:
            - {secretKey: POSTGRES_PASSWORD, remoteRef: {key: paperless/db, property: password}}
            - {secretKey: POSTGRES_USER, remoteRef: {key: paperless/db, property: username}}

        """

    /// A Deployment `web` in `paperless`: `annotations` on itself, `podAnnotations` on its pod
    /// template, `container` lines in its container (indented 10), `hardened` Keyway's settings.
    static func web(
        annotations: String = "{}", podAnnotations: String? = nil, container: String, hardened: Bool = true
    ) -> String {
        let pod =
            hardened
            ? "automountServiceAccountToken: false\n      securityContext: {seccompProfile: {type: RuntimeDefault}}\n      "
            : ""
        let context =
            hardened
            ? "securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}\n          " : ""
        return """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: paperless, annotations: \(annotations)}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}\(podAnnotations.map { ", annotations: \($0)" } ?? "")}
                spec:
                  \(pod)containers:
                    - name: web
                      image: nginx
                      \(context)\(container)

            """
    }

    static let named = "{secret.reloader.stakater.com/reload: db}"

    /// Imports the token store, `keyed` and `workload`; the result, its messages, the spec and
    /// the compiled Deployment `web`.
    static func importWeb(_ workload: String) throws -> (ImportResult, [String], String?, ManifestMap?) {
        let (result, inputs) = importTexts([
            ("store.yaml", ImportBugTests.tokenStore), ("es.yaml", keyed), ("web.yaml", workload),
        ])
        let messages = described(result, inputs)
        guard let spec = result.spec else { return (result, messages, nil, nil) }
        return (result, messages, spec, objectsByKey(try compiled(spec))["Deployment/paperless/web"])
    }

    /// Env variables named otherwise than the Secret's keys come back as `expose: {env: {VAR: KEY}}`
    /// (they were left in the patch, warned KW113); a key the Secret does not have stays in the patch.
    @Test func envNamesOtherThanTheKeysBecomeExposeEnv() throws {
        let env = """
            env:
                        - {name: PAPERLESS_DBPASS, valueFrom: {secretKeyRef: {name: db, key: POSTGRES_PASSWORD}}}
                        - {name: PAPERLESS_DBUSER, valueFrom: {secretKeyRef: {name: db, key: POSTGRES_USER}}}
            """
        let (_, messages, spec, web) = try Self.importWeb(Self.web(annotations: Self.named, container: env))
        #expect(
            spec?.contains(
                "        expose:\n          env:\n            PAPERLESS_DBPASS: POSTGRES_PASSWORD\n            PAPERLESS_DBUSER: POSTGRES_USER\n"
            ) == true, "\(spec ?? "")")
        #expect(spec?.contains("patch:") == false)
        #expect(!messages.contains { $0.contains("KW113") || $0.contains("KW115") }, "\(messages)")
        #expect(
            web?[["spec", "template", "spec", "containers"]]?.listValue?.first?.mapValue?["env"]
                == [
                    [
                        "name": "PAPERLESS_DBPASS",
                        "valueFrom": ["secretKeyRef": ["name": "db", "key": "POSTGRES_PASSWORD"]],
                    ],
                    [
                        "name": "PAPERLESS_DBUSER",
                        "valueFrom": ["secretKeyRef": ["name": "db", "key": "POSTGRES_USER"]],
                    ],
                ])
        let unknownKey = env.replacingOccurrences(of: "key: POSTGRES_USER", with: "key: POSTGRES_DB")
        let (_, _, kept, _) = try Self.importWeb(Self.web(annotations: Self.named, container: unknownKey))
        #expect(kept?.contains("expose:\n          env:") == false)
        #expect(kept?.contains("name: PAPERLESS_DBUSER") == true, "\(kept ?? "")")
    }

    /// A ConfigMap's envFrom beside the Secret's stays in the patch (the whole envFrom was dropped
    /// when Keyway generated one); the compiled container reads both, with no warning.
    @Test func aConfigMapEnvFromIsKeptBesideTheGeneratedOne() throws {
        let envFrom = "envFrom: [{configMapRef: {name: settings}}, {secretRef: {name: db}}]"
        let (_, messages, spec, web) = try Self.importWeb(Self.web(annotations: Self.named, container: envFrom))
        #expect(
            spec?.contains("envFrom:\n                  - configMapRef:\n                      name: settings\n")
                == true)
        #expect(
            web?[["spec", "template", "spec", "containers"]]?.listValue?.first?.mapValue?["envFrom"]
                == [["secretRef": ["name": "db"]], ["configMapRef": ["name": "settings"]]])
        #expect(!messages.contains { $0.contains("KW112") || $0.contains("KW113") }, "\(messages)")
    }

    /// A pod without Keyway's hardened settings is imported as `hardening: none`, its own settings
    /// kept; the warning lists what `restricted` would add (PodHardening's values), nothing more.
    @Test func anUnhardenedPodIsImportedAsItIs() throws {
        let envFrom = "securityContext: {runAsUser: 0}\n          envFrom: [{secretRef: {name: db}}]"
        let (_, messages, spec, web) = try Self.importWeb(
            Self.web(annotations: Self.named, container: envFrom, hardened: false))
        #expect(spec?.contains("    hardening: none\n") == true, "\(spec ?? "")")
        let container = web?[["spec", "template", "spec", "containers"]]?.listValue?.first?.mapValue
        #expect(container?["securityContext"] == ["runAsUser": 0])
        #expect(web?[["spec", "template", "spec", "securityContext"]] == nil)
        #expect(web?[["spec", "template", "spec", "automountServiceAccountToken"]] == nil)
        #expect(
            messages.contains(
                "web.yaml KW135 3:18 Deployment 'web' does not run with Keyway's hardened pod: imported with 'hardening: none'; 'hardening: restricted' would add 'automountServiceAccountToken: false', 'securityContext.seccompProfile.type: RuntimeDefault', 'securityContext.allowPrivilegeEscalation: false' in container 'web', 'securityContext.capabilities.drop: [ALL]' in container 'web'"
            ), "\(messages)")
        // Hardened but for the seccomp profile: only that is listed, and the pod stays as it was.
        let partly = Self.web(annotations: Self.named, container: "envFrom: [{secretRef: {name: db}}]")
            .replacingOccurrences(
                of: "securityContext: {seccompProfile: {type: RuntimeDefault}}", with: "hostIPC: false")
        let (_, partlyMessages, partlySpec, partlyWeb) = try Self.importWeb(partly)
        #expect(partlySpec?.contains("hardening: none") == true)
        #expect(partlyWeb?[["spec", "template", "spec", "automountServiceAccountToken"]] == false)
        let warning = try #require(partlyMessages.first { $0.contains("KW135") })
        #expect(warning.hasSuffix("would add 'securityContext.seccompProfile.type: RuntimeDefault'"), "\(warning)")
        // An init container without the settings: restricted would harden it too, so the pod stays as it was.
        let initContainer = Self.web(annotations: Self.named, container: "envFrom: [{secretRef: {name: db}}]")
            .replacingOccurrences(
                of: "      containers:",
                with: "      initContainers: [{name: chown, image: busybox}]\n      containers:")
        let (_, initMessages, initSpec, initWeb) = try Self.importWeb(initContainer)
        #expect(initSpec?.contains("hardening: none") == true, "\(initSpec ?? "")")
        #expect(initWeb?[["spec", "template", "spec", "initContainers"]] == [["name": "chown", "image": "busybox"]])
        let initWarning = try #require(initMessages.first { $0.contains("KW135") })
        #expect(
            initWarning.hasSuffix("'securityContext.capabilities.drop: [ALL]' in container 'chown'"), "\(initWarning)")
        // Hardened as Keyway hardens: restricted, nothing said.
        let (_, hardenedMessages, hardenedSpec, _) = try Self.importWeb(
            Self.web(annotations: Self.named, container: "envFrom: [{secretRef: {name: db}}]"))
        #expect(hardenedSpec?.contains("hardening") == false)
        #expect(!hardenedMessages.contains { $0.contains("KW135") })
    }
}

/// Reloader's annotations in the flavour and place the input used, decided by Reloader's own
/// rule (`ReloaderAnnotations`), and every restart the input had kept or said.
extension ImportWorkloadShapesTests {
    static let readsBoth = "envFrom: [{secretRef: {name: db}}, {configMapRef: {name: settings}}]"

    /// `reloader.stakater.com/auto` (Secrets and ConfigMaps) is `reload: auto` with
    /// `reloadOptions: {watch: all}` (it was an error, KW131), and so are both typed auto
    /// annotations; the pod template's, too, when the workload has none (auto values are Go booleans).
    @Test(arguments: [
        ("{reloader.stakater.com/auto: \"true\"}", nil),
        ("{secret.reloader.stakater.com/auto: \"true\", configmap.reloader.stakater.com/auto: \"true\"}", nil),
        ("{}", "{reloader.stakater.com/auto: \"1\"}"),
    ])
    func reloaderAutoBecomesWatchAll(_ annotations: String, _ pod: String?) throws {
        let (result, messages, spec, web) = try Self.importWeb(
            Self.web(annotations: annotations, podAnnotations: pod, container: Self.readsBoth))
        #expect(!result.hasErrors, "\(messages)")
        #expect(spec?.contains("    reload: auto\n    reloadOptions:\n      watch: all\n") == true, "\(spec ?? "")")
        // The annotation stays where the input had it.
        let place: ManifestPath =
            pod == nil ? ["metadata", "annotations"] : ["spec", "template", "metadata", "annotations"]
        #expect(web?[place] == ["reloader.stakater.com/auto": "true"])
        #expect(spec?.contains("place: podTemplate") == (pod != nil), "\(spec ?? "")")
        #expect(!messages.contains { $0.contains("KW115") || $0.contains("KW131") }, "\(messages)")
    }

    /// An auto value Reloader reads as true but not spelt `true` comes back as `"true"`: warned at
    /// the value, saying the pods roll once when it sits on the pod template.
    @Test(arguments: [("1", true), ("True", true), ("true", false)])
    func anAutoValueSpeltOtherwiseIsWarned(_ value: String, _ warned: Bool) throws {
        let (_, messages, spec, _) = try Self.importWeb(
            Self.web(
                annotations: "{}", podAnnotations: "{secret.reloader.stakater.com/auto: \"\(value)\"}",
                container: "envFrom: [{secretRef: {name: db}}]"))
        #expect(spec?.contains("    reload: auto\n") == true, "\(spec ?? "")")
        let respelt = messages.filter { $0.contains("KW113") && $0.contains("reloader.stakater.com/auto") }
        #expect(respelt.count == (warned ? 1 : 0), "\(messages)")
        #expect(respelt.allSatisfy { $0.hasSuffix("the first apply rolls the pods once") }, "\(respelt)")
    }

    /// Reloader reads the pod template's named annotation when the workload has only a
    /// workload-only option (pause-period): both come back, each in its place (`place:
    /// podTemplate`, the option on the workload, where Reloader reads it), so the pod template
    /// does not change; an exclude on the pod template, which Reloader does not read, is not imported.
    @Test func thePlaceIsReloadersOwnRule() throws {
        let workload = Self.web(
            annotations: "{deployment.reloader.stakater.com/pause-period: 5m}",
            podAnnotations:
                "{secret.reloader.stakater.com/reload: db, secrets.exclude.reloader.stakater.com/reload: db}",
            container: "envFrom: [{secretRef: {name: db}}]")
        let (_, messages, spec, web) = try Self.importWeb(workload)
        #expect(spec?.contains("reload:") == false, "\(spec ?? "")")
        #expect(
            spec?.contains("    reloadOptions:\n      pause-period: \"5m\"\n      place: podTemplate\n") == true,
            "\(spec ?? "")")
        #expect(web?[["metadata", "annotations"]] == ["deployment.reloader.stakater.com/pause-period": "5m"])
        #expect(web?[["spec", "template", "metadata", "annotations"]] == ["secret.reloader.stakater.com/reload": "db"])
        #expect(messages.contains { $0.hasPrefix("web.yaml KW112 7:91 Reloader annotation 'secrets.exclude") })
        #expect(
            !messages.contains { $0.contains("KW115") || $0.contains("KW131") || $0.contains("KW137") },
            "\(messages)")
    }

    /// The workload's own annotation stays there (no `place`), and one the workload and its pod
    /// template both carry is read from the workload, as Reloader does: the pod template's is not kept.
    @Test(arguments: [(named, nil), (named, named)])
    func theWorkloadsOwnAnnotationStaysOnTheWorkload(_ annotations: String, _ pod: String?) throws {
        let (result, messages, spec, web) = try Self.importWeb(
            Self.web(annotations: annotations, podAnnotations: pod, container: "envFrom: [{secretRef: {name: db}}]"))
        #expect(!result.hasErrors, "\(messages)")
        #expect(spec?.contains("place:") == false, "\(spec ?? "")")
        #expect(web?[["metadata", "annotations"]] == ["secret.reloader.stakater.com/reload": "db"])
        #expect(web?[["spec", "template", "metadata", "annotations"]] == nil)
    }

    /// A CronJob's annotation on `spec.jobTemplate.spec.template` comes back there (`place:
    /// podTemplate`): the compiled CronJob has it where the input had it, and Reloader restarts on
    /// the same Secret (no KW131).
    @Test func aCronJobsPodTemplateAnnotationKeepsItsPlace() throws {
        let job = """
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: report, namespace: paperless}
            spec:
              schedule: "0 3 * * *"
              jobTemplate:
                spec:
                  template:
                    metadata: {labels: {app: report}, annotations: \(Self.named)}
                    spec:
                      automountServiceAccountToken: false
                      securityContext: {seccompProfile: {type: RuntimeDefault}}
                      restartPolicy: OnFailure
                      containers:
                        - name: report
                          image: nginx
                          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
                          envFrom: [{secretRef: {name: db}}]

            """
        let (result, inputs) = importTexts([
            ("store.yaml", ImportBugTests.tokenStore), ("es.yaml", Self.keyed), ("job.yaml", job),
        ])
        let messages = described(result, inputs)
        let spec = try #require(result.spec, "\(messages)")
        #expect(spec.contains("    reloadOptions:\n      place: podTemplate\n"), "\(spec)")
        let cronJob = try #require(objectsByKey(try compiled(spec))["CronJob/paperless/report"])
        #expect(cronJob[["metadata", "annotations"]] == nil)
        #expect(
            cronJob[WorkloadKind.cronJob.podTemplate + .annotations] == ["secret.reloader.stakater.com/reload": "db"])
        #expect(!messages.contains { $0.contains("KW131") || $0.contains("KW115") }, "\(messages)")
    }

    /// A ConfigMap whose change restarts the input's pods and would not restart the imported
    /// spec's is an error (Reloader's rule decides both: a pod template's auto annotation counts
    /// for ConfigMaps when the workload carries only a Secret's).
    @Test(arguments: [
        ("{secret.reloader.stakater.com/reload: db, configmap.reloader.stakater.com/reload: settings}", nil),
        (named, "{reloader.stakater.com/auto: \"true\"}"),
    ])
    func aConfigMapReloadTheSpecCannotWriteIsAnError(_ annotations: String, _ pod: String?) throws {
        let (result, messages, _, _) = try Self.importWeb(
            Self.web(annotations: annotations, podAnnotations: pod, container: Self.readsBoth))
        #expect(result.spec == nil)
        #expect(
            messages.contains(
                "web.yaml KW131 3:18 Reloader restarts Deployment 'web' when ConfigMap 'settings' changes; the imported spec's annotations would not"
            ), "\(messages)")
    }

    /// A Secret a patch wires in (a Postgres operator's) is named by the spec's annotation too:
    /// an input annotation naming it is what the spec writes, not a mismatch (it was KW115).
    @Test func aPatchWiredSecretInTheNamedAnnotationIsAccepted() throws {
        let (_, messages, _, web) = try Self.importWeb(
            Self.web(
                annotations: "{secret.reloader.stakater.com/reload: \"db,pg-app\"}",
                container: "envFrom: [{secretRef: {name: db}}, {secretRef: {name: pg-app}}]"))
        #expect(!messages.contains { $0.contains("KW115") || $0.contains("KW131") }, "\(messages)")
        #expect(web?[["metadata", "annotations"]] == ["secret.reloader.stakater.com/reload": "db,pg-app"])
    }

    /// `reload: search` puts the match annotation on every Secret of the app: a Secret the input
    /// did not match now restarts the pods, which is said.
    @Test func aRestartTheSpecAddsIsWarned() throws {
        let (_, messages, spec, _) = try Self.importWeb(
            Self.web(
                annotations: "{reloader.stakater.com/search: \"true\"}", container: "envFrom: [{secretRef: {name: db}}]"
            ))
        #expect(spec?.contains("reload: search") == true)
        #expect(
            messages.contains(
                "web.yaml KW115 3:18 the imported spec restarts Deployment 'web' when Secret 'db' changes, which the input's annotations did not"
            ), "\(messages)")
    }
}

extension ImportWorkloadShapesTests {
    /// The compare step finds a compiled list entry by name (then namespace), an unnamed mapping
    /// by value wherever it is, else the entry at the input's place, each entry once.
    @Test func listEntriesAreMatchedOnceByNameValueOrPlace() {
        let settings: ManifestValue = ["configMapRef": ["name": "settings"]]
        let db: ManifestValue = ["secretRef": ["name": "db"]]
        var matcher = ListMatcher([
            db, settings, ["name": "a", "namespace": "x"], ["name": "a", "namespace": "y"], "plain",
        ])
        let taken = [
            matcher.take(.value(settings)), matcher.take(.value(settings)), matcher.take(.name("a", namespace: "y")),
            matcher.take(.name("a", namespace: nil)), matcher.take(.name("a", namespace: nil)),
        ]
        #expect(taken == [1, nil, 3, 2, nil])
        let first = matcher.take(position: 4)
        let again = matcher.take(position: 4)
        #expect(first && !again)
        let value = matcher.take(.value(db))
        #expect(value == 0)
        #expect(matcher.matched == [0, 1, 2, 3, 4])
    }
}
