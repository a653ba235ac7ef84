/// One file of an environment's output folder.
public struct RenderedFile: Sendable, Equatable {
    /// The path inside the environment's folder, `/`-separated.
    public var path: String
    public var contents: String
    /// Scripts are written executable.
    public var isExecutable: Bool

    public init(path: String, contents: String, isExecutable: Bool = false) {
        self.path = path
        self.contents = contents
        self.isExecutable = isExecutable
    }
}

/// What one environment renders to: the stream for stdout and the files for `--out`.
public struct RenderedEnvironment: Sendable, Equatable {
    public var name: String
    /// Every Kubernetes object as one multi-document YAML stream.
    public var stream: String
    /// The folder's files, sorted by path.
    public var files: [RenderedFile]
}

/// Lays the artifacts out as text: one renderer per language, one place that names the files.
public enum OutputLayout {
    static let policyFolder = "vault"
    static let manifestFolder = "manifests"
    static let patchFolder = "patches"

    /// Where an object's file goes: cluster-scoped objects in `manifests/`, the rest in
    /// `manifests/NAMESPACE/`, named `KIND-NAME.yaml`.
    public static func path(of object: KubernetesObject) -> String {
        let file = "\(object.kind.lowercased())-\(object.name).yaml"
        guard let namespace = object.namespace else { return "\(manifestFolder)/\(file)" }
        return "\(manifestFolder)/\(namespace)/\(file)"
    }

    /// Where the patch for a workload owned elsewhere goes: `patches/NAMESPACE/KIND-NAME.yaml`.
    public static func patchPath(of patch: KubernetesObject) -> String {
        "\(patchFolder)/\(patch.namespace ?? "cluster")/\(patch.kind.lowercased())-\(patch.name).yaml"
    }

    /// The stream and the files.
    public static func render(_ compiled: CompiledEnvironment) -> RenderedEnvironment {
        RenderedEnvironment(name: compiled.name, stream: stream(compiled), files: files(compiled))
    }

    /// Every Kubernetes object as one multi-document YAML stream.
    public static func stream(_ compiled: CompiledEnvironment) -> String {
        YAMLRenderer.renderStream(compiled.objects.map(\.document))
    }

    /// The environment folder's files, sorted by path.
    public static func files(_ compiled: CompiledEnvironment) -> [RenderedFile] {
        var files: [RenderedFile] = []
        files.reserveCapacity(compiled.objects.count + compiled.policies.count + 2)
        let header = [
            GeneratedNotice.line(environment: compiled.name),
            "Written to Vault by bootstrap.sh next to this file.",
        ]
        for policy in compiled.policies {
            files.append(RenderedFile(path: "\(policyFolder)/\(policy.fileName)", contents: HCLRenderer.render(policy, header: header)))
        }
        files.append(
            RenderedFile(path: "\(policyFolder)/\(compiled.bootstrap.fileName)", contents: ShellRenderer.render(compiled.bootstrap), isExecutable: true)
        )
        var resources: [ManifestValue] = []
        resources.reserveCapacity(compiled.objects.count)
        for object in compiled.objects {
            let path = path(of: object)
            resources.append(.string(path))
            files.append(RenderedFile(path: path, contents: YAMLRenderer.render(object.document)))
        }
        for patch in compiled.patches {
            files.append(RenderedFile(path: patchPath(of: patch), contents: YAMLRenderer.render(patch.document)))
        }
        let kustomization: ManifestMap = [
            "apiVersion": "kustomize.config.k8s.io/v1beta1",
            "kind": "Kustomization",
            "resources": .list(resources),
        ]
        files.append(RenderedFile(path: "kustomization.yaml", contents: YAMLRenderer.render(kustomization)))
        files.sort { $0.path < $1.path }
        return files
    }
}
