"""The import corpus, live: each folder of Tests/fixtures/import-corpus (fixtures written after
public repositories that run ESO with Vault) is imported, the imported spec is compiled, its
bootstrap script runs against a real OpenBao server, and every remote key each INPUT
ExternalSecret names is then read with the credential ESO would hold, at the API path ESO's rule
gives it on the INPUT store's mount (oracle.eso_request: a key written with its mount, `secret/foo`,
a store without a path). A decoy beside each path is denied: the imported policy grants the
input's reads, no more."""

import subprocess
import time

import pytest
import yaml

from conftest import COMPILE, ROOT
from oracle import eso_request, groups, mounts
from test_vault_enterprise import Issuer
from test_vault_live import call, credential_token, openbao, run_bootstrap
from test_vault_shapes import jwt_credential

CORPUS = ROOT / "Tests" / "fixtures" / "import-corpus"
FOLDERS = sorted(path for path in CORPUS.iterdir() if path.is_dir())


def namespace_of(folder):
    given = folder / "import-namespace"
    return given.read_text().strip() if given.exists() else None


def import_folder(folder, tmp_path):
    """The imported spec (as a dict) and its compiled folder."""
    files = sorted(str(path) for path in folder.iterdir() if path.name != "import-namespace")
    arguments = [str(COMPILE), "import", *files, "--name", folder.name]
    if namespace_of(folder):
        arguments += ["--namespace", namespace_of(folder)]
    result = subprocess.run(arguments, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(result.stdout)
    out = tmp_path / "out"
    built = subprocess.run([str(COMPILE), str(spec_path), "--out", str(out)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    return yaml.safe_load(result.stdout), out / folder.name


def input_external_secrets(folder):
    """(namespace, ExternalSecret) of every input ExternalSecret, the folder's namespace where it names none."""
    for path in sorted(folder.glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text()):
            if document and document.get("kind") == "ExternalSecret":
                namespace = document["metadata"].get("namespace") or namespace_of(folder) or "default"
                yield namespace, document


def input_stores(folder):
    """{(kind, namespace or None, name): (mount or None, version)} of the input Vault stores."""
    stores = {}
    for path in sorted(folder.glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text()):
            if document and document.get("kind") in ("ClusterSecretStore", "SecretStore"):
                vault = document["spec"]["provider"]["vault"]
                namespace = None
                if document["kind"] == "SecretStore":
                    namespace = document["metadata"].get("namespace") or namespace_of(folder) or "default"
                version = int(str(vault.get("version", "v2")).lstrip("v"))
                stores[(document["kind"], namespace, document["metadata"]["name"])] = (vault.get("path"), version)
    return stores


def remote_reads(namespace, external_secret, stores):
    """(API path, property, version) of each read the ExternalSecret makes, by ESO's rule on the
    mount of the store it references; property None for a whole secret."""
    spec = external_secret["spec"]
    ref = spec["secretStoreRef"]
    kind = ref.get("kind", "SecretStore")
    mount, version = stores[(kind, namespace if kind == "SecretStore" else None, ref["name"])]
    for item in spec.get("data") or []:
        assert item["remoteRef"].get("metadataPolicy") != "Fetch", "the corpus reads data"
        yield eso_request(item["remoteRef"]["key"], "data", mount, version), item["remoteRef"].get("property"), version
    for item in spec.get("dataFrom") or []:
        assert "extract" in item, "the corpus reads by data and extract"
        yield eso_request(item["extract"]["key"], "data", mount, version), None, version


def write_when_ready(addr, root, api_path, fields, version):
    """The first write to a fresh KV v2 mount waits for its upgrade (Vault answers 400 until then)."""
    body = {"data": fields} if version == 2 else fields
    for _ in range(50):
        status, _ = call(addr, root, "POST", api_path, body)
        if status in (200, 204):
            return
        time.sleep(0.1)
    raise AssertionError(f"writing {api_path}: {status}")


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_imported_spec_reads_what_the_input_read(folder, tmp_path):
    spec, compiled = import_folder(folder, tmp_path)
    inputs = list(input_external_secrets(folder))
    stores = input_stores(folder)
    assert inputs, "a corpus folder has ExternalSecrets"
    with openbao() as (addr, root):
        for mount, version in mounts(spec).items():
            call(addr, root, "DELETE", f"sys/mounts/{mount}")
            status, _ = call(addr, root, "POST", f"sys/mounts/{mount}",
                             {"type": "kv", "options": {"version": str(version)}})
            assert status in (200, 204)
        values = {}
        for namespace, external_secret in inputs:
            for api_path, prop, version in remote_reads(namespace, external_secret, stores):
                values.setdefault((api_path, version), {"value": "v"}).update({prop: "p"} if prop else {})
        for (api_path, version), fields in values.items():
            write_when_ready(addr, root, api_path, fields, version)
            write_when_ready(addr, root, f"{api_path}-decoy", fields, version)
        issuer = Issuer(tmp_path)
        jwt_auth = "jwt" in spec["vault"]["auth"]
        env = {"JWT_VALIDATION_PUBKEYS": str(issuer.public)} if jwt_auth else None
        applied = run_bootstrap(compiled, addr, root, tmp_path, extra_env=env)
        for policy, namespace, _ in groups(spec):
            if jwt_auth:
                token = jwt_credential(spec, namespace, addr, issuer, policy)
            else:
                token = credential_token(spec, namespace, applied, addr, root, policy)
            for es_namespace, external_secret in inputs:
                if namespace is not None and es_namespace != namespace:
                    continue
                for api_path, prop, version in remote_reads(es_namespace, external_secret, stores):
                    status, body = call(addr, token, "GET", api_path)
                    assert status == 200, f"{external_secret['metadata']['name']}: GET {api_path} is {status}"
                    data = body["data"]["data"] if version == 2 else body["data"]
                    if prop:
                        assert data[prop] == "p"
                    assert call(addr, token, "GET", f"{api_path}-decoy")[0] == 403
