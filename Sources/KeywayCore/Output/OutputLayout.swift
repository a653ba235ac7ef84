/// One file of an environment's output folder.
public struct RenderedFile: Sendable, Equatable {
    /// The path inside the environment's folder, `/`-separated.
    public var path: String
    /// The file's text.
    public var contents: String
    /// Scripts are written executable.
    public var isExecutable: Bool

    /// Creates a file at `path` inside the environment's folder; scripts pass `isExecutable`.
    public init(path: String, contents: String, isExecutable: Bool = false) {
        self.path = path
        self.contents = contents
        self.isExecutable = isExecutable
    }
}

/// What one environment renders to: the stream for stdout and the files for `--out`.
public struct RenderedEnvironment: Sendable, Equatable {
    /// The environment's `metadata.name`, which names its output folder.
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
    ///
    /// Large streams are rendered in chunks on every core, then joined in order: the bytes are
    /// those of one sequential pass.
    public static func stream(_ compiled: CompiledEnvironment) -> String {
        let chunks = streamChunks(compiled)
        let total = chunks.reduce(0) { $0 + $1.count }
        return String(unsafeUninitializedCapacity: total) { buffer in
            var offset = 0
            for chunk in chunks {
                chunk.withUnsafeBufferPointer { bytes in
                    _ = UnsafeMutableBufferPointer(rebasing: buffer[offset..<offset + bytes.count]).initialize(
                        from: bytes)
                }
                offset += chunk.count
            }
            return total
        }
    }

    /// The stream's UTF-8 in chunks, to be written in order: what `stream(_:)` joins, without the
    /// copy of the whole output that joining makes (the CLI writes them as they are).
    public static func streamChunks(_ compiled: CompiledEnvironment) -> [[UInt8]] {
        let documents = compiled.objects.map(\.document)
        return Concurrently.map(chunkRanges(documents.count)) { YAMLRenderer.streamBytes(documents[$0]) }
    }

    /// The objects rendered per chunk: small enough to share the work, large enough to be worth a thread.
    static let chunkSize = 512

    /// `0..<count` cut into consecutive ranges of at most `chunkSize` (one, possibly empty, when small).
    static func chunkRanges(_ count: Int) -> [Range<Int>] { Concurrently.chunks(count, size: chunkSize) }

    /// The environment folder's files, sorted by path.
    public static func files(_ compiled: CompiledEnvironment) -> [RenderedFile] {
        var files: [RenderedFile] = []
        files.reserveCapacity(compiled.objects.count + compiled.policies.count + 3)
        let header = [
            GeneratedNotice.line(environment: compiled.name),
            "Written to Vault by bootstrap.sh next to this file.",
        ]
        for policy in compiled.policies {
            files.append(
                RenderedFile(
                    path: "\(policyFolder)/\(policy.fileName)", contents: HCLRenderer.render(policy, header: header)))
        }
        let plan = PlanReads.policy(compiled)
        let planHeader = [
            GeneratedNotice.line(environment: compiled.name),
            "The least policy 'compile plan' needs: read (list) on exactly the paths it reads; not written by bootstrap.sh.",
        ]
        files.append(
            RenderedFile(
                path: "\(policyFolder)/\(plan.fileName)", contents: HCLRenderer.render(plan, header: planHeader)))
        files.append(
            RenderedFile(
                path: "\(policyFolder)/\(compiled.bootstrap.fileName)",
                contents: ShellRenderer.render(compiled.bootstrap), isExecutable: true)
        )
        let objects = compiled.objects
        let rendered = Concurrently.map(chunkRanges(objects.count)) { range in
            objects[range].map { RenderedFile(path: path(of: $0), contents: YAMLRenderer.render($0.document)) }
        }
        var resources: [ManifestValue] = []
        resources.reserveCapacity(objects.count)
        for chunk in rendered {
            for file in chunk { resources.append(.string(file.path)) }
            files.append(contentsOf: chunk)
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
