import Testing

@testable import KeywayCore

/// A pod's reads indexed by Secret once (`PodReads`): the same answers `wire` had from walking
/// every container for each Secret.
@Suite("Import: a pod's reads by Secret")
struct PodReadsTests {
    @Test func indexKeepsContainerOrderAndFirstMount() throws {
        let template = """
            spec:
              volumes: [{name: a, secret: {secretName: s}}, {name: b, secret: {secretName: s}}]
              containers:
                - {name: c1, volumeMounts: [{name: a, mountPath: /a}]}
                - name: c2
                  envFrom: [{secretRef: {name: t}}]
                  env: [{name: K, valueFrom: {secretKeyRef: {name: s, key: k}}}]
                  volumeMounts: [{name: b, mountPath: /b}]
                - {name: c1}
            """
        var collector = DiagnosticCollector()
        let node = try #require(SpecParser.parse(Array(template.utf8), limits: ParseLimits(), into: &collector))
        let pod = PodReads(ContainerReads.reads(of: node), pulls: ["p", "p"])
        #expect(pod.readers["s"] == [0, 1] && pod.readers["t"] == [1] && pod.readers["p"] == nil)
        #expect(pod.mountPaths == ["s": "/a"] && pod.envFrom == ["t"] && pod.pulls == ["p"])
        // Every container bearing a reader's name, as `wire` filtered them by name.
        #expect(pod.named(["c1"]) == [0, 2] && pod.named(["c2", "c1", "c2"]) == [0, 1, 2] && pod.named([]).isEmpty)
    }
}
