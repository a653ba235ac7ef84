/// Vault's KV secrets engine API layout, written once: KV v2 serves a secret's data under
/// `MOUNT/data/` and its metadata (and the listing of folders) under `MOUNT/metadata/`; KV v1
/// serves both under `MOUNT/`. The policy lowering, ESO's path rules (`ESO/VaultPathRules.swift`),
/// `explain` and `import` all build API paths with these.
extension KVMount {
    /// The API path every data read of this mount starts with: `MOUNT/data/` (v2), `MOUNT/` (v1).
    public var dataRoot: String {
        switch version {
        case .v2: "\(path)/data/"
        case .v1: "\(path)/"
        }
    }

    /// The API path every metadata read and every listing starts with: `MOUNT/metadata/` (v2),
    /// `MOUNT/` (v1, which has no metadata and lists where it reads).
    public var metadataRoot: String {
        switch version {
        case .v2: "\(path)/metadata/"
        case .v1: "\(path)/"
        }
    }

    /// The API path of the data of the secret at `relative` (a path relative to the mount).
    public func dataPath(_ relative: String) -> String { dataRoot + relative }

    /// The API path of the metadata (v2) or listing of `relative` (a path relative to the mount).
    public func metadataPath(_ relative: String) -> String { metadataRoot + relative }
}
