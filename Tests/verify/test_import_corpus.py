"""The import corpus, live: each folder of Tests/fixtures/import-corpus (fixtures written after
public repositories that run ESO with Vault) is imported, the imported spec is compiled, its
bootstrap script runs against a real OpenBao server, and every remote key each INPUT
ExternalSecret names is then read with the credential ESO would hold, as ESO reads it. A decoy
beside each path is denied: the imported policy grants the input's reads, no more."""

import subprocess
import time

import pytest
import yaml

from conftest import COMPILE, ROOT
from oracle import groups
from test_vault_live import call, credential_token, data_path, openbao, run_bootstrap, write

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


def remote_reads(external_secret):
    """(path, property) of each read the ExternalSecret makes; property None for a whole secret."""
    spec = external_secret["spec"]
    for item in spec.get("data") or []:
        yield item["remoteRef"]["key"], item["remoteRef"].get("property")
    for item in spec.get("dataFrom") or []:
        assert "extract" in item, "the corpus reads by data and extract"
        yield item["extract"]["key"], None


def write_when_ready(spec, addr, root, path, fields):
    """The first write to a fresh KV v2 mount waits for its upgrade (Vault answers 400 until then)."""
    for _ in range(50):
        body = {"data": fields} if spec["vault"]["kv"].get("version", 2) == 2 else fields
        if call(addr, root, "POST", data_path(spec, path), body)[0] in (200, 204):
            return
        time.sleep(0.1)
    write(spec, addr, root, path, fields)


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_imported_spec_reads_what_the_input_read(folder, tmp_path):
    spec, compiled = import_folder(folder, tmp_path)
    inputs = list(input_external_secrets(folder))
    assert inputs, "a corpus folder has ExternalSecrets"
    with openbao() as (addr, root):
        kv = spec["vault"]["kv"]
        call(addr, root, "DELETE", f"sys/mounts/{kv['mount']}")
        status, _ = call(addr, root, "POST", f"sys/mounts/{kv['mount']}",
                         {"type": "kv", "options": {"version": str(kv.get("version", 2))}})
        assert status in (200, 204)
        values = {}
        for _, external_secret in inputs:
            for path, prop in remote_reads(external_secret):
                values.setdefault(path, {"value": "v"}).update({prop: "p"} if prop else {})
        for path, fields in values.items():
            write_when_ready(spec, addr, root, path, fields)
            write(spec, addr, root, f"{path}-decoy", fields)
        applied = run_bootstrap(compiled, addr, root, tmp_path)
        for policy, namespace, _ in groups(spec):
            token = credential_token(spec, namespace, applied, addr, root, policy)
            for es_namespace, external_secret in inputs:
                if namespace is not None and es_namespace != namespace:
                    continue
                for path, prop in remote_reads(external_secret):
                    status, body = call(addr, token, "GET", data_path(spec, path))
                    assert status == 200, f"{external_secret['metadata']['name']}: GET {path} is {status}"
                    data = body["data"]["data"] if kv.get("version", 2) == 2 else body["data"]
                    if prop:
                        assert data[prop] == "p"
                    assert call(addr, token, "GET", data_path(spec, f"{path}-decoy"))[0] == 403
