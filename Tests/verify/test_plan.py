"""`compile plan` against a real OpenBao: a fresh Vault plans every object the bootstrap script
writes as created; after the script, nothing; after a hand edit of a policy or a role, exactly that
edit; a token holding only vault/keyway-plan.hcl can plan, others get a clear error. Over TLS with
the spec's own CA and inside a Vault namespace too."""

import json
import os
import pathlib
import re
import subprocess

import pytest

from conftest import COMPILE
from oracle import first_mount, mounts
from test_vault_enterprise import Issuer, call, create_namespace, openbao_tls, with_ca
from test_vault_enterprise import seed as seed_namespaced
from test_vault_live import cluster_ca, free_port, openbao, run_bootstrap, seed
from test_vault_security import example, render

PLAIN = ["dev", "staging", "prod", "qa", "sandbox", "review", "lab", "edge", "homelab", "tenants"]


def plan(spec_file, addr, token, env=None, args=("--format", "json", "--detailed-exitcode")):
    """Runs `compile plan`; returns (exit status, parsed JSON or None, stderr)."""
    full = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "VAULT_ADDR": addr, "VAULT_TOKEN": token, **(env or {})}
    result = subprocess.run([str(COMPILE), "plan", str(spec_file), *args], env=full, capture_output=True, text=True)
    parsed = json.loads(result.stdout) if result.stdout and "json" in args else None
    if result.returncode == 1:
        assert result.stdout == "", "an error printed a plan"
    return result.returncode, parsed, result.stderr


def written_objects(folder):
    """(kind, path) of every policy and role the rendered bootstrap script writes, read from the
    script and the policy files (not from plan), plus the auth mount it enables."""
    script = (folder / "vault" / "bootstrap.sh").read_text()
    objects = {("policy", f"sys/policies/acl/{m}") for m in re.findall(r"vault policy write '?([^' ]+)'? ", script)}
    objects |= {("role", m) for m in re.findall(r"vault write '?(auth/[^' ]+/role/[^' ]+)'? -$", script, re.M)}
    objects |= {("user", m) for m in re.findall(r"vault write '?(auth/[^' ]+/users/[^' ]+)'? -$", script, re.M)}
    objects |= {("auth-mount", f"sys/mounts/auth/{m}") for m in re.findall(r"vault auth enable '?-path=([^' ]+)'?", script)}
    files = {p.stem for p in (folder / "vault").glob("*.hcl")} - {"keyway-plan"}
    assert {path.rsplit("/", 1)[1] for kind, path in objects if kind == "policy"} == files
    return objects


def edit_policy(addr, root, name, namespace=None, ca=None):
    """A hand edit: one more rule in the live policy, which the script's policy does not have."""
    status, body = call(addr, root, "GET", f"sys/policies/acl/{name}", namespace=namespace, ca=ca)
    assert status == 200
    text = body["data"]["policy"] + '\npath "kv/data/hand-edit/*" {\n  capabilities = ["read", "list"]\n}\n'
    status, _ = call(addr, root, "POST", f"sys/policies/acl/{name}", {"policy": text}, namespace=namespace, ca=ca)
    assert status in (200, 204)


def edit_role(addr, root, path, namespace=None, ca=None):
    """A hand edit: the default policy added to a role's token policies; returns the policies written."""
    status, body = call(addr, root, "GET", path, namespace=namespace, ca=ca)
    assert status == 200
    policies = body["data"]["token_policies"] + ["default"]
    edit = {"token_policies": policies}
    if "user_claim" in body["data"]:  # a JWT role is rewritten whole: its type and claim again
        edit |= {key: body["data"][key] for key in ("role_type", "user_claim", "bound_audiences", "bound_subject")}
    status, _ = call(addr, root, "POST", path, edit, namespace=namespace, ca=ca)
    assert status in (200, 204)
    return policies


def token_with(addr, root, policies, namespace=None, ca=None, hcl=None):
    """A token with exactly `policies` (the default policy only if named); `hcl` is written first as the first one."""
    if hcl is not None:
        status, _ = call(addr, root, "POST", f"sys/policies/acl/{policies[0]}", {"policy": hcl}, namespace=namespace, ca=ca)
        assert status in (200, 204)
    status, body = call(addr, root, "POST", "auth/token/create", {"policies": policies, "no_default_policy": "default" not in policies}, namespace=namespace, ca=ca)
    assert status == 200
    return body["auth"]["client_token"]


def check_edits(spec_file, folder, addr, root, env, namespace=None, ca=None):
    """A policy edit and a role edit each show exactly themselves, exit 2; then the read-only token."""
    objects = written_objects(folder)
    policy = sorted(path for kind, path in objects if kind == "policy")[0]
    edit_policy(addr, root, policy.rsplit("/", 1)[1], namespace, ca)
    status, result, stderr = plan(spec_file, addr, root, env)
    assert status == 2, stderr
    assert result["changes"] == [{
        "action": "update", "kind": "policy", "path": policy,
        "fields": {"kv/data/hand-edit/*": {"from": ["read", "list"], "to": None}},
        "notes": ["narrows a live policy: 'kv/data/hand-edit/*' loses read, list"],
    }]
    roles = sorted(path for kind, path in objects if kind in ("role", "user") and not path.endswith("/role-id"))
    if roles:
        policies = edit_role(addr, root, roles[0], namespace, ca)
        status, result, stderr = plan(spec_file, addr, root, env)
        assert status == 2, stderr
        assert {
            "action": "update", "kind": next(kind for kind, path in objects if path == roles[0]), "path": roles[0],
            "fields": {"token_policies": {"from": policies, "to": policies[:-1]}}, "notes": [],
        } in result["changes"]
        assert len(result["changes"]) == 2
    # Without --detailed-exitcode changes exit 0; the text names the edit.
    status, _, _ = plan(spec_file, addr, root, env, args=())
    assert status == 0
    # A token holding only keyway-plan.hcl plans the same; one without it gets a clear error.
    reader = token_with(addr, root, ["keyway-plan"], namespace, ca, (folder / "vault" / "keyway-plan.hcl").read_text())
    assert plan(spec_file, addr, reader, env)[:2] == (2, result)
    other = token_with(addr, root, ["default"], namespace, ca)
    status, _, stderr = plan(spec_file, addr, other, env)
    assert status == 1 and "error: the token may not read 'sys/mounts/" in stderr and "vault/keyway-plan.hcl" in stderr, stderr
    status, _, stderr = plan(spec_file, addr, "not-a-token", env)
    assert status == 1 and "error: Vault refused VAULT_TOKEN (403" in stderr, stderr


@pytest.mark.parametrize("name", PLAIN)
def test_plan_fresh_then_bootstrapped_then_hand_edits(tmp_path, name):
    folder, spec = render(tmp_path, example(name))
    spec_file = tmp_path / "spec.yaml"
    # The same operator settings the script reads for an auth mount's config.
    env = {"KUBERNETES_HOST": "https://127.0.0.1:6443", "KUBERNETES_CA_CERT": str(cluster_ca(tmp_path))}
    with openbao() as (addr, root):
        for mount in mounts(spec):
            call(addr, root, "DELETE", f"sys/mounts/{mount}")
        status, result, stderr = plan(spec_file, addr, root, env)
        assert status == 2, stderr
        assert all(change["action"] == "create" for change in result["changes"])
        assert all(field["from"] is None for change in result["changes"] for field in change["fields"].values())
        planned = {(change["kind"], change["path"]) for change in result["changes"]}
        kv = {("kv-mount", f"sys/mounts/{mount}") for mount in mounts(spec)}
        assert planned - kv - {(k, p) for k, p in planned if p.endswith("/config")} == written_objects(folder)
        assert kv <= planned
        assert all(credential["present"] in (False, None) for credential in result["credentials"])

        seed(spec, addr, root)
        run_bootstrap(folder, addr, root, tmp_path)
        status, result, stderr = plan(spec_file, addr, root, env)
        assert (status, result["changes"]) == (0, []), result
        # The roles ESO logs in through, and an AppRole's fresh secret-id, are there now; a token
        # is known to Vault only by its accessor, in the cluster: plan cannot tell.
        token = "token" in spec["vault"]["auth"]  # userPass: the user exists; AppRole: a live secret-id
        assert [c["present"] for c in result["credentials"]] == [None if token else True] * len(result["credentials"])
        assert result["credentials"] and all(c["note"] for c in result["credentials"])
        status, _, _ = plan(spec_file, addr, root, env, args=())
        assert status == 0
        if spec["vault"]["auth"].get("kubernetes", {}).get("ownsMount"):
            check_owned_config(spec, spec_file, addr, root, env)
        check_edits(spec_file, folder, addr, root, env)


def check_owned_config(spec, spec_file, addr, root, env):
    """A mount the spec owns: an issuer set by hand is reset by the script's config write (Vault
    rebuilds the whole config from it), and plan says so; the config as the script writes it again."""
    path = f"auth/{spec['vault']['auth']['kubernetes'].get('mountPath', 'kubernetes')}/config"
    config = {"kubernetes_host": env["KUBERNETES_HOST"], "kubernetes_ca_cert": pathlib.Path(env["KUBERNETES_CA_CERT"]).read_text()}
    assert call(addr, root, "POST", path, {**config, "issuer": "https://by-hand"})[0] in (200, 204)
    status, result, stderr = plan(spec_file, addr, root, env)
    assert status == 2, stderr
    assert result["changes"] == [
        {"action": "update", "kind": "auth-mount", "path": path, "fields": {"issuer": {"from": "https://by-hand", "to": ""}}, "notes": []}
    ]
    assert call(addr, root, "POST", path, config)[0] in (200, 204)
    assert plan(spec_file, addr, root, env)[0] == 0


def test_plan_over_tls_with_the_spec_ca_inside_a_namespace(tmp_path):
    with openbao_tls(tmp_path) as (addr, root, ca):
        pem = ca.read_text()
        folder, spec = render(tmp_path, with_ca("enterprise", pem))
        spec_file = tmp_path / "spec.yaml"
        vault_ns = spec["vault"]["namespace"]
        create_namespace(addr, root, ca, vault_ns)
        issuer = Issuer(tmp_path)
        # The spec's own caBundle verifies the server: no VAULT_CACERT needed; VAULT_NAMESPACE is
        # overridden by the spec's namespace, as in the script.
        env = {"JWT_VALIDATION_PUBKEYS": str(issuer.public), "VAULT_NAMESPACE": "not-this-one"}
        call(addr, root, "DELETE", f"sys/mounts/{first_mount(spec)}", namespace=vault_ns, ca=ca)
        status, result, stderr = plan(spec_file, addr, root, env)
        assert status == 2, stderr
        assert {(c["kind"], c["path"]) for c in result["changes"] if not c["path"].endswith("/config")} - {
            ("kv-mount", f"sys/mounts/{first_mount(spec)}")} == written_objects(folder)

        seed_namespaced(spec, addr, root, ca, vault_ns, {"password": "p"})
        run_bootstrap(folder, addr, root, tmp_path, extra_env={"VAULT_CACERT": str(ca), **env})
        status, result, stderr = plan(spec_file, addr, root, env)
        assert (status, result["changes"]) == (0, []), (stderr, result)
        # Plain VAULT_CACERT works as well.
        assert plan(spec_file, addr, root, {**env, "VAULT_CACERT": str(ca)})[0] == 0
        check_edits(spec_file, folder, addr, root, env, vault_ns, ca)

        # The example's own CA did not sign this server: a TLS failure, exit 1, with the fix.
        render(tmp_path, example("enterprise"), name="other.yaml")
        status, _, stderr = plan(tmp_path / "other.yaml", addr, root, env)
        assert status == 1 and "error: cannot reach Vault at" in stderr and "VAULT_CACERT" in stderr, stderr


def test_plan_reports_an_unreachable_vault_and_a_missing_token(tmp_path):
    render(tmp_path, example("dev"))
    status, _, stderr = plan(tmp_path / "spec.yaml", f"http://127.0.0.1:{free_port()}", "t")
    assert status == 1 and "error: cannot reach Vault at http://127.0.0.1:" in stderr and "help: check VAULT_ADDR" in stderr, stderr
    status, _, stderr = plan(tmp_path / "spec.yaml", "http://127.0.0.1:1", "")
    assert status == 1 and "error: VAULT_TOKEN is not set" in stderr, stderr
