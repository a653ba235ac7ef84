/// Where ESO's Vault provider sends each request, ported from its source (not its docs).
///
/// The source: external-secrets/external-secrets at commit cc5bfbc2234ace9cb0caff4ea89c435cf517b27b,
/// `providers/v1/vault/client_get.go` (`buildPath`, `buildMetadataPath`, `GetSecret` with
/// `metadataPolicy: Fetch`) and `providers/v1/vault/client_get_all_secrets.go` (`GetAllSecrets`,
/// `listSecrets`, `findSecretsFromName`, `findSecretsFromTags`). Keyway always writes the store's
/// `path` (the KV mount), so only the branches with a store path are ported.
///
/// ESO's requests go through HashiCorp's Vault client (`github.com/hashicorp/vault/api` v1.22.0,
/// pinned in ESO's `providers/v1/vault/go.mod`), whose `Client.NewRequest` (`api/client.go`)
/// builds the URL with `path.Join`: repeated `/` collapse and a trailing `/` goes (`clean`).
///
/// The policy lowering, the builder's key checks, `explain` and `import` all ask these functions;
/// nothing else in Keyway knows ESO's path rules.
public enum ESOVaultPaths {
    /// How ESO reads a remote key.
    public enum ReadKind: Sendable, Equatable {
        /// `GET` of the secret's data (`data[].remoteRef`, `dataFrom.extract`, a found secret).
        case data
        /// `GET` of the secret's KV v2 metadata (`metadataPolicy: Fetch`).
        case metadata
    }

    /// `buildPath` with a store path: a key starting with `MOUNT/` loses it (once), and on KV v2
    /// then a leading `data/` too; the mount's data root is put in front of what is left.
    static func buildPath(_ key: String, mount: KVMount) -> String {
        var out = key
        let cut = mount.path + "/"
        if out.hasPrefix(cut) {
            out = String(out.dropFirst(cut.count))
            if mount.version == .v2, out.hasPrefix("data/") { out = String(out.dropFirst("data/".count)) }
        }
        return mount.dataPath(out)
    }

    /// `buildPath` without a store path: the key's first segment is the mount.
    ///
    /// ESO's `path` is optional, with no default. On KV v2 `data` is put after the key's first
    /// segment unless the key holds `/data/`; KV v1 reads the key as written; then the Vault
    /// client cleans the path. Only data reads: without a path ESO's metadata reads need a
    /// `/data/` in the key (v2) or fail (v1), and import infers no mount from them. Ported from
    /// the branch of `buildPath` for a nil `store.Path` (external-secrets/external-secrets
    /// `providers/v1/vault/client_get.go`, and `Path` in
    /// `apis/externalsecrets/v1/secretstore_vault_types.go`, commit
    /// cc5bfbc2234ace9cb0caff4ea89c435cf517b27b).
    public static func requestWithoutStorePath(_ key: String, version: KVVersion) -> String {
        guard version == .v2, !key.contains("/data/") else { return clean(key) }
        let segments = key.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        return clean(([String(segments[0]), "data"] + segments.dropFirst().map(String.init)).joined(separator: "/"))
    }

    /// `buildMetadataPath` with a store path: the key as written after the mount's metadata root
    /// (v2) or the mount (v1); nothing is removed from it.
    static func buildMetadataPath(_ key: String, mount: KVMount) -> String {
        mount.metadataPath(key)
    }

    /// Go's `path.Join` on the request path, as the Vault client applies it: empty segments
    /// vanish, and so does a trailing `/` (Keyway refuses `.` and `..` segments before this).
    static func clean(_ path: String) -> String {
        guard path.hasPrefix("/") || path.hasSuffix("/") || hasEmptySegment(path) else { return path }
        return path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
    }

    /// Whether `path` holds `//`: a scan of its bytes (`String.contains` of a string searched
    /// through the generic collection algorithms, a hundred times slower on every remote key).
    private static func hasEmptySegment(_ path: String) -> Bool {
        var afterSlash = false
        for byte in path.utf8 {
            let slash = byte == UInt8(ascii: "/")
            if slash, afterSlash { return true }
            afterSlash = slash
        }
        return false
    }

    /// The API path ESO requests for a remote key read as `kind` (`GetSecret`): without a
    /// leading or trailing `/`; a `?version=N` read requests the same path.
    public static func request(_ key: String, _ kind: ReadKind, mount: KVMount) -> String {
        switch kind {
        case .data: clean(buildPath(key, mount: mount))
        case .metadata: clean(buildMetadataPath(key, mount: mount))
        }
    }

    /// Where ESO reads a remote key, relative to the root of its kind (`dataRoot` for data,
    /// `metadataRoot` for metadata): the path `explain` shows and the policy grants below the root.
    public static func relative(_ key: String, _ kind: ReadKind, mount: KVMount) -> String {
        relative(requested: request(key, kind, mount: mount), kind, mount: mount)
    }

    /// A requested API path of `kind` relative to the root of its kind.
    public static func relative(requested: String, _ kind: ReadKind, mount: KVMount) -> String {
        let root = kind == .data ? mount.dataRoot : mount.metadataRoot
        return requested.hasPrefix(root) ? String(requested.dropFirst(root.count)) : requested
    }

    /// Where a `dataFrom.find` goes, relative to the roots: the folder listed and the one read.
    ///
    /// The folder ESO lists recursively (`listSecrets` of
    /// `PATH/`, a `LIST` of `metadataRoot + PATH/`), and the folder it then reads each found
    /// secret from (`GetSecret` of `PATH/NAME`, through `buildPath`), both relative to their roots;
    /// `""` is the whole mount. With tags, each candidate's metadata is read in the listed folder.
    public static func findFolders(_ path: String?, mount: KVMount) -> (listed: String, read: String) {
        guard let path else { return ("", "") }
        let listed = clean(buildMetadataPath(path + "/", mount: mount))
        // A found secret's key is the searched path, '/', and the name listed below it.
        let probe = "\u{0}"
        let read = relative(path + "/" + probe, .data, mount: mount)
        let readFolder = read == probe ? "" : String(read.dropLast(probe.count + 1))
        let listRoot = clean(mount.metadataRoot)
        let listedFolder = listed == listRoot ? "" : String(listed.dropFirst(listRoot.count + 1))
        return (listedFolder, readFolder)
    }

    /// A remote key as the model keeps it (the builder and `import` alike): where ESO reads it,
    /// relative to the root of `kind`, and the key as written when that differs.
    public static func modelPath(_ key: String, _ kind: ReadKind, mount: KVMount) -> (path: String, written: String?) {
        let path = relative(key, kind, mount: mount)
        return (path, path == key ? nil : key)
    }

    /// A `find.path` as the model keeps it: the folder ESO lists, and the path as written when
    /// that differs.
    public static func modelFindPath(_ path: String, mount: KVMount) -> (path: String, written: String?) {
        let listed = findFolders(path, mount: mount).listed
        return (listed, listed == path ? nil : path)
    }

    /// The one key relative to the mount (no leading `/`, not starting with `MOUNT/`) that ESO
    /// reads exactly where it reads `relative` (a path below the root), for data and metadata
    /// alike; `nil` when there is none: the secret lives in a folder named like the mount, which
    /// ESO strips from such a key.
    public static func canonicalKey(for relative: String, mount: KVMount) -> String? {
        guard !relative.isEmpty, Self.relative(relative, .data, mount: mount) == relative,
            Self.relative(relative, .metadata, mount: mount) == relative
        else { return nil }
        return relative
    }
}
