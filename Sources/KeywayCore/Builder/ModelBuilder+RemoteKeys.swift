/// Remote keys and `find.path` as ESO reads them: every form ESO accepts compiles, the model
/// keeps where ESO reads (`ESOVaultPaths`), and a key not written relative to the mount is
/// warned with its canonical form, or refused where ESO's own rules read another secret.
extension ModelBuilder {
    /// A remote key (`keys`, `extract`) read as `kind`: the path where ESO reads it, relative to
    /// the root of its kind, and the key as written when that differs.
    mutating func resolvedKey(_ key: Located<String>, _ kind: ESOVaultPaths.ReadKind) -> (
        path: Located<String>, written: String?
    )? {
        guard let mount = kvMount else { return (key, nil) }
        let requested = ESOVaultPaths.request(key.value, kind, mount: mount)
        let read = ESOVaultPaths.relative(requested: requested, kind, mount: mount)
        if kind == .metadata {
            let data = ESOVaultPaths.request(key.value, .data, mount: mount)
            let dataRelative = ESOVaultPaths.relative(requested: data, .data, mount: mount)
            if dataRelative != read {
                reader.report(
                    .metadataKeyElsewhere,
                    "with 'metadataPolicy: Fetch' ESO reads key '\(key.value)' at '\(requested)', but the key's data at '\(data)'",
                    at: key.range,
                    help:
                        "ESO keeps the mount in a metadata read: write '\(dataRelative)' for the metadata of '\(data)', or '/\(read)' for that of '\(mount.dataPath(read))'"
                )
                return nil
            }
        }
        reportForm(written: key.value, read: read, requested: requested, at: key.range, mount: mount)
        return (Located(read, at: key.range), read == key.value ? nil : key.value)
    }

    /// A `find.path`: the folder ESO lists and reads, relative to the mount, and the path as
    /// written when that differs; refused when ESO would list one folder and read another.
    mutating func resolvedFindPath(_ path: Located<String>) -> (path: Located<String>, written: String?)? {
        guard let mount = kvMount else { return (path, nil) }
        let folders = ESOVaultPaths.findFolders(path.value, mount: mount)
        guard folders.listed == folders.read else {
            let inside = folders.read.isEmpty ? "remove 'path' to search the whole mount" : "write '\(folders.read)'"
            reader.report(
                .findReadsElsewhere,
                "ESO lists '\(mount.metadataPath(folders.listed))/' for find path '\(path.value)', but reads each secret it finds from '\(mount.dataPath(folders.read.isEmpty ? "" : folders.read + "/"))'",
                at: path.range,
                help:
                    "ESO removes a leading '\(mount.path)/' only when it reads: \(inside); to search the folder '\(folders.listed)' inside the mount, write '/\(folders.listed)'"
            )
            return nil
        }
        let requested = mount.metadataPath(folders.listed) + "/"
        reportForm(written: path.value, read: folders.listed, requested: requested, at: path.range, mount: mount)
        return (Located(folders.listed, at: path.range), folders.listed == path.value ? nil : path.value)
    }

    /// KW150 when the key is not its canonical form; KW151 when no key relative to the mount
    /// reaches what ESO reads (a folder named like the mount).
    mutating func reportForm(written: String, read: String, requested: String, at range: SourceRange, mount: KVMount) {
        guard read != written else { return }
        guard let canonical = ESOVaultPaths.canonicalKey(for: read, mount: mount) else {
            reader.report(
                .mountNamedFolder,
                "ESO reads '\(written)' at '\(requested)', in a folder named like the mount '\(mount.path)'",
                at: range,
                help:
                    "keep '\(written)': ESO removes a leading '\(mount.path)/' from a key, so no key relative to the mount reaches it; or move the secret out of '\(mount.path)/\(mount.path)/'"
            )
            return
        }
        var help = "write it relative to the mount: '\(canonical)'"
        if written.hasPrefix(mount.path + "/") {
            help +=
                "; a secret at '\(mount.dataPath(mount.path))/\(canonical)' would be named '/\(mount.path)/\(canonical)'"
        }
        reader.report(.remoteKeyForm, "ESO reads '\(written)' at '\(requested)'", at: range, help: help)
    }
}
