"""Import never grants more than its input policy: checked on OpenBao, not only by Keyway's model.

The guide's manifests are imported with input policies that deny, or grant only part of, what the
guide's ExternalSecret reads. Where import prints a spec, the policy it compiles to is written to a
live OpenBao next to the input policy, and for every path either names (and a path below each
folder) OpenBao's `sys/capabilities` of a token of the compiled policy must be a subset of a token
of the input policy's. Where import refuses (KW171), OpenBao confirms that the input policy indeed
does not let that token read what the spec would read.
"""

import shutil
import subprocess

import pytest

from conftest import COMPILE, ROOT
from test_vault_live import call, openbao

GUIDE = ROOT / "Tests" / "fixtures" / "guide"
METADATA = 'path "kv/metadata/dev/" {\n  capabilities = ["list"]\n}\npath "kv/metadata/dev/*" {\n  capabilities = ["list"]\n}\n'
ESO_READ = "kv/data/dev/apps/statis/api"
# Vault's default policy grants these to the input's token; Keyway's credential has them in its own policy.
SELF_PATHS = {"auth/token/lookup-self", "auth/token/renew-self", "auth/token/revoke-self"}

CASES = {
    "deny-inside": (
        'path "kv/data/dev/*" {\n  capabilities = ["read"]\n}\n'
        'path "kv/data/dev/admin" {\n  capabilities = ["read", "deny"]\n}\n' + METADATA,
        True,
    ),
    "deny-sibling-prefix": (
        'path "kv/data/dev/*" {\n  capabilities = ["read"]\n}\n'
        'path "kv/data/dev/adm*" {\n  capabilities = ["deny"]\n}\n' + METADATA,
        True,
    ),
    "deny-folder": ('path "kv/data/dev/*" {\n  capabilities = ["deny"]\n}\n' + METADATA, False),
    "list-only-inside": (
        'path "kv/data/dev/*" {\n  capabilities = ["read"]\n}\n'
        'path "kv/data/dev/apps/*" {\n  capabilities = ["list"]\n}\n' + METADATA,
        False,
    ),
    "the-guide": ((GUIDE / "external-secrets-access.hcl").read_text(), True),
}


def rules(hcl):
    return [line.split('"')[1] for line in hcl.splitlines() if line.startswith("path ")]


def probes(*policies):
    paths = {ESO_READ, "kv/data/dev/admin", "kv/data/dev/admin2", "kv/data/dev/other", "kv/metadata/dev/"}
    for policy in policies:
        for path in rules(policy):
            paths.add(path.rstrip("*"))
            if path.endswith("*"):
                paths.add(path.rstrip("*") + "zz/probe")
    return sorted(path for path in paths if path not in SELF_PATHS)


def token_for(addr, root, name, hcl):
    assert call(addr, root, "PUT", f"sys/policies/acl/{name}", {"policy": hcl})[0] in (200, 204)
    status, body = call(addr, root, "POST", "auth/token/create", {"policies": [name], "no_default_policy": True})
    assert status == 200, body
    return body["auth"]["client_token"]


def capabilities(addr, root, token, path):
    status, body = call(addr, root, "POST", "sys/capabilities", {"token": token, "paths": [path]})
    assert status == 200, body
    return set(body[path]) - {"deny"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_import_never_widens_the_input_policy_on_openbao(tmp_path, case):
    policy, imports = CASES[case]
    inputs = []
    for name in ["clustersecretstore.yaml", "externalsecret.yaml", "deployment.yaml", "commands.sh"]:
        shutil.copy(GUIDE / name, tmp_path / name)
        inputs.append(tmp_path / name)
    (tmp_path / "external-secrets-access.hcl").write_text(policy)
    inputs.append(tmp_path / "external-secrets-access.hcl")
    result = subprocess.run([str(COMPILE), "import", *map(str, inputs)], capture_output=True, text=True)
    with openbao() as (addr, root):
        given = token_for(addr, root, "input", policy)
        if not imports:
            assert result.returncode == 1 and result.stdout == "", result.stderr
            assert "[KW171]" in result.stderr and ESO_READ in result.stderr, result.stderr
            # OpenBao agrees: the input policy does not let ESO read what the spec would read.
            assert "read" not in capabilities(addr, root, given, ESO_READ)
            return
        assert result.returncode == 0, result.stderr
        assert "[KW171]" not in result.stderr
        spec = tmp_path / "imported.yaml"
        spec.write_text(result.stdout)
        out = tmp_path / "out"
        compiled = subprocess.run([str(COMPILE), str(spec), "--out", str(out)], capture_output=True, text=True)
        assert compiled.returncode == 0, compiled.stderr
        written = next(out.rglob("external-secrets-access.hcl")).read_text()
        granted = token_for(addr, root, "compiled", written)
        assert "read" in capabilities(addr, root, granted, ESO_READ)
        for path in probes(policy, written):
            extra = capabilities(addr, root, granted, path) - capabilities(addr, root, given, path)
            assert not extra, f"{case}: the imported policy adds {sorted(extra)} on {path}"
