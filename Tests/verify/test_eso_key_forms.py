"""Every remote key form ESO accepts (relative, MOUNT/, MOUNT/data/, a leading '/') with every read
kind (data[].remoteRef with property and version, metadataPolicy: Fetch, dataFrom.extract,
dataFrom.find by path, name and tags), on KV v2 (specs/eso-forms.yaml) and KV v1
(specs/eso-forms-v1.yaml), against a live OpenBao.

ESO is played from the GENERATED objects: the store's path and version, each ExternalSecret's keys
as Keyway wrote them; every request ESO's Vault provider makes is computed by the oracle's own
port of ESO's Go rules (oracle.eso_request, independent of the Swift one) and made with the
credential the generated bootstrap script issued: each is allowed. Their neighbours (the key
taken literally below the mount, siblings, a folder beside a find) are denied. `explain --format
json` lists exactly the paths the oracle says ESO reads, in order."""

import json
import subprocess

import pytest

from conftest import COMPILE, ROOT, objects
from oracle import eso_request
from test_vault_live import call, credential_token, openbao, run_bootstrap

SPECS = [ROOT / "specs" / "eso-forms.yaml", ROOT / "specs" / "eso-forms-v1.yaml"]


def store_of(folder):
    """(mount, KV version) as the generated store gives them to ESO."""
    stores = [obj for _, obj in objects(folder) if obj["kind"] in ("ClusterSecretStore", "SecretStore")]
    vault = stores[0]["spec"]["provider"]["vault"]
    return vault["path"], int(vault["version"].lstrip("v"))


class ESO:
    """The requests ESO's Vault provider makes for one ExternalSecret (client_get.go,
    client_get_all_secrets.go), each as (method, API path, query)."""

    def __init__(self, mount, version):
        self.mount, self.version = mount, version

    def data(self, key):
        return eso_request(key, "data", self.mount, self.version)

    def metadata(self, key):
        return eso_request(key, "metadata", self.mount, self.version)

    def remote_ref(self, ref):
        """GetSecret: metadataPolicy Fetch reads the metadata, else the data (?version=N)."""
        if ref.get("metadataPolicy") == "Fetch":
            return [("GET", self.metadata(ref["key"]), "")]
        query = f"?version={ref['version']}" if ref.get("version") else ""
        return [("GET", self.data(ref["key"]), query)]

    def find(self, find, addr, token):
        """GetAllSecrets: LIST PATH/ recursively (through buildMetadataPath), then per candidate
        its metadata (by tags) and its data (GetSecret with the candidate's full name)."""
        requests = []
        candidates = []

        def walk(prefix):
            path = self.metadata(prefix)
            requests.append(("LIST", path, ""))
            status, body = call(addr, token, "LIST", path)
            assert status == 200, f"LIST {path}: {status}"
            for name in body["data"]["keys"]:
                full = prefix + name if prefix else name
                if name.endswith("/"):
                    walk(full)
                else:
                    candidates.append(full)

        walk(find["path"] + "/" if find.get("path") else "")
        assert candidates, f"find {find} found nothing"
        for name in candidates:
            if find.get("tags"):
                requests.append(("GET", self.metadata(name), ""))
            requests.append(("GET", self.data(name), ""))
        return requests


def seed(addr, root, mount, version, folder):
    """The KV mount, a secret at every path ESO reads, two below every folder a find lists."""
    call(addr, root, "DELETE", f"sys/mounts/{mount}")
    status, _ = call(addr, root, "POST", f"sys/mounts/{mount}", {"type": "kv", "options": {"version": str(version)}})
    assert status in (200, 204)
    eso = ESO(mount, version)
    values = {"password": "p4ss", "owner": "team"}

    def write(api_path):
        body = {"data": values} if version == 2 else values
        status, _ = call(addr, root, "POST", api_path, body)
        assert status in (200, 204), f"seeding {api_path}: {status}"
        if version == 2:
            relative = api_path[len(f"{mount}/data/"):]
            meta = {"custom_metadata": {"team": "web"}}
            assert call(addr, root, "POST", f"{mount}/metadata/{relative}", meta)[0] in (200, 204)

    for _, obj in objects(folder):
        if obj["kind"] != "ExternalSecret":
            continue
        spec = obj["spec"]
        for item in spec.get("data", []):
            ref = item["remoteRef"]
            write(eso.data(ref["key"]))
            if ref.get("version"):
                for _ in range(int(ref["version"])):
                    write(eso.data(ref["key"]))
        for item in spec.get("dataFrom", []):
            if "extract" in item:
                for _ in range(int(item["extract"].get("version", 1))):
                    write(eso.data(item["extract"]["key"]))
            if "find" in item:
                # What GetAllSecrets reads for a candidate 'PATH/NAME' is eso.data of that name.
                path = item["find"]["path"]
                for leaf in ("db-feature-a", "nested/db-feature-b"):
                    write(eso.data(f"{path}/{leaf}"))


def neighbours(eso, mount, version, key):
    """Paths ESO does not request for KEY: the key taken literally below the mount (what a
    policy reading keys as relative would grant), a sibling, and the data root's decoy."""
    literal = key.lstrip("/")
    root = f"{mount}/data" if version == 2 else mount
    found = {f"{root}/{literal}", eso.data(key) + "-decoy", f"{root}/zz-other/decoy"}
    return found - {eso.data(key)}


def explain(spec_path):
    result = subprocess.run([str(COMPILE), "explain", str(spec_path), "--format", "json"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("spec_path", SPECS, ids=lambda p: p.name)
def test_every_key_form_reads_where_eso_reads(rendered, spec_path, tmp_path):
    folder, spec = rendered[spec_path]
    mount, version = store_of(folder)
    eso = ESO(mount, version)
    externals = [obj for _, obj in objects(folder) if obj["kind"] == "ExternalSecret"]
    written = [item["remoteRef"]["key"] for obj in externals for item in obj["spec"].get("data", [])]
    assert any(key.startswith("/") for key in written) and any(key.startswith(mount + "/") for key in written)
    assert any(not key.startswith(("/", mount + "/")) for key in written), "relative, MOUNT/ and leading-/ keys"
    with openbao() as (addr, root):
        seed(addr, root, mount, version, folder)
        applied = run_bootstrap(folder, addr, root, tmp_path)
        policy = spec["vault"].get("policy", {}).get("name", f"keyway-{spec['metadata']['name']}")
        token = credential_token(spec, None, applied, addr, root, policy)
        expected_reads = []
        for obj in externals:
            requests = []
            for item in obj["spec"].get("data", []):
                requests += eso.remote_ref(item["remoteRef"])
                if item["remoteRef"].get("metadataPolicy") != "Fetch":
                    for path in neighbours(eso, mount, version, item["remoteRef"]["key"]):
                        assert call(addr, token, "GET", path)[0] == 403, f"neighbour {path} of {item['remoteRef']['key']} is readable"
            for item in obj["spec"].get("dataFrom", []):
                if "extract" in item:
                    requests += eso.remote_ref(item["extract"])
                    for path in neighbours(eso, mount, version, item["extract"]["key"]):
                        assert call(addr, token, "GET", path)[0] == 403, f"neighbour {path} is readable"
                if "find" in item:
                    requests += eso.find(item["find"], addr, token)
                    beside = eso.metadata(item["find"]["path"] + "-decoy/")
                    assert call(addr, token, "LIST", beside)[0] == 403, f"LIST {beside} is allowed"
            for method, path, query in requests:
                status, body = call(addr, token, method, path + query)
                assert status == 200, f"{obj['metadata']['name']}: {method} {path}{query}: {status}"
                if query:
                    assert body["data"]["metadata"]["version"] == int(query.split("=")[1])
            expected_reads += reads_of(obj, mount, version)
        explained = explain(spec_path)["namespaces"]
        (namespace,) = explained
        reads = explained[namespace]["reads"]
        assert len(reads) == len(set(reads)) and set(reads) == set(expected_reads), "explain lists where ESO reads"
        assert explained[namespace]["canRead"] == explained[namespace]["reads"]


def reads_of(obj, mount, version):
    """What explain must list for an ExternalSecret, from the oracle alone: each key where ESO
    reads it relative to the root of its kind, a find's listed folder with a trailing '/'."""
    data_root = f"{mount}/data/" if version == 2 else f"{mount}/"
    meta_root = f"{mount}/metadata/" if version == 2 else f"{mount}/"
    found = []
    for item in obj["spec"].get("data", []):
        ref = item["remoteRef"]
        if ref.get("metadataPolicy") == "Fetch":
            found.append(eso_request(ref["key"], "metadata", mount, version)[len(meta_root):])
        else:
            found.append(eso_request(ref["key"], "data", mount, version)[len(data_root):])
    for item in obj["spec"].get("dataFrom", []):
        if "extract" in item:
            found.append(eso_request(item["extract"]["key"], "data", mount, version)[len(data_root):])
        if "find" in item:
            found.append(eso_request(item["find"]["path"] + "/", "metadata", mount, version)[len(meta_root):] + "/")
    return found
