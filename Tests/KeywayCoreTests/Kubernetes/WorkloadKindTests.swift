import Testing

@testable import KeywayCore

/// Every kind, workloads owned elsewhere, shared secrets and schema-checked patches: each problem
/// is an error at its line.
@Suite("Workload kinds")
struct WorkloadKindTests {
    func app(_ body: String, name: String = "job", namespace: String = "dev") -> String {
        "  \(name):\n    namespace: \(namespace)\n"
            + body.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    }

    let containers = "containers:\n  app:\n    image: alpine:3.20"

    @Test func cronJobNeedsASchedule() {
        #expect(
            markedDiagnostics(spec(apps: app("kind: ⟨KW011⟩CronJob\n" + containers))) == [
                "KW011 missing key 'schedule' in app 'job': a CronJob needs one"
            ])
    }

    @Test func settingsOfAnotherKindAreRefused() {
        #expect(
            markedDiagnostics(spec(apps: app("⟨KW060⟩serviceName: db\n" + containers))) == [
                "KW060 'serviceName' is a StatefulSet's governing Service, but app 'job' is a Deployment"
            ])
        #expect(
            markedDiagnostics(spec(apps: app("kind: DaemonSet\n⟨KW060⟩replicas: 2\n" + containers))) == [
                "KW060 'replicas' is the replica count of a kind that scales by a count, but app 'job' is a DaemonSet"
            ])
        #expect(markedDiagnostics(spec(apps: app("⟨KW060⟩schedule: \"0 3 * * *\"\n" + containers))).count == 1)
    }

    @Test func everyKindPutsItsPodTemplateWhereKubernetesReadsIt() throws {
        let apps = [
            app("kind: StatefulSet\n" + containers, name: "db"),
            app("kind: CronJob\nschedule: \"0 3 * * *\"\n" + containers, name: "report"),
            app("kind: DaemonSet\n" + containers, name: "agent"),
        ].joined(separator: "\n")
        let objects = try compiled(spec(apps: apps)).objects
        let job = try #require(objects.first { $0.kind == "CronJob" && $0.name == "report" })
        #expect(job.document[["spec", "schedule"]] == "0 3 * * *")
        #expect(job.document[WorkloadKind.cronJob.podSpec + ["restartPolicy"]] == "OnFailure")
        let db = try #require(objects.first { $0.kind == "StatefulSet" })
        #expect(db.document[["spec", "serviceName"]] == "db")
        #expect(db.document[["spec", "replicas"]] == nil)
        #expect(objects.first { $0.kind == "DaemonSet" }?.document[WorkloadKind.daemonSet.containers] != nil)
    }

    @Test func useOfAMissingAppOrAnotherNamespaceIsLocated() {
        let owner = app("\(containers)\nsecrets:\n  db:\n    extract: dev/db", name: "api")
        let missing = app("\(containers)\nsecrets:\n  db:\n    use: ⟨KW062⟩apj", name: "worker")
        #expect(
            markedDiagnostics(spec(apps: owner + "\n" + missing)) == [
                "KW062 secret 'db' of app 'worker' uses app 'apj', which does not exist"
            ])
        let noSecret = app("\(containers)\nsecrets:\n  cache:\n    use: ⟨KW062⟩api", name: "worker")
        #expect(
            markedDiagnostics(spec(apps: owner + "\n" + noSecret)) == [
                "KW062 app 'api' defines no secret 'cache' for app 'worker' to use"
            ])
        let elsewhere = app(
            "\(containers)\nsecrets:\n  db:\n    use: ⟨KW063⟩api", name: "worker", namespace: "prod")
        #expect(
            markedDiagnostics(spec(apps: owner + "\n" + elsewhere)) == [
                "KW063 secret 'db' of app 'worker' uses app 'api' in namespace 'dev', not 'prod'"
            ])
        let extra = app(
            "\(containers)\nsecrets:\n  db:\n    use: api\n    ⟨KW015⟩extract: dev/other", name: "worker")
        #expect(markedDiagnostics(spec(apps: owner + "\n" + extra)).count == 1)
    }

    @Test func aSharedSecretHasOneExternalSecretAndBothAppsNameIt() throws {
        let owner = app("\(containers)\nsecrets:\n  db:\n    target: db-creds\n    extract: dev/db", name: "api")
        let consumer = app(
            "kind: CronJob\nschedule: \"0 * * * *\"\n\(containers)\nsecrets:\n  db:\n    use: api", name: "worker")
        let objects = try compiled(spec(apps: owner + "\n" + consumer)).objects
        #expect(objects.filter { $0.kind == "ExternalSecret" }.map(\.name) == ["db"])
        let job = try #require(objects.first { $0.kind == "CronJob" && $0.name == "worker" })
        #expect(job.document[ManifestPath.annotations.appending(ReloaderAnnotations.secretReload)] == "db-creds")
    }

    @Test func patchesAreCheckedAgainstTheKindsSchema() {
        let typo = app(
            containers
                + "\npatch:\n  spec:\n    template:\n      spec:\n        containers:\n          - name: app\n            ⟨KW064⟩resouces: {}"
        )
        #expect(markedDiagnostics(spec(apps: typo)) == ["KW064 a container has no field 'resouces'"])
        let claims = app(containers + "\npatch:\n  spec:\n    ⟨KW064⟩volumeClaimTemplates: []")
        #expect(
            markedDiagnostics(spec(apps: claims)) == ["KW064 a Deployment has no field 'spec.volumeClaimTemplates'"])
        let shape = app(containers + "\npatch:\n  spec:\n    minReadySeconds: ⟨KW064⟩{a: 1}")
        #expect(
            markedDiagnostics(spec(apps: shape)) == [
                "KW064 expected a value for 'spec.minReadySeconds', found a mapping"
            ])
    }

    @Test func patchesCannotTouchWhatKeywayOwns() {
        let schedule = app(
            "kind: CronJob\nschedule: \"0 3 * * *\"\n" + containers
                + "\npatch:\n  spec:\n    ⟨KW035⟩schedule: \"* * * * *\"")
        #expect(markedDiagnostics(spec(apps: schedule)).map { String($0.prefix(5)) } == ["KW035"])
        let restart = app(
            "kind: CronJob\nschedule: \"0 3 * * *\"\n" + containers
                + "\npatch:\n  spec:\n    jobTemplate:\n      spec:\n        template:\n          spec:\n            restartPolicy: ⟨KW014⟩Always"
        )
        #expect(markedDiagnostics(spec(apps: restart)) == ["KW014 a CronJob's pods cannot have restartPolicy 'Always'"])
        let owned = app(
            containers + "\nsecrets:\n  api:\n    extract: dev/api\n"
                + "patch:\n  metadata:\n    annotations:\n      ⟨KW035⟩reloader.stakater.com/search: \"true\"")
        #expect(
            markedDiagnostics(spec(apps: owned), only: ["KW035"]).contains {
                $0.hasPrefix("KW035 patch cannot change 'metadata.annotations.reloader.stakater.com/search'")
            })
    }

    @Test func patchesAddEntriesNextToTheGeneratedOnesButNotWithTheirNames() throws {
        let secrets = "\nsecrets:\n  api:\n    keys: {TOKEN: dev/api#token}\n    expose: env"
        let clash = app(
            containers + secrets
                + "\npatch:\n  spec:\n    template:\n      spec:\n        containers:\n          - name: app\n            env: [⟨KW065⟩{name: TOKEN, value: x}]"
        )
        #expect(
            markedDiagnostics(spec(apps: clash)) == [
                "KW065 patch adds variable 'TOKEN' to 'spec.template.spec.containers.app.env', which the app's secrets already generate"
            ])
        let added = app(
            containers + secrets
                + "\npatch:\n  spec:\n    template:\n      spec:\n        containers:\n          - name: app\n            env: [{name: MODE, value: x}]"
        )
        let deployment = try #require(try compiled(spec(apps: added)).objects.first { $0.kind == "Deployment" })
        let env = deployment.document[WorkloadKind.deployment.containers]
        guard case .list(let items)? = env, case .map(let container)? = items.first,
            case .list(let variables)? = container["env"]
        else {
            Issue.record("no env")
            return
        }
        #expect(variables.compactMap { $0.mapValue?["name"] } == ["TOKEN", "MODE"])
    }

    @Test func aWorkloadOwnedElsewhereGetsAPatchFileOnly() throws {
        let chart =
            "  grafana:\n    namespace: dev\n    workload: {kind: Deployment, containers: [grafana]}\n    secrets:\n      admin:\n        extract: dev/grafana"
        let compiled = try compiled(spec(apps: chart))
        #expect(!compiled.objects.contains { $0.kind == "Deployment" })
        let files = OutputLayout.files(compiled).map(\.path)
        #expect(files.contains("patches/dev/deployment-grafana.yaml"))
        let owned =
            "  grafana:\n    namespace: dev\n    ⟨KW061⟩replicas: 2\n    workload: {kind: Rollout}\n    secrets:\n      ⟨KW067⟩admin:\n        extract: dev/grafana"
        #expect(
            markedDiagnostics(spec(apps: owned)) == [
                "KW061 'replicas' shapes a workload Keyway writes, but app 'grafana' names one owned elsewhere",
                "KW067 secret 'admin' of app 'grafana' is exposed to containers, but the app names none",
            ])
    }

    @Test func reloadOptionsFollowReloadAndTheKind() {
        #expect(
            markedDiagnostics(spec(apps: app(containers + "\nreloadOptions: {⟨KW066⟩rollout-strategy: restart}"))).map {
                String($0.prefix(5))
            } == ["KW066"])
        #expect(
            markedDiagnostics(spec(apps: app(containers + "\nreload: none\nreloadOptions: {⟨KW066⟩pause-period: 5m}")))
                .map {
                    String($0.prefix(5))
                } == ["KW066"])
        #expect(
            markedDiagnostics(spec(apps: app(containers + "\nreloadOptions: {⟨KW066⟩exclude: [a]}"))).map {
                String($0.prefix(5))
            } == ["KW066"])
        #expect(
            markedDiagnostics(spec(apps: app(containers + "\nreloadOptions: {⟨KW010⟩pause: 5m}"))).map {
                String($0.prefix(5))
            } == ["KW010"])
    }

    /// `place: podTemplate` writes the reload annotation on the pod template (a CronJob's
    /// `spec.jobTemplate.spec.template`), the workload-only options stay on the workload, and
    /// Reloader, reading both places by its rule, restarts the pods on exactly their Secrets.
    @Test(arguments: [WorkloadKind.deployment, .cronJob])
    func placePodTemplateWritesTheAnnotationWhereReloaderFallsBack(_ kind: WorkloadKind) throws {
        let settings = kind == .cronJob ? "kind: CronJob\nschedule: \"0 3 * * *\"\n" : ""
        let options = kind == .deployment ? "{place: podTemplate, pause-period: 5m}" : "{place: podTemplate}"
        let secrets = "\nsecrets:\n  db:\n    extract: dev/db\n  other:\n    extract: dev/other\n    expose: none"
        let text = spec(apps: app(settings + containers + secrets + "\nreloadOptions: " + options))
        #expect(warnings(text).filter { $0.hasPrefix("KW138") }.isEmpty)
        let object = try #require(try compiled(text).objects.first { $0.kind == kind.kind })
        let podTemplate = object.document[kind.podTemplate + .annotations]
        #expect(podTemplate == ["secret.reloader.stakater.com/reload": "db"])
        let workload = object.document[.annotations]
        #expect(workload == (kind == .deployment ? ["deployment.reloader.stakater.com/pause-period": "5m"] : nil))
        let read = (ReloaderTests.strings(workload), ReloaderTests.strings(podTemplate))
        #expect(ReloaderAnnotations.shouldReload(.secret, named: "db", workload: read.0, podTemplate: read.1))
        #expect(!ReloaderAnnotations.shouldReload(.secret, named: "other", workload: read.0, podTemplate: read.1))
    }

    /// `place` is one of the options: refused with `reload: none`, and its value is checked.
    @Test func placeIsCheckedAsTheOtherOptions() {
        #expect(
            markedDiagnostics(
                spec(apps: app(containers + "\nreload: none\nreloadOptions: {⟨KW066⟩place: podTemplate}")))
                == [
                    "KW066 reloadOptions 'place' contradicts 'reload: none': Reloader does not restart this app"
                ])
        #expect(
            markedDiagnostics(spec(apps: app(containers + "\nreloadOptions: {place: ⟨KW014⟩pod}"))).map {
                String($0.prefix(5))
            } == ["KW014"])
    }

    /// On a workload owned elsewhere the patch puts the annotation on the pod template too, and
    /// KW138 warns that a reload annotation the chart writes on the workload would hide it from Reloader.
    @Test func placePodTemplateOnAChartsWorkloadIsWarned() throws {
        let chart =
            "  grafana:\n    namespace: dev\n    workload: {kind: Deployment, containers: [grafana]}\n    reload: auto\n    reloadOptions: {place: ⟨KW138⟩podTemplate}\n    secrets:\n      admin:\n        extract: dev/grafana"
        let text = unmarked(spec(apps: chart)).text
        #expect(
            markedDiagnostics(spec(apps: chart), severity: .warning, only: ["KW138"]) == [
                "KW138 Reloader reads the pod template's annotations only while the live Deployment's own carry no reload annotation, and Keyway does not see that workload's metadata"
            ])
        let patch = try #require(try compiled(text).patches.first)
        #expect(patch.document[.annotations] == nil)
        #expect(
            patch.document[WorkloadKind.deployment.podTemplate + .annotations] == [
                "secret.reloader.stakater.com/auto": "true"
            ])
        #expect(patch.document[WorkloadKind.deployment.containers] != nil)
    }
}
