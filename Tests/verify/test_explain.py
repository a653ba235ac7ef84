"""`compile explain` against a live OpenBao: for every spec, each namespace's credential, issued
by the real bootstrap script, can read a referenced path exactly when explain lists it in
`canRead`, and a decoy beside it exactly when it lies under a `canReadUnder` folder. Explain never
lies in either direction."""

import json
import posixpath
import subprocess

import pytest

from conftest import COMPILE
from oracle import mounts, spec_sources
from test_vault_live import LIVE_SPECS, call, credential_token, data_path, openbao, run_bootstrap, seed


def explain(spec_path):
    result = subprocess.run([str(COMPILE), "explain", str(spec_path), "--format", "json"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def qualified(spec, mount, path):
    """A path as explain names it: 'MOUNT:PATH' when the spec has several KV mounts."""
    return f"{mount}:{path}" if len(mounts(spec)) > 1 else path


def split(spec, item):
    """(mount, path) of an item explain lists: its 'MOUNT:' with several mounts, else the one mount."""
    if len(mounts(spec)) > 1:
        mount, _, path = item.partition(":")
        assert mount in mounts(spec), f"{item} names no mount of the spec"
        return mount, path
    return next(iter(mounts(spec))), item


def references(spec, apps):
    """What the apps' ExternalSecrets reference, where ESO reads it (oracle.spec_sources),
    relative to its mount (named with several): a folder ends in '/', the whole mount is '/'."""
    found = []
    for app in apps:
        for source in spec_sources(spec, app):
            item = qualified(spec, source.mount, (source.path or "") + "/" if source.kind == "find" else source.path)
            if item not in found:
                found.append(item)
    return found


def metadata_reads(spec, apps):
    """The items whose KV v2 metadata (not data) ESO reads: keys with metadataPolicy: Fetch."""
    return {qualified(spec, source.mount, source.path) for app in apps for source in spec_sources(spec, app)
            if source.kind == "metadata"}


def below(folder):
    """A folder as explain writes it ('dev/', '/' for the whole mount, 'MOUNT:' before either
    with several mounts) as a prefix of the items below it."""
    if folder == "/":
        return ""
    return folder[:-1] if folder.endswith(":/") else folder


def readable(spec, addr, token, item, metadata=False):
    """Whether the token may read the secret ITEM names in its mount (its metadata when asked):
    200 or 404 (allowed), 403 (denied)."""
    mount, path = split(spec, item)
    status, _ = call(addr, token, "GET", f"{mount}/metadata/{path}" if metadata else data_path(spec, path, mount))
    assert status in (200, 403, 404), f"GET {item}: {status}"
    return status != 403


def reads_whole(spec, addr, token, folder):
    """A folder is read whole when every secret find sees in it (and one more) is readable."""
    probes = [f"{below(folder)}{name}" for name in ("feature-a", "nested/feature-b", "zz-probe/deeper")]
    return all(readable(spec, addr, token, probe) for probe in probes)


def decoys(spec, own, others, folders):
    """Paths nobody references: a sibling of each reference, a path in each folder another
    namespace reads from, one inside each folder explain says is open, and one far away (in
    each mount)."""
    found = [qualified(spec, mount, "zz-other/decoy") for mount in mounts(spec)]
    for item in own + others:
        found.append(item.rstrip("/") + "-decoy")
    for item in others:
        mount, path = split(spec, item)
        found.append(qualified(spec, mount, posixpath.join(posixpath.dirname(path.rstrip("/")), "zz-neighbour-decoy")))
    for folder in folders:
        found.append(f"{below(folder)}zz-inside/decoy")
    referenced = {item.rstrip("/") for item in own + others}
    return [path for path in dict.fromkeys(found) if path not in referenced]


# The specs in a Vault namespace over TLS (enterprise, airgap) need the TLS server of
# test_vault_enterprise.py, which proves their policies' reads; here every other spec.
@pytest.mark.parametrize("spec_path", LIVE_SPECS, ids=lambda p: p.name)
def test_explain_agrees_with_openbao(rendered, spec_path, tmp_path):
    folder, spec = rendered[spec_path]
    explained = explain(spec_path)
    assert explained["environment"] == spec["metadata"]["name"]
    namespaces = explained["namespaces"]
    apps_of = {}
    for app in spec["apps"].values():
        apps_of.setdefault(app["namespace"], []).append(app)
    # A ClusterSecretStore with allNamespaces serves every namespace: explain adds '*' for them.
    open_to_all = (spec.get("secretStore") or {}).get("allNamespaces") is True
    assert list(namespaces) == list(apps_of) + (["*"] if open_to_all else []), "one entry per app namespace, in spec order"
    if open_to_all:
        assert namespaces["*"]["reads"] == [] and namespaces["*"]["canRead"] == namespaces[next(iter(apps_of))]["canRead"]
        apps_of["*"] = []
    everything = references(spec, list(spec["apps"].values()))
    fetched = metadata_reads(spec, list(spec["apps"].values()))
    with openbao() as (addr, root):
        seed(spec, addr, root)
        applied = run_bootstrap(folder, addr, root, tmp_path)
        for namespace, access in namespaces.items():
            assert access["reads"] == references(spec, apps_of[namespace])
            assert set(access["canRead"]) >= set(access["reads"]), "a namespace cannot read its own secrets"
            store_namespace = namespace if access["store"].startswith("SecretStore/") else None
            token = credential_token(spec, store_namespace, applied, addr, root, access["policy"])
            for item in everything:
                if item.endswith("/"):
                    live = reads_whole(spec, addr, token, item)
                else:
                    live = readable(spec, addr, token, item, metadata=item in fetched)
                assert live == (item in access["canRead"]), f"{namespace}: {item} readable={live}, explain says {item in access['canRead']}"
            others = [item for item in everything if item not in access["reads"]]
            for path in decoys(spec, access["reads"], others, access["canReadUnder"]):
                under = any(path.startswith(below(folder)) for folder in access["canReadUnder"])
                assert readable(spec, addr, token, path) == under, f"{namespace}: decoy {path}, explain says under a folder: {under}"
            for folder in access["canReadUnder"]:
                assert folder.endswith("/") and reads_whole(spec, addr, token, folder), f"{namespace}: {folder} is not read whole"
