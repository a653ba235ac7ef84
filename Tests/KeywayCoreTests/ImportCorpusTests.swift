import Foundation
import Testing

@testable import KeywayCore

/// The import corpus: fixtures written after public repositories that run ESO with Vault.
///
/// Each file names its origin repository. Import must give a spec that compiles, bring back every input
/// ExternalSecret with the same reads, and wire every workload's containers as the input did.
@Suite("Import corpus")
struct ImportCorpusTests {
    static let root = "Tests/fixtures/import-corpus"

    static let folders: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent(root).path))
        ?? []).sorted()

    /// The corpus is written after at least twelve repositories.
    @Test func theCorpusHasTwelveRepositories() throws {
        #expect(Self.folders.count >= 12)
        for folder in Self.folders {
            for file in try Self.inputFiles(folder) {
                let text = try String(contentsOf: repositoryRoot.appendingPathComponent(file), encoding: .utf8)
                #expect(text.contains("Shape after "), "\(file) names no origin repository")
            }
        }
    }

    /// The folder's inputs, and the namespace its renderer gives objects that name none.
    static func inputFiles(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(
            atPath: repositoryRoot.appendingPathComponent("\(root)/\(folder)").path
        ).filter { $0 != "import-namespace" }.sorted().map { "\(root)/\(folder)/\($0)" }
    }

    static func namespace(_ folder: String) -> String? {
        (try? String(
            contentsOf: repositoryRoot.appendingPathComponent("\(root)/\(folder)/import-namespace"), encoding: .utf8))
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    @Test(arguments: folders) func importsWithTheSameReadsAndWiring(_ folder: String) throws {
        let inputs = try importInputs(try Self.inputFiles(folder))
        let options = ImportOptions(environmentName: folder, namespace: Self.namespace(folder))
        let result = Importer.importFiles(inputs, options: options)
        let spec = try #require(result.spec, "\(described(result, inputs))")
        let compiledObjects = objectsByKey(try compiled(spec))
        var collector = DiagnosticCollector()
        var parsed: [(key: String, object: ManifestObject, node: SpecNode)] = []
        for input in inputs where input.name.hasSuffix(".yaml") {
            for node in SpecParser.parseDocuments(input.text, limits: ParseLimits(), into: &collector) ?? [] {
                guard var object = ManifestObject(file: 0, node: node) else { continue }
                if object.namespace == nil, object.kind != "ClusterSecretStore" {
                    object.namespace = options.namespace ?? "default"
                }
                parsed.append(("\(object.kind)/\(object.namespace ?? "-")/\(object.name)", object, node))
            }
        }
        let inputMounts = Self.storeMounts(parsed.compactMap { item in item.node.manifestValue.map { (item.key, $0) } })
        let outputMounts = Self.storeMounts(compiledObjects.map { ($0.key, .map($0.value)) })
        var checked: Set<String> = []
        for (key, object, node) in parsed {
            checked.insert(object.kind)
            if object.kind == "ExternalSecret" {
                let output = try #require(compiledObjects[key], "\(key) does not come back")
                let namespace = object.namespace ?? "default"
                let input = Self.reads(node.manifestValue ?? .map([:]), namespace: namespace, mounts: inputMounts)
                let imported = Self.reads(.map(output), namespace: namespace, mounts: outputMounts)
                #expect(input == imported, "\(key) reads otherwise")
                #expect(!input.contains { $0.hasPrefix("no store") }, "\(key): \(input)")
            } else if let kind = WorkloadKind(rawValue: object.kind), WorkloadKind.owned.contains(kind) {
                let output = try #require(compiledObjects[key], "\(key) does not come back")
                #expect(
                    Self.wiring(node, kind: kind) == Self.wiring(.map(output), kind: kind),
                    "\(key) is wired otherwise")
            }
        }
        #expect(checked.contains("ExternalSecret") && checked.count >= 3, "\(folder): only \(checked)")
    }

    /// The KV mount of each Vault store, by `KIND/NAMESPACE/NAME`; a store without `path` has the
    /// empty path (ESO then reads each key's first segment as the mount).
    static func storeMounts(_ objects: [(key: String, value: ManifestValue)]) -> [String: KVMount] {
        var mounts: [String: KVMount] = [:]
        for (key, value) in objects where key.hasPrefix("ClusterSecretStore/") || key.hasPrefix("SecretStore/") {
            guard let vault = value.mapValue?[["spec", "provider", "vault"]]?.mapValue else { continue }
            let version = vault["version"].flatMap { ESOVault.version(named: text($0)) } ?? ESOVault.defaultVersion
            mounts[key] = KVMount(path: vault["path"].map { text($0) } ?? "", version: version)
        }
        return mounts
    }

    /// The request of a data read, by ESO's rule with or without the store's path.
    static func request(_ key: String, _ kind: ESOVaultPaths.ReadKind, _ mount: KVMount) -> String {
        guard mount.path.isEmpty else { return ESOVaultPaths.request(key, kind, mount: mount) }
        return kind == .data ? ESOVaultPaths.requestWithoutStorePath(key, version: mount.version) : "no path: \(key)"
    }

    /// What an ExternalSecret asks Vault for, computed with ESO's own path rule (`ESOVaultPaths`)
    /// on the mount of the store it references: each `data` key's request, property and version,
    /// each `dataFrom` source's request (a find's listed and read folders).
    static func reads(_ value: ManifestValue, namespace: String, mounts: [String: KVMount]) -> [String] {
        let spec = value.mapValue?["spec"]?.mapValue
        let ref = spec?["secretStoreRef"]?.mapValue
        let kind = ref?["kind"].map { text($0) } ?? ESODefaults.storeRefKind
        let store = "\(kind)/\(kind == "ClusterSecretStore" ? "-" : namespace)/\(text(ref?["name"]))"
        guard let mount = mounts[store] else { return ["no store \(store)"] }
        let data = (spec?["data"]?.items ?? []).map { item -> String in
            let map = item.mapValue
            let ref = map?["remoteRef"]?.mapValue
            let kind: ESOVaultPaths.ReadKind = text(ref?["metadataPolicy"]) == "Fetch" ? .metadata : .data
            let request = Self.request(text(ref?["key"]), kind, mount)
            return
                "data \(text(map?["secretKey"])) <- GET \(request)#\(text(ref?["property"]))@\(text(ref?["version"]))"
        }
        let from = (spec?["dataFrom"]?.items ?? []).map { item -> String in
            let map = item.mapValue
            if let extract = map?["extract"]?.mapValue {
                let request = Self.request(text(extract["key"]), .data, mount)
                return "extract GET \(request)@\(text(extract["version"]))"
            }
            let find = map?["find"]?.mapValue
            let folders = ESOVaultPaths.findFolders(find?["path"].map { text($0) }, mount: mount)
            return "find LIST \(folders.listed) GET \(folders.read) \(text(find?["name"]?.mapValue?["regexp"]))"
        }
        return (data + from).sorted()
    }

    /// Per container: the Secrets it reads and how (envFrom, env variable and key, mount path).
    static func wiring(_ node: SpecNode, kind: WorkloadKind) -> [String] {
        wiring(node.manifestValue ?? .map([:]), kind: kind)
    }

    static func wiring(_ value: ManifestValue, kind: WorkloadKind) -> [String] {
        let pod = value.mapValue?[kind.podTemplate.appending("spec")]?.mapValue
        var volumes: [String: String] = [:]
        for volume in pod?["volumes"]?.items ?? [] {
            if let name = volume.mapValue?["name"], let secret = volume.mapValue?[["secret", "secretName"]] {
                volumes[text(name)] = text(secret)
            }
        }
        var lines = (pod?["imagePullSecrets"]?.items ?? []).map { "pull \(text($0.mapValue?["name"]))" }
        for container in pod?["containers"]?.items ?? [] {
            let map = container.mapValue
            let name = text(map?["name"])
            for item in map?["envFrom"]?.items ?? [] {
                if let secret = item.mapValue?[["secretRef", "name"]] {
                    lines.append("\(name) envFrom \(text(secret))")
                }
            }
            for item in map?["env"]?.items ?? [] {
                guard let ref = item.mapValue?[["valueFrom", "secretKeyRef"]]?.mapValue else { continue }
                lines.append(
                    "\(name) env \(text(item.mapValue?["name"])) <- \(text(ref["name"]))/\(text(ref["key"]))")
            }
            for mount in map?["volumeMounts"]?.items ?? [] {
                guard let secret = volumes[text(mount.mapValue?["name"])] else { continue }
                lines.append("\(name) mount \(text(mount.mapValue?["mountPath"])) <- \(secret)")
            }
        }
        return lines.sorted()
    }

    static func text(_ value: ManifestValue?) -> String {
        switch value {
        case .string(let text)?: text
        case .int(let number)?: String(number)
        case .bool(let flag)?: String(flag)
        default: "-"
        }
    }
}

extension ManifestValue {
    /// A list's items; empty for anything else.
    fileprivate var items: [ManifestValue] {
        if case .list(let items) = self { return items }
        return []
    }
}
