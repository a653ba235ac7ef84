"""Every spec's bootstrap script against a real OpenBao server, then every read ESO makes."""

import base64
import contextlib
import json
import os
import pathlib
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
import yaml

from conftest import SPECS, objects
from oracle import first_mount, groups, mounts, role_name, sources, spec_sources

HERE = pathlib.Path(__file__).resolve().parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(addr, token, method, path, body=None):
    request = urllib.request.Request(
        f"{addr}/v1/{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"X-Vault-Token": token},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
            return response.status, json.loads(text) if text else {}
    except urllib.error.HTTPError as error:
        return error.code, {}


@contextlib.contextmanager
def openbao():
    port = free_port()
    root = "root-" + secrets.token_hex(8)
    addr = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [shutil.which("bao"), "server", "-dev", f"-dev-listen-address=127.0.0.1:{port}", f"-dev-root-token-id={root}", "-dev-no-store-token"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 30
        while True:
            try:
                if call(addr, root, "GET", "sys/health")[0] == 200:
                    break
            except OSError:
                pass
            assert time.time() < deadline and server.poll() is None, "OpenBao did not start"
            time.sleep(0.1)
        yield addr, root
    finally:
        stop(server)


def stop(server):
    """Stops a server a test started: terminate, then kill if it lingers."""
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def go_seconds(text):
    units = {"h": 3600, "m": 60, "s": 1}
    return sum(float(n) * units[u] for n, u in re.findall(r"([0-9.]+)([hms])", text))


def data_path(spec, path, mount=None):
    mount = mount or first_mount(spec)
    return f"{mount}/data/{path}" if mounts(spec)[mount] == 2 else f"{mount}/{path}"


def list_path(spec, path, mount=None):
    mount = mount or first_mount(spec)
    return f"{mount}/metadata/{path}" if mounts(spec)[mount] == 2 else f"{mount}/{path}"


def write(spec, addr, root, path, values, mount=None):
    body = {"data": values} if mounts(spec)[mount or first_mount(spec)] == 2 else values
    status, _ = call(addr, root, "POST", data_path(spec, path, mount), body)
    assert status in (200, 204), f"writing {path}: {status}"


def under(path, name):
    """NAME below a folder, or at the mount's top for a find without a path."""
    return f"{path}/{name}" if path else name


def set_metadata(spec, addr, root, path, custom, mount=None):
    """KV v2 custom metadata: what a find by tags matches and metadataPolicy: Fetch returns."""
    status, _ = call(addr, root, "POST", f"{mount or first_mount(spec)}/metadata/{path}", {"custom_metadata": custom})
    assert status in (200, 204), f"writing metadata of {path}: {status}"


def seed(spec, addr, root):
    """Mounts KV as the spec says, writes every referenced path (as many versions as read, with
    the custom metadata read) and the decoys."""
    for mount, version in mounts(spec).items():
        call(addr, root, "DELETE", f"sys/mounts/{mount}")
        status, _ = call(addr, root, "POST", f"sys/mounts/{mount}", {"type": "kv", "options": {"version": str(version)}})
        assert status in (200, 204)
    values = {"password": "p4ss", "username": "user", "api-key": "k3y", "value": "v"}
    for app in spec["apps"].values():
        for source in spec_sources(spec, app):
            mount = source.mount
            if source.kind == "find":
                for leaf in (under(source.path, "feature-a"), under(source.path, "nested/feature-b")):
                    write(spec, addr, root, leaf, values, mount)
                    if source.tags:
                        set_metadata(spec, addr, root, leaf, source.tags, mount)
            else:
                for number in range(source.version or 1):
                    write(spec, addr, root, source.path, {**values, "written": str(number + 1)}, mount)
                if source.kind == "metadata":
                    set_metadata(spec, addr, root, source.path, {"owner": "team-a"}, mount)
            if source.path:
                # A decoy beside it in its own mount, and the same path in every other mount.
                write(spec, addr, root, f"{source.path}-decoy", values, mount)
                for other in mounts(spec):
                    if other != mount:
                        write(spec, addr, root, source.path, values, other)
    for mount in mounts(spec):
        write(spec, addr, root, "zz-other/decoy", values, mount)


def cluster_ca(tmp_path):
    """A throwaway CA standing in for the cluster's (KUBERNETES_CA_CERT)."""
    ca = tmp_path / "ca.crt"
    if not ca.exists():
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=keyway-test", "-days", "1",
             "-keyout", str(tmp_path / "ca.key"), "-out", str(ca)],
            check=True, capture_output=True,
        )
    return ca


def run_bootstrap(folder, addr, root, tmp_path, shell="sh", extra_env=None, expect_ok=True):
    shims = tmp_path / "shims"
    shims.mkdir(exist_ok=True)
    (shims / "vault").write_text(f'#!/bin/sh\nexec {shutil.which("bao")} "$@"\n')
    (shims / "kubectl").write_text(f'#!/bin/sh\nexec {sys.executable} {HERE / "kubectl_recorder.py"} "$@"\n')
    for shim in shims.iterdir():
        shim.chmod(0o755)
    record = tmp_path / "applied"
    ca = cluster_ca(tmp_path)
    env = {
        "PATH": f"{shims}:{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "VAULT_ADDR": addr,
        "VAULT_TOKEN": root,
        "KUBERNETES_HOST": "https://127.0.0.1:6443",
        "KUBERNETES_CA_CERT": str(ca),
        "KEYWAY_KUBECTL_RECORD": str(record),
        "KEYWAY_REAL_KUBECTL": shutil.which("kubectl"),
        **(extra_env or {}),
    }
    result = subprocess.run(shell.split() + [str(folder / "vault" / "bootstrap.sh")], env=env, capture_output=True, text=True, cwd=tmp_path)
    run_bootstrap.last = result
    if not expect_ok:
        return result
    assert result.returncode == 0, result.stderr
    return applied_secrets(record)


def applied_secrets(record):
    """{(namespace, name): {key: value}} of the Secrets the script applied, the last of each."""
    applied = {}
    for path in sorted(record.glob("*.yaml")) if record.exists() else []:
        secret = yaml.safe_load(path.read_text())
        data = {k: base64.b64decode(v).decode() for k, v in secret["data"].items()}
        applied[(secret["metadata"].get("namespace"), secret["metadata"]["name"])] = data
    return applied


def credential_token(spec, namespace, applied, addr, root, policy):
    """The token ESO would hold for one store, and what we know of how it was made."""
    auth = spec["vault"]["auth"]
    if "token" in auth:
        ref = auth["token"]["secretRef"]
        value = applied[(ref.get("namespace", namespace), ref["name"])][ref["key"]]
        assert not value.endswith("\n") and value == value.strip(), "the token Secret has trailing whitespace"
        return value
    if "userPass" in auth:
        # ESO's auth.userPass: the username from the store, the password from the Secret.
        user = auth["userPass"]
        ref = user["secretRef"]
        stored = applied[(ref.get("namespace", namespace), ref["name"])]
        assert list(stored) == [ref["key"]], "the userpass Secret holds more than the password"
        password = stored[ref["key"]]
        assert re.fullmatch(r"[0-9a-f]{64}", password), "the password is not 32 random bytes as hex"
        mount = user.get("mountPath", "userpass")
        username = role_name(spec, namespace)
        status, body = call(addr, "", "POST", f"auth/{mount}/login/{username}", {"password": password})
        assert status == 200, "userpass login with the stored password failed"
        assert body["auth"]["policies"] == [policy], "the userpass token carries more than Keyway's policy"
        return body["auth"]["client_token"]
    if "appRole" in auth:
        ref = auth["appRole"]["secretRef"]
        stored = applied[(ref.get("namespace", namespace), ref["name"])]
        if "roleId" in auth["appRole"]:
            # A fixed role_id: the store carries it inline, the Secret only the secret-id.
            assert list(stored) == [ref["key"]], "the AppRole Secret holds more than the secret-id"
            role_id = auth["appRole"]["roleId"]
        else:
            role_id = stored[auth["appRole"].get("roleIdKey", "role-id")]
        secret_id = stored[ref["key"]]
        assert not role_id.endswith("\n") and not secret_id.endswith("\n")
        mount = auth["appRole"].get("mountPath", "approle")
        status, body = call(addr, "", "POST", f"auth/{mount}/login", {"role_id": role_id, "secret_id": secret_id})
        assert status == 200, "AppRole login with the stored role-id and secret-id failed"
        assert body["auth"]["policies"] == [policy], "the AppRole token carries more than Keyway's policy"
        return body["auth"]["client_token"]
    # Kubernetes auth: no cluster here to sign a service account token, so check the role Vault
    # holds, then read with a token of exactly the role's policies.
    k8s = auth["kubernetes"]
    mount = k8s.get("mountPath", "kubernetes")
    role = role_name(spec, namespace)
    status, body = call(addr, root, "GET", f"auth/{mount}/role/{role}")
    assert status == 200, f"role {role} missing"
    data = body["data"]
    # Without serviceAccountRef ESO logs in as itself: the role is bound to the operator's account.
    operator = {"namespace": "external-secrets", "serviceAccount": "external-secrets", **(spec.get("operator") or {})}
    account = k8s.get("serviceAccountRef") or {"name": operator["serviceAccount"], "namespace": operator["namespace"]}
    assert data["bound_service_account_names"] == [account["name"]]
    assert data["bound_service_account_namespaces"] == [account.get("namespace", namespace)]
    assert data["token_policies"] == [policy]
    assert data["token_no_default_policy"] is True
    if "audience" in k8s:
        assert data["audience"] == k8s["audience"]
    status, body = call(addr, root, "POST", "auth/token/create", {"policies": data["token_policies"], "no_default_policy": True})
    return body["auth"]["client_token"]


def reads(spec, token, addr, apps, expect):
    """Reads what ESO reads for these apps; asserts each status is allowed or denied as expected."""
    data_read = {(s.mount, s.path) for app in apps for s in spec_sources(spec, app) if s.kind in ("key", "extract")}
    for app in apps:
        for source in spec_sources(spec, app):
            if source.kind == "find":
                read_find(spec, token, addr, source, expect)
            elif source.kind == "metadata":
                # metadataPolicy: Fetch: ESO reads MOUNT/metadata/PATH and never the data.
                status, body = call(addr, token, "GET", f"{source.mount}/metadata/{source.path}")
                assert (status == 200) == expect, f"GET metadata of {source.path}: {status}"
                if expect:
                    assert body["data"]["custom_metadata"] == {"owner": "team-a"}
                    if (source.mount, source.path) not in data_read:
                        assert call(addr, token, "GET", data_path(spec, source.path, source.mount))[0] == 403, "metadata fetch opened the data"
            else:
                suffix = f"?version={source.version}" if source.version else ""
                status, body = call(addr, token, "GET", data_path(spec, source.path, source.mount) + suffix)
                assert (status == 200) == expect, f"GET {source.path}{suffix}: {status}"
                if expect and source.version:
                    assert body["data"]["metadata"]["version"] == source.version
                    assert body["data"]["data"]["written"] == str(source.version)


def read_find(spec, token, addr, source, expect):
    """A find lists the folder recursively and reads each secret; by tags it first reads each
    candidate's metadata (GET MOUNT/metadata/PATH/NAME)."""
    mount = source.mount
    status, body = call(addr, token, "LIST", list_path(spec, source.path or "", mount))
    assert (status == 200) == expect, f"LIST {source.path}: {status}"
    if not expect:
        return
    assert "feature-a" in body["data"]["keys"] and "nested/" in body["data"]["keys"]
    status, _ = call(addr, token, "LIST", list_path(spec, under(source.path, "nested"), mount))
    assert status == 200, "find recurses into sub-folders"
    assert call(addr, token, "GET", data_path(spec, under(source.path, "nested/feature-b"), mount))[0] == 200
    for leaf in (under(source.path, "feature-a"), under(source.path, "nested/feature-b")):
        status, body = call(addr, token, "GET", f"{mount}/metadata/{leaf}")
        if source.tags:
            assert status == 200, f"find by tags cannot read the metadata of {leaf}: {status}"
            assert body["data"]["custom_metadata"] == source.tags
        elif (spec["vault"].get("policy") or {}).get("scope") != "prefix":
            assert status == 403, f"a find by name may list but not read metadata ({leaf}: {status})"


def plain_root_namespace(spec_path):
    """Specs this test runs: the root namespace and the login methods it knows. A Vault namespace
    or JWT auth runs over TLS, inside a namespace, in test_vault_enterprise.py; JWT auth with
    roles named per namespace (fleet) in test_vault_shapes.py."""
    vault = yaml.safe_load(spec_path.read_text())["vault"]
    return "namespace" not in vault and "jwt" not in vault["auth"]


LIVE_SPECS = [p for p in SPECS if plain_root_namespace(p)]


def test_the_live_specs_leave_out_only_what_test_vault_enterprise_runs():
    assert {p.name for p in SPECS} - {p.name for p in LIVE_SPECS} == {"enterprise.yaml", "airgap.yaml", "fleet.yaml"}


@pytest.mark.parametrize("spec_path", LIVE_SPECS, ids=lambda p: p.name)
def test_bootstrap_and_eso_reads_on_openbao(rendered, spec_path, tmp_path):
    folder, spec = rendered[spec_path]
    prefix = (spec["vault"].get("policy") or {}).get("prefix")
    with openbao() as (addr, root):
        seed(spec, addr, root)
        first = run_bootstrap(folder, addr, root, tmp_path)
        # Running it again is safe: it rotates token/appRole credentials and revokes the old ones.
        applied = run_bootstrap(folder, addr, root, tmp_path)
        all_groups = groups(spec)
        check_one_live_credential(spec, all_groups, first, applied, addr, root)
        for policy, namespace, apps in all_groups:
            token = credential_token(spec, namespace, applied, addr, root, policy)
            status, info = call(addr, token, "GET", "auth/token/lookup-self")
            assert status == 200, "ESO's store check (lookup-self) is denied"
            assert info["data"]["policies"] == [policy], "the credential carries Vault's default policy"
            assert call(addr, token, "GET", "cubbyhole/anything")[0] == 403
            assert call(addr, token, "POST", "sys/tools/random", {})[0] == 403
            reads(spec, token, addr, apps, expect=True)
            # Decoys: a sibling of every path, a path under another prefix (in every mount), and
            # the same path in the mounts the secret does not read; a find without a path opens
            # the whole mount, so there every decoy of that mount is readable.
            whole = {s.mount for app in apps for s in spec_sources(spec, app) if s.kind == "find" and s.path is None}
            for mount in mounts(spec):
                status = call(addr, token, "GET", data_path(spec, "zz-other/decoy", mount))[0]
                assert status == (200 if mount in whole else 403)
            for app in apps:
                for source in spec_sources(spec, app):
                    if not source.path:
                        continue
                    sibling = call(addr, token, "GET", data_path(spec, f"{source.path}-decoy", source.mount))[0]
                    inside_prefix = source.mount in whole or (
                        prefix is not None and f"{source.path}-decoy".startswith(prefix + "/"))
                    assert sibling == (200 if inside_prefix else 403), f"decoy {source.path}-decoy: {sibling}"
                    for other in mounts(spec):
                        read_elsewhere = any(
                            s.mount == other and s.path == source.path
                            for a in apps for s in spec_sources(spec, a))
                        if (other != source.mount and prefix is None and not read_elsewhere
                                and source.kind != "find" and other not in whole):
                            status = call(addr, token, "GET", data_path(spec, source.path, other))[0]
                            assert status == 403, f"{source.path} in mount {other}: {status}"
            # SecretStore mode: one namespace's credential is denied every other namespace's paths
            # (unless it opens a whole mount).
            for other_policy, other_ns, other_apps in all_groups:
                if other_ns != namespace and not whole:
                    reads(spec, token, addr, other_apps, expect=False)
            if "token" in spec["vault"]["auth"]:
                check_token_and_renewal(spec, folder, namespace, token, info, addr, tmp_path)
            else:
                # ESO revokes a token it logged in for when it is done with it.
                assert call(addr, token, "POST", "auth/token/revoke-self", {})[0] == 204
                assert call(addr, token, "GET", "auth/token/lookup-self")[0] == 403


def live_tokens(addr, root, display_name):
    """Accessors of the live tokens with this display name (Vault prefixes it with 'token-')."""
    status, body = call(addr, root, "LIST", "auth/token/accessors")
    assert status == 200
    found = []
    for accessor in body["data"]["keys"]:
        status, info = call(addr, root, "POST", "auth/token/lookup-accessor", {"accessor": accessor})
        if status == 200 and info["data"]["display_name"] == f"token-{display_name}":
            found.append(accessor)
    return found


def live_secret_ids(spec, addr, root, namespace):
    auth = spec["vault"]["auth"]["appRole"]
    role = role_name(spec, namespace)
    status, body = call(addr, root, "LIST", f"auth/{auth.get('mountPath', 'approle')}/role/{role}/secret-id")
    return body["data"]["keys"] if status == 200 else []


def check_one_live_credential(spec, all_groups, first, applied, addr, root):
    """After two runs, exactly the stored credential of each store is valid; the first run's is revoked."""
    auth = spec["vault"]["auth"]
    if "token" in auth:
        ref = auth["token"]["secretRef"]
        tokens = live_tokens(addr, root, f"keyway-{spec['metadata']['name']}")
        assert len(tokens) == len(all_groups), f"{len(tokens)} live tokens after two runs"
        for _, namespace, _ in all_groups:
            old = first[(ref.get("namespace", namespace), ref["name"])][ref["key"]]
            assert call(addr, old, "GET", "auth/token/lookup-self")[0] == 403, "the first run's token is still valid"
    elif "appRole" in auth:
        ref = auth["appRole"]["secretRef"]
        mount = auth["appRole"].get("mountPath", "approle")
        for _, namespace, _ in all_groups:
            assert len(live_secret_ids(spec, addr, root, namespace)) == 1
            old = first[(ref.get("namespace", namespace), ref["name"])]
            role_id = auth["appRole"].get("roleId") or old[auth["appRole"].get("roleIdKey", "role-id")]
            login = {"role_id": role_id, "secret_id": old[ref["key"]]}
            assert call(addr, "", "POST", f"auth/{mount}/login", login)[0] == 400, "the first run's secret-id still logs in"
            if "roleId" in auth["appRole"]:
                status, body = call(addr, root, "GET", f"auth/{mount}/role/{role_name(spec, namespace)}/role-id")
                assert body["data"]["role_id"] == role_id, "the role's role_id is not the spec's"
    elif "userPass" in auth:
        # One password per user: the first run's no longer logs in.
        user = auth["userPass"]
        ref = user["secretRef"]
        for _, namespace, _ in all_groups:
            old = first[(ref.get("namespace", namespace), ref["name"])][ref["key"]]
            new = applied[(ref.get("namespace", namespace), ref["name"])][ref["key"]]
            assert old != new, "the password was not rotated"
            mount = user.get("mountPath", "userpass")
            login = call(addr, "", "POST", f"auth/{mount}/login/{role_name(spec, namespace)}", {"password": old})
            assert login[0] == 400, "the first run's password still logs in"
            status, body = call(addr, root, "GET", f"auth/{mount}/users/{role_name(spec, namespace)}")
            assert body["data"]["token_no_default_policy"] is True


def check_token_and_renewal(spec, folder, namespace, token, info, addr, tmp_path):
    period = go_seconds(spec["vault"]["auth"]["token"]["period"])
    data = info["data"]
    assert data["renewable"] is True and data["period"] == period
    ref = spec["vault"]["auth"]["token"]["secretRef"]
    jobs = [obj for _, obj in objects(folder) if obj["kind"] == "CronJob" and obj["metadata"]["namespace"] == ref.get("namespace", namespace)]
    assert len(jobs) == 1
    pod = jobs[0]["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    env = {e["name"]: e for e in container["env"]}
    # The token reaches the job as VAULT_TOKEN from the Secret, the server as VAULT_ADDR; no file.
    assert env["VAULT_TOKEN"]["valueFrom"]["secretKeyRef"] == {"name": ref["name"], "key": ref["key"]}
    assert env["VAULT_ADDR"]["value"] == spec["vault"]["server"]
    assert "HOME" not in env and "volumes" not in pod, "the token must not be in a file"
    job_home = tmp_path / "job-home"
    job_home.mkdir(exist_ok=True)
    time.sleep(2)
    before = call(addr, token, "GET", "auth/token/lookup-self")[1]["data"]["ttl"]
    assert before < period
    shims = tmp_path / "shims"
    result = subprocess.run(
        container["command"],
        env={"PATH": f"{shims}:{os.environ['PATH']}", "HOME": str(job_home), "VAULT_ADDR": addr, "VAULT_TOKEN": token},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    # The log shows the new duration in seconds, never the token.
    assert result.stdout.strip() == str(int(period)) and token not in result.stdout + result.stderr, result.stdout
    after = call(addr, token, "GET", "auth/token/lookup-self")[1]["data"]["ttl"]
    assert after > before and after >= period - 1, f"renewal did not reset the TTL ({before} -> {after})"
    assert list(job_home.iterdir()) == [], "the vault CLI wrote a file (a token helper's ~/.vault-token)"
