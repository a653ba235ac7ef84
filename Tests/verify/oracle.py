"""What a spec should give, derived here independently of the compiler: the policies' paths and
capabilities, and every Vault read ESO makes (as ESO's Vault provider makes them:
providers/v1/vault/client_get.go and client_get_all_secrets.go)."""

import collections

# One Vault read ESO makes for a secret: kind is "extract", "key", "metadata" (a key with
# metadataPolicy: Fetch reads the secret's metadata, not its data) or "find"; version is the KV v2
# version read (?version=N) or None; tags are a find's custom-metadata filter (each candidate's
# metadata is read) or {}. A find's path is None when it searches the whole mount.
# mount is the KV mount's path (a secret's `mount:`, else the first of `vault.kv`).
Source = collections.namedtuple("Source", "kind path version tags mount")


def mounts(spec):
    """{path: version} of the KV mounts, in spec order: `vault.kv` is one mount or a list."""
    kv = spec["vault"]["kv"]
    return {m["mount"]: m.get("version", 2) for m in (kv if isinstance(kv, list) else [kv])}


def first_mount(spec):
    return next(iter(mounts(spec)))


def eso_request(key, kind, mount, version):
    """The API path ESO's Vault provider requests for a remote key, from its Go source
    (external-secrets cc5bfbc2, providers/v1/vault/client_get.go): a data read goes through
    buildPath, which with the store's path set removes a leading 'MOUNT/' once and then, on KV
    v2, a leading 'data/', and puts 'MOUNT/data/' (v2) or 'MOUNT/' (v1) in front; a metadata
    read (metadataPolicy: Fetch, a find's listing and tag reads) goes through buildMetadataPath,
    which only puts 'MOUNT/metadata/' (v2) or 'MOUNT/' (v1) in front. The Vault client builds the
    URL with Go's path.Join, so empty segments and a trailing '/' vanish.

    A store without a path (mount None; ESO's path has no default) reads a data key as written,
    its first segment being the mount: on KV v2 'data' goes after that segment unless the key
    holds '/data/'."""
    if mount is None:
        assert kind == "data", "without a store path only data reads are modelled"
        head, _, rest = key.partition("/")
        parts = [head, "data", rest] if version == 2 and "/data/" not in key else [key]
        return "/".join(segment for part in parts for segment in part.split("/") if segment)
    if kind == "metadata":
        parts = [mount, "metadata", key] if version == 2 else [mount, key]
    else:
        rest = key
        if rest.startswith(mount + "/"):
            rest = rest[len(mount) + 1:]
            if version == 2 and rest.startswith("data/"):
                rest = rest[len("data/"):]
        parts = [mount, "data", rest] if version == 2 else [mount, rest]
    return "/".join(segment for part in parts for segment in part.split("/") if segment)


def eso_relative(key, kind, mount, version):
    """Where ESO reads KEY, relative to the mount's data root (or metadata root for metadata)."""
    root = f"{mount}/{kind}/" if version == 2 else f"{mount}/"
    requested = eso_request(key, kind, mount, version)
    assert requested.startswith(root), (key, requested)
    return requested[len(root):]


def eso_find(path, mount, version):
    """(folder listed, folder whose found secrets are read) of a find, relative to the mount:
    GetAllSecrets lists 'PATH/' (buildMetadataPath) and reads each found 'PATH/NAME' with
    GetSecret (buildPath)."""
    listed = eso_relative(path + "/", "metadata", mount, version)
    probe = "zz-probe"
    read = eso_relative(f"{path}/{probe}", "data", mount, version)
    return listed, read[: -len(probe)].rstrip("/")


def sources(app, default_mount=None, versions=None):
    """ESO's reads for an app's secrets; with the spec's mounts' versions ({path: version},
    `mounts(spec)`), each path is where ESO reads it (eso_relative, eso_find), else as written."""
    for source in written_sources(app, default_mount):
        if versions is None or source.path is None:
            yield source
        elif source.kind == "find":
            listed, read = eso_find(source.path, source.mount, versions[source.mount])
            assert listed == read, f"ESO lists {listed} but reads {read}"
            yield source._replace(path=listed)
        else:
            kind = "metadata" if source.kind == "metadata" else "data"
            yield source._replace(path=eso_relative(source.path, kind, source.mount, versions[source.mount]))


def spec_sources(spec, app):
    """`sources` of an app of a spec, where ESO reads them."""
    return sources(app, first_mount(spec), mounts(spec))


def written_sources(app, default_mount=None):
    for secret in (app.get("secrets") or {}).values():
        if "use" in secret:
            continue  # another app's secret: its ExternalSecret and reads are that app's
        mount = secret.get("mount", default_mount)
        if "extract" in secret:
            extract = secret["extract"]
            if isinstance(extract, dict):
                yield Source("extract", extract["key"], extract.get("version"), {}, mount)
            else:
                yield Source("extract", extract, None, {}, mount)
        elif "find" in secret:
            find = secret["find"]
            yield Source("find", find.get("path"), None, find.get("tags") or {}, mount)
        else:
            for value in secret["keys"].values():
                if isinstance(value, dict):
                    kind = "metadata" if value.get("metadataPolicy") == "Fetch" else "key"
                    yield Source(kind, value["key"], value.get("version"), {}, mount)
                else:
                    yield Source("key", value.split("#", 1)[0], None, {}, mount)


def role_name(spec, namespace):
    """The Vault role (userpass: the user) of a store: `roles`/`usernames` name a namespace's,
    else ROLE-NAMESPACE in SecretStore mode."""
    auth = next(iter(spec["vault"]["auth"].values()))
    base = auth.get("role", auth.get("username"))
    if namespace is None:
        return base
    return (auth.get("roles") or auth.get("usernames") or {}).get(namespace, f"{base}-{namespace}")


def groups(spec):
    """(policy name, namespace or None, apps) per store."""
    env = spec["metadata"]["name"]
    name = (spec["vault"].get("policy") or {}).get("name", f"keyway-{env}")
    apps = list(spec["apps"].values())
    if (spec.get("secretStore") or {}).get("kind") == "SecretStore":
        namespaces = []
        for app in apps:
            if app["namespace"] not in namespaces:
                namespaces.append(app["namespace"])
        given = (spec["vault"].get("policy") or {}).get("names") or {}
        return [(given.get(ns, f"{name}-{ns}"), ns, [a for a in apps if a["namespace"] == ns]) for ns in namespaces]
    return [(name, None, apps)]


def policy_rules(spec, apps):
    """{path: set(capabilities)} the least policy for these apps."""
    versions = mounts(spec)
    policy = spec["vault"].get("policy") or {}
    rules = {}

    def grant(path, *caps):
        rules.setdefault(path, set()).update(caps)

    def folder(path, mount):
        version = versions[mount]
        below = f"{path}/" if path else ""
        if version == 2:
            grant(f"{mount}/data/{below}*", "read")
            grant(f"{mount}/metadata/{below}", "list")
            grant(f"{mount}/metadata/{below}*", "list")
        else:
            grant(f"{mount}/{below}", "list")
            grant(f"{mount}/{below}*", "read", "list")

    def metadata_under(path, mount):
        # A find by tags reads each candidate's metadata (GET MOUNT/metadata/PATH/NAME).
        grant(f"{mount}/metadata/{path + '/' if path else ''}*", "read")

    every = [source for app in apps for source in spec_sources(spec, app)]
    if policy.get("scope") == "prefix":
        # One policy serves every mount: the prefix is opened in each.
        for mount in versions:
            folder(policy["prefix"], mount)
            if any((s.kind == "metadata" or s.tags) and s.mount == mount for s in every):
                metadata_under(policy["prefix"], mount)
    else:
        for source in every:
            mount, version = source.mount, versions[source.mount]
            if source.kind == "find":
                folder(source.path, mount)
                if source.tags:
                    metadata_under(source.path, mount)
            elif source.kind == "metadata":
                grant(f"{mount}/metadata/{source.path}", "read")
            else:
                # A versioned read (?version=N) is a read of the same path.
                grant(f"{mount}/data/{source.path}" if version == 2 else f"{mount}/{source.path}", "read")
    # Credentials carry no default policy: the token self-paths ESO calls (lookup-self to check
    # the store; revoke-self when it logged in), and renew-self for the renewal CronJob.
    grant("auth/token/lookup-self", "read")
    if "token" in spec["vault"]["auth"]:
        grant("auth/token/renew-self", "update")
    else:
        grant("auth/token/revoke-self", "update")
    return rules
