import Foundation
import Testing

@testable import KeywayCore

/// Reads repository files as import inputs, in the order given.
func importInputs(_ paths: [String]) throws -> [ImportFile] {
    try paths.map { path in
        ImportFile(name: path, text: Array(try Data(contentsOf: repositoryRoot.appendingPathComponent(path))))
    }
}

/// The files below a folder of the repository whose names end with `suffix`, sorted.
func files(under folder: String, endingWith suffix: String) throws -> [String] {
    let root = repositoryRoot.appendingPathComponent(folder)
    let enumerator = try #require(FileManager.default.enumerator(atPath: root.path))
    return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(suffix) }.map { "\(folder)/\($0)" }.sorted()
}

/// An import's diagnostics as `FILE CODE LINE:COL message`, the file by its last component.
func described(_ result: ImportResult, _ inputs: [ImportFile]) -> [String] {
    result.diagnostics.map { item in
        let file = item.file.map { inputs[$0].name.split(separator: "/").last.map(String.init) ?? "" } ?? "-"
        return "\(file) \(described(item.diagnostic))"
    }
}

/// The compiled objects and patches by kind, namespace and name.
func objectsByKey(_ environment: CompiledEnvironment) -> [String: ManifestMap] {
    Dictionary(
        uniqueKeysWithValues: (environment.objects + environment.patches).map {
            ("\($0.kind)/\($0.namespace ?? "-")/\($0.name)", $0.document)
        })
}

/// Imports inputs and compiles the spec it prints.
func importAndCompile(_ inputs: [ImportFile], name: String? = nil) throws -> (ImportResult, CompiledEnvironment) {
    let result = Importer.importFiles(inputs, options: ImportOptions(environmentName: name))
    let spec = try #require(result.spec, "import failed: \(described(result, inputs))")
    return (result, try compiled(spec))
}

@Suite("Import")
struct ImportTests {

    /// Every example spec under specs/.
    static let specs =
        (try? files(under: "specs", endingWith: ".yaml").filter { !$0.hasPrefix("specs/invalid/") }.map {
            String($0.dropFirst("specs/".count).dropLast(".yaml".count))
        }) ?? []

    /// `compile import golden/X/manifests/**/*.yaml golden/X/vault/*.hcl` gives a spec that
    /// compiles to the very objects and policies `specs/X.yaml` compiles to, and warns of nothing
    /// dropped or changed.
    @Test(arguments: specs) func roundTrip(_ name: String) throws {
        let original = try compiled(
            String(
                decoding: try Data(contentsOf: repositoryRoot.appendingPathComponent("specs/\(name).yaml")),
                as: UTF8.self))
        let patches = (try? files(under: "golden/\(name)/patches", endingWith: ".yaml")) ?? []
        let inputs = try importInputs(
            try files(under: "golden/\(name)/manifests", endingWith: ".yaml") + patches
                + files(under: "golden/\(name)/vault", endingWith: ".hcl")
                + ["golden/\(name)/vault/bootstrap.sh"])
        let (result, imported) = try importAndCompile(inputs)
        let lostCodes = ["KW110", "KW111", "KW112", "KW113", "KW114", "KW117"]
        let lost = described(result, inputs).filter { message in lostCodes.contains { message.contains($0) } }
        #expect(lost.isEmpty, "\(lost)")
        #expect(imported.name == original.name)
        expectSameObjects(imported, original)
        // The policies' order follows the apps', which files do not keep: compared by name.
        #expect(imported.policies.sorted { $0.name < $1.name } == original.policies.sorted { $0.name < $1.name })
        // The Vault side too (roles' TTLs, an owned mount): what the bootstrap script does is the same.
        #expect(
            Set(imported.vault.grants.map(\.credential.description))
                == Set(original.vault.grants.map(\.credential.description)))
        #expect(imported.vault.authMount == original.vault.authMount)
    }

    /// The inputs of `golden/NAME/` as `roundTrip` reads them.
    static func goldenInputs(_ name: String) throws -> [String] {
        try files(under: "golden/\(name)/manifests", endingWith: ".yaml")
            + files(under: "golden/\(name)/vault", endingWith: ".hcl") + ["golden/\(name)/vault/bootstrap.sh"]
    }

    /// A store of another mount (`NAME-MOUNT`) referenced by the first ExternalSecret: the store
    /// `NAME` still gives the first mount, and the secret reading the other gets `mount:`.
    @Test func aMountStoreReferencedFirstKeepsTheMountsOrder() throws {
        var paths = try Self.goldenInputs("tenants")
        let legacy = try #require(paths.firstIndex { $0.hasSuffix("externalsecret-alpha-legacy.yaml") })
        paths.insert(paths.remove(at: legacy), at: 0)
        let (result, imported) = try importAndCompile(try importInputs(paths))
        let spec = try #require(result.spec)
        #expect(spec.contains("  kv:\n    - mount: secret\n      version: 2\n    - mount: legacy\n      version: 1\n"))
        #expect(spec.contains("      alpha-legacy:\n        mount: legacy\n"))
        #expect(imported.model.store.name == "vault")
    }

    /// ESO logging in as itself (no `serviceAccountRef`): the account its role binds in the
    /// bootstrap script becomes `operator`; without the script ESO's chart's names are assumed.
    @Test func esosOwnAccountBecomesTheOperator() throws {
        let paths = try Self.goldenInputs("homelab")
        let (result, _) = try importAndCompile(try importInputs(paths))
        let spec = try #require(result.spec)
        #expect(spec.contains("operator:\n  serviceAccount: external-secrets-operator\n"))
        #expect(!spec.contains("serviceAccountRef"))
        #expect(!described(result, try importInputs(paths)).contains { $0.contains("names no service account") })
        let inputs = try importInputs(paths.filter { !$0.hasSuffix(".sh") })
        let (assumed, _) = try importAndCompile(inputs)
        #expect(assumed.spec?.contains("\noperator:") == false)
        #expect(
            described(assumed, inputs).contains {
                $0.contains(
                    "KW116 14:9 ClusterSecretStore 'vault' names no service account: ESO logs in with its own, assumed 'external-secrets' in namespace 'external-secrets'"
                )
            }, "\(described(assumed, inputs))")
    }

    /// A ClusterSecretStore's conditions: the first, naming only namespaces, is Keyway's (its
    /// namespace without an app is kept as a condition); the others come back as written, and the
    /// compiled store (the apps' namespaces first) is not reported as changed.
    @Test func storeConditionsBeyondKeywaysOwnAreKept() throws {
        let store =
            ImportBugTests.tokenStore + """
                  conditions:
                    - namespaces: [paperless, backup]
                    - namespaceSelector:
                        matchLabels: {team: a}
                        matchExpressions: [{key: tier, operator: NotIn, values: [sandbox]}]
                    - namespaceRegexes: ["^media-"]

                """
        let (result, inputs) = importTexts([
            ("store.yaml", store), ("es.yaml", ImportBugTests.renamedSecret),
            ("apps.yaml", ImportBugTests.deployment("web", reads: "paperless-secrets")),
        ])
        let spec = try #require(result.spec, "\(described(result, inputs))")
        #expect(
            spec.contains(
                """
                  conditions:
                    - namespaces:
                        - backup
                    - namespaceSelector:
                        matchLabels:
                          team: a
                        matchExpressions:
                          - key: tier
                            operator: NotIn
                            values:
                              - sandbox
                    - namespaceRegexes:
                        - ^media-

                """), "\(spec)")
        let lost = described(result, inputs).filter { $0.contains("KW112") || $0.contains("KW113") }
        #expect(lost.isEmpty, "\(lost)")
        let compiledStore = try #require(objectsByKey(try compiled(spec))["ClusterSecretStore/-/vault-backend"])
        guard case .list(let conditions)? = compiledStore[["spec", "conditions"]] else {
            Issue.record("the compiled store has no conditions")
            return
        }
        #expect(conditions.count == 4 && conditions.first == ["namespaces": ["paperless"]])
    }

    /// An auth mount Keyway owns is said only in the bootstrap script's own comment: import reads it.
    @Test func anOwnedMountSurvivesImport() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("specs/staging.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "audience: vault", with: "audience: vault\n      ownsMount: true")
        let original = try compiled(text)
        let files = OutputLayout.files(original).filter {
            $0.path.hasSuffix(".yaml") && $0.path.hasPrefix("manifests/") || $0.path.hasSuffix(".sh")
        }
        let inputs = files.map { ImportFile(name: $0.path, text: Array($0.contents.utf8)) }
        let (_, imported) = try importAndCompile(inputs)
        #expect(imported.vault.authMount == original.vault.authMount)
        #expect(ShellRenderer.render(imported.bootstrap).contains("('ownsMount: true')"))
    }

    /// The bootstrap script holds what the manifests do not: the AppRole role, the token period;
    /// a kustomization is reported, not imported.
    @Test func bootstrapScriptSuppliesWhatManifestsLack() throws {
        for name in ["qa", "dev"] {
            let paths =
                try ["golden/\(name)/kustomization.yaml"]
                + files(under: "golden/\(name)/manifests", endingWith: ".yaml")
                + ["golden/\(name)/vault/bootstrap.sh"]
            let inputs = try importInputs(paths)
            let (result, _) = try importAndCompile(inputs)
            let messages = described(result, inputs)
            // Only the policy, which is not among these inputs, is assumed.
            #expect(
                messages.filter { $0.contains("KW116") }.allSatisfy { $0.contains("no Vault policy") }, "\(messages)")
            #expect(
                messages.contains(
                    "kustomization.yaml KW110 2:1 kind 'Kustomization' without 'metadata.name' is not imported"))
            #expect(result.spec?.contains(name == "qa" ? "role: eso-qa\n" : "period: \"24h\"\n") == true)
        }
    }

    static let guideFiles = [
        "Tests/fixtures/guide/clustersecretstore.yaml", "Tests/fixtures/guide/externalsecret.yaml",
        "Tests/fixtures/guide/deployment.yaml",
        "Tests/fixtures/guide/external-secrets-access.hcl", "Tests/fixtures/guide/commands.sh",
    ]

    /// Every line of the guide fixtures is a line of the seed guide (leading spaces aside): the
    /// fixtures are the guide's manifests, with only their indentation restored.
    @Test func guideFixturesAreTheGuides() throws {
        let guide = try String(
            contentsOf: repositoryRoot.appendingPathComponent("Tests/fixtures/guide/guide.pt.txt"),
            encoding: .utf8)
        let lines = Set(guide.split(separator: "\n").map { $0.drop { $0 == " " } })
        for file in Self.guideFiles {
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                #expect(lines.contains(line.drop { $0 == " " }), "\(file): '\(line)' is not in the guide")
            }
        }
    }

    /// Every field the guide's manifests write is in what the imported spec compiles to, at the
    /// same place, the Reloader annotation too: on the pod template, as the guide has it (`place: podTemplate`).
    @Test func guideManifestsSurviveImport() throws {
        let inputs = try importInputs(Self.guideFiles)
        let (result, environment) = try importAndCompile(inputs)
        let objects = objectsByKey(environment)
        for input in inputs where input.name.hasSuffix(".yaml") {
            var collector = DiagnosticCollector()
            let node = try #require(
                SpecParser.parseDocuments(input.text, limits: ParseLimits(), into: &collector)?.first)
            let object = try #require(ManifestObject(file: 0, node: node))
            let document = try #require(
                objects["\(object.kind)/\(object.namespace ?? "-")/\(object.name)"],
                "\(object.described) is not compiled")
            var missing: [String] = []
            compareLeaves(node, .map(document), path: "", missing: &missing)
            #expect(missing.isEmpty, "\(object.described): \(missing)")
        }
        let deployment = try #require(objects["Deployment/dev/meu-app"])
        #expect(deployment[["metadata", "annotations"]] == nil)
        #expect(
            deployment[["spec", "template", "metadata", "annotations"]] == [
                "secret.reloader.stakater.com/reload": "minha-api-secret-k8s"
            ])
        #expect(result.spec?.contains("    reloadOptions:\n      place: podTemplate\n") == true)
        #expect(!described(result, inputs).contains { $0.contains("KW137") || $0.contains("KW131") })
        #expect(deployment[["spec", "replicas"]] == 1)
        let store = try #require(objects["ClusterSecretStore/-/vault-backend"])
        #expect(
            store[["spec", "provider", "vault", "auth", "tokenSecretRef"]] == [
                "name": "vault-token", "key": "token", "namespace": "external-secrets",
            ])
        let policy = try #require(environment.policies.first)
        #expect(policy.name == "external-secrets-access")
        #expect(policy.rules.map(\.path).prefix(3) == ["kv/data/dev/*", "kv/metadata/dev/", "kv/metadata/dev/*"])
        #expect(result.spec?.contains("period: \"24h\"") == true)
        // The period came from the guide's `vault token create -period=24h`: nothing assumed about it.
        #expect(!described(result, inputs).contains { $0.contains("period") })
        #expect(
            described(result, inputs).contains {
                $0.hasPrefix("external-secrets-access.hcl KW117 2:16 capabilities 'list'")
            })
    }

    /// Records every scalar of `node` whose value `value` does not hold at the same path (lists by index).
    func compareLeaves(_ node: SpecNode, _ value: ManifestValue?, path: String, missing: inout [String]) {
        switch node {
        case .mapping(let mapping):
            for entry in mapping.entries {
                compareLeaves(
                    entry.value, value?.mapValue?[entry.key.text], path: path + "." + entry.key.text, missing: &missing)
            }
        case .sequence(let sequence):
            guard case .list(let items)? = value else { return missing.append(path) }
            for (offset, item) in sequence.items.enumerated() {
                compareLeaves(
                    item, offset < items.count ? items[offset] : nil, path: path + "[\(offset)]", missing: &missing)
            }
        case .scalar:
            if node.manifestValue != value { missing.append(path) }
        }
    }

    /// The classic bug: an annotation naming the ExternalSecret instead of its target Secret.
    ///
    /// The imported spec names the Secret the pods read, and a warning at the annotation says so.
    @Test func aWrongReloaderAnnotationIsFixedAndWarned() throws {
        var inputs = try importInputs(Self.guideFiles)
        let deployment = String(decoding: inputs[2].text, as: UTF8.self).replacingOccurrences(
            of: "reload: \"minha-api-secret-k8s\"", with: "reload: \"minha-api-secret\"")
        inputs[2].text = Array(deployment.utf8)
        let (result, environment) = try importAndCompile(inputs)
        #expect(
            described(result, inputs).contains(
                "deployment.yaml KW115 16:46 the Reloader annotation names 'minha-api-secret' but Deployment 'meu-app' reads 'minha-api-secret-k8s': the imported spec names what it reads"
            ))
        #expect(
            objectsByKey(environment)["Deployment/dev/meu-app"]?[["spec", "template", "metadata", "annotations"]] == [
                "secret.reloader.stakater.com/reload": "minha-api-secret-k8s"
            ]
        )
    }

    static let unsupported = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: vault-token
          namespace: external-secrets
        stringData:
          token: s.XXXX
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: dev
        ---
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: db
          namespace: dev
        spec:
          template:
            spec:
              containers:
                - {name: db, image: postgres, envFrom: [{secretRef: {name: db-creds}}]}
        ---
        apiVersion: external-secrets.io/v1beta1
        kind: ExternalSecret
        metadata: {name: db-creds, namespace: dev}
        spec:
          secretStoreRef: {name: vault-backend, kind: ClusterSecretStore}
          dataFrom: [{extract: {key: dev/db}}]

        """

    /// Kinds a spec has no place for, a workload kind it cannot write (a Job), an unknown field, a label only
    /// one object carries: each a located warning; the spec is still printed.
    @Test func unsupportedInputIsWarnedWhereItIsWritten() throws {
        var inputs = try importInputs(Self.guideFiles)
        let externalSecret = String(decoding: inputs[1].text, as: UTF8.self)
            .replacingOccurrences(of: "  refreshInterval: \"1m\"\n", with: "  refreshInterval: \"1m\"\n  bogus: 1\n")
            .replacingOccurrences(of: "  namespace: dev\n", with: "  namespace: dev\n  labels: {tier: web}\n")
        inputs[1].text = Array(externalSecret.utf8)
        inputs.append(ImportFile(name: "extra.yaml", text: Array(Self.unsupported.utf8)))
        let (result, _) = try importAndCompile(inputs)
        let messages = described(result, inputs)
        for expected in [
            "externalsecret.yaml KW112 6:12 'metadata.labels.tier' of ExternalSecret 'minha-api-secret' is not imported: the spec cannot write it",
            "externalsecret.yaml KW112 9:3 'spec.bogus' of ExternalSecret 'minha-api-secret' is not imported: the spec cannot write it",
            "extra.yaml KW110 4:9 Secret 'vault-token' is not imported: a spec never holds secret values",
            "extra.yaml KW110 12:9 kind 'Service' is not imported: a spec has no place for it",
            "extra.yaml KW111 18:9 Job 'db' is not imported: the spec writes Deployments, StatefulSets, DaemonSets, CronJobs and Rollouts",
            "extra.yaml KW114 28:18 ExternalSecret 'db-creds' is not imported: only Job 'db' reads it, which the spec cannot write",
        ] {
            #expect(messages.contains(expected), "\(messages)")
        }
        #expect(result.diagnostics.allSatisfy { $0.diagnostic.severity == .warning })
    }

    /// Text that is not YAML is a located error, and no spec.
    @Test func unreadableYAMLIsALocatedError() {
        let inputs = [ImportFile(name: "bad.yaml", text: Array("apiVersion: v1\nkind: [\n".utf8))]
        let result = Importer.importFiles(inputs)
        #expect(result.spec == nil)
        #expect(
            described(result, inputs) == [
                "bad.yaml KW001 3:1 invalid YAML: did not find expected node content while parsing a flow node"
            ])
    }

    /// A policy that is not HCL is a located error; a document that is no object, too.
    @Test func unreadablePolicyAndNonObjectsAreErrors() throws {
        var inputs = try importInputs(Self.guideFiles)
        inputs.append(ImportFile(name: "bad.hcl", text: Array("path \"kv/x\" {\n  capabilities = [\"read\"\n".utf8)))
        inputs.append(ImportFile(name: "list.yaml", text: Array("- a\n- b\n".utf8)))
        let result = Importer.importFiles(inputs)
        #expect(result.spec == nil)
        let errors = described(result, inputs).filter { $0.contains(" KW12") }
        #expect(
            errors == [
                "bad.hcl KW121 2:19 unclosed '[' in the policy",
                "list.yaml KW120 1:1 this document is not a Kubernetes object",
            ])
    }

    static let patched = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: dev
          labels: {team: x}
          annotations: {owner: me, secret.reloader.stakater.com/reload: minha-api-secret-k8s}
        spec:
          replicas: 3
          strategy: {type: Recreate}
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web, version: v1}
            spec:
              serviceAccountName: web
              containers:
                - name: web
                  image: nginx
                  resources: {limits: {memory: 128Mi}}
                  env: [{name: MODE, value: prod}]
                  volumeMounts: [{name: cache, mountPath: /cache}]
                  envFrom: [{secretRef: {name: minha-api-secret-k8s}}]
              volumes: [{name: cache, emptyDir: {}}]

        """

    /// Deployment fields beyond image, command, args and replicas go into the app's `patch` and
    /// come back as they were: no warning, the compiled Deployment holds each of them.
    @Test func otherDeploymentFieldsBecomeThePatch() throws {
        var inputs = try importInputs(Array(Self.guideFiles.prefix(2)))
        inputs.append(ImportFile(name: "web.yaml", text: Array(Self.patched.utf8)))
        let (result, environment) = try importAndCompile(inputs, name: "dev")
        #expect(
            !described(result, inputs).contains { $0.contains("KW112") || $0.contains("KW113") },
            "\(described(result, inputs))")
        let web = try #require(objectsByKey(environment)["Deployment/dev/web"])
        #expect(web[["spec", "strategy"]] == ["type": "Recreate"])
        #expect(
            web[["metadata", "annotations"]] == [
                "secret.reloader.stakater.com/reload": "minha-api-secret-k8s", "owner": "me",
            ])
        #expect(web[["spec", "template", "spec", "serviceAccountName"]] == "web")
        #expect(web[["spec", "template", "spec", "volumes"]] == [["name": "cache", "emptyDir": [:]]])
        let reloadWarning =
            "web.yaml KW115 4:9 Deployment 'web' has no Reloader annotation: imported with 'reload: none'"
        #expect(!described(result, inputs).contains(reloadWarning))
    }

    /// A label every object carries becomes `defaults.labels`.
    @Test func commonLabelsBecomeDefaults() throws {
        let inputs = try importInputs(Array(Self.guideFiles.prefix(3))).map { input in
            let text = String(decoding: input.text, as: UTF8.self).replacingOccurrences(
                of: "metadata:\n  name:", with: "metadata:\n  labels: {team: pay}\n  name:")
            return ImportFile(name: input.name, text: Array(text.utf8))
        }
        let (result, environment) = try importAndCompile(inputs, name: "dev")
        #expect(result.spec?.contains("defaults:\n  labels:\n    team: pay\n") == true)
        #expect(!described(result, inputs).contains { $0.contains("KW112") })
        #expect(
            objectsByKey(environment)["ExternalSecret/dev/minha-api-secret"]?[["metadata", "labels", "team"]] == "pay")
    }
}

@Suite("Import command line", .serialized)
struct ImportCLITests {
    /// 0 and the spec on stdout (warnings on stderr); the spec compiles.
    @Test func printsTheSpec() throws {
        let run = try runCompile(["import"] + ImportTests.guideFiles)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.hasPrefix("apiVersion: keyway.dev/v1alpha1\nkind: Environment\n"))
        #expect(run.err.contains("Tests/fixtures/guide/external-secrets-access.hcl:2:16: warning: capabilities 'list'"))
        #expect(Compiler.compile(Array(run.out.utf8)).environment != nil)
    }

    /// 1 with nothing on stdout on an error; 64 without files; 1 with --warnings-as-errors.
    @Test func exitStatus() throws {
        let directory = try temporaryDirectory()
        let bad = directory.appendingPathComponent("bad.yaml")
        try Data("kind: [\n".utf8).write(to: bad)
        let failed = try runCompile(["import", bad.path])
        #expect(failed.status == 1)
        #expect(failed.out.isEmpty)
        #expect(failed.err.contains("bad.yaml:2:1: error: invalid YAML"))
        #expect(try runCompile(["import"]).status == 64)
        #expect(try runCompile(["import", directory.appendingPathComponent("missing.yaml").path]).status == 1)
        let strict = try runCompile(["import", "--warnings-as-errors"] + ImportTests.guideFiles)
        #expect(strict.status == 1)
        #expect(strict.out.isEmpty)
    }
}

extension VaultCredential {
    /// The credential as a comparable text, whatever order the grants come in.
    var description: String { "\(self)" }
}
