import Testing

@testable import KeywayCore

@Suite("Workloads")
struct WorkloadTests {
    let apps = """
          web:
            namespace: dev
            replicas: 2
            containers:
              app:
                image: alpine:3.20
            secrets:
              files:
                extract: dev/files
                expose: {mountPath: /etc/files}
        """

    @Test func everyOwnedFieldIsOneTheLoweringWrites() throws {
        let environment = try compiled(spec(apps: apps))
        let deployment = try #require(environment.objects.first { $0.kind == "Deployment" })
        let model = try #require(Compiler.model(bytes(spec(apps: apps))).0)
        let app = try #require(model.apps.first)
        let wiring = PodWiring(containers: app.containerNames, secrets: app.secrets)
        let ownership = WorkloadOwnership(kind: app.kind, wiring: wiring)
        for field in ownership.fields {
            switch field.extent {
            case .exactly:
                #expect(deployment.document[field.path] != nil, "owned but not written: \(field.path.dotted)")
            case .childrenContaining:
                break
            }
        }
        #expect(deployment.document[.annotations] != nil)
    }

    @Test func ownershipFollowsTheKindsPaths() {
        let wiring = PodWiring(containers: ["app"], secrets: [])
        let ownership = WorkloadOwnership(kind: .deployment, wiring: wiring)
        #expect(ownership.reason(for: ["spec", "selector"]) == "Keyway derives it from the spec")
        #expect(
            ownership.reason(for: ["spec", "template", "metadata", "labels", "app"])
                == "Keyway derives it from the spec")
        #expect(ownership.reason(for: ["spec", "replicas"]) == "set the app's 'replicas' instead")
        #expect(ownership.reason(for: ["spec", "template", "spec", "volumes"]) == nil)
        #expect(ownership.reason(for: ["metadata", "annotations", "reloader.stakater.com/search"]) != nil)
        #expect(ownership.reason(for: ["metadata", "annotations", "team"]) == nil)
        #expect(
            ownership.reason(forContainerField: "image", of: "app") == "set it under the app's 'containers' instead")
        #expect(ownership.reason(forContainerField: "resources", of: "app") == nil)
    }

    @Test func podTemplateSitsWhereTheKindSays() throws {
        let environment = try compiled(spec(apps: apps))
        let deployment = try #require(environment.objects.first { $0.kind == "Deployment" })
        let template = try #require(deployment.document[WorkloadKind.deployment.podTemplate]?.mapValue)
        #expect(template[.podVolumes] == [["name": "files", "secret": ["secretName": "files"]]])
        let containers = try #require(deployment.document[WorkloadKind.deployment.containers])
        let hardened: ManifestValue = ["allowPrivilegeEscalation": false, "capabilities": ["drop": ["ALL"]]]
        #expect(
            containers == [
                [
                    "name": "app", "image": "alpine:3.20", "securityContext": hardened,
                    "volumeMounts": [["name": "files", "mountPath": "/etc/files", "readOnly": true]],
                ]
            ])
    }
}
