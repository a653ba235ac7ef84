"""The Vault connection against a real OpenBao over TLS with a private CA, inside a Vault namespace
(OpenBao 2.7's dev server has namespaces): the JWT example's bootstrap script as written, logins
with service account JWTs signed here, the token example's renewal job, and the client reviewer."""

import base64
import contextlib
import json
import re
import secrets
import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.request

import jsonschema
import jwt
import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from conftest import objects
from oracle import groups, sources
from test_schemas import eso_schema
from test_vault_live import free_port, go_seconds, openbao, run_bootstrap, stop
from test_vault_live import call as plain_call
from test_vault_security import example, render

INSIDE = {"password": "inside", "username": "inside", "api-key": "inside"}
OUTSIDE = {"password": "outside", "username": "outside", "api-key": "outside"}


def call(addr, token, method, path, body=None, namespace=None, ca=None):
    """A Vault API call over TLS checked against `ca`, inside `namespace` (None: the root namespace)."""
    headers = {"X-Vault-Token": token}
    if namespace:
        headers["X-Vault-Namespace"] = namespace
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{addr}/v1/{path}", method=method, data=data, headers=headers)
    context = ssl.create_default_context(cafile=str(ca)) if ca else None
    try:
        with urllib.request.urlopen(request, timeout=10, context=context) as response:
            text = response.read()
            return response.status, json.loads(text) if text else {}
    except urllib.error.HTTPError as error:
        return error.code, {}


@contextlib.contextmanager
def openbao_tls(tmp_path):
    """`bao server -dev -dev-tls`: its CA (vault-ca.pem) is written into the cert folder."""
    port = free_port()
    certs = tmp_path / "bao-tls"
    certs.mkdir()
    root = "root-" + secrets.token_hex(8)
    addr = f"https://127.0.0.1:{port}"
    server = subprocess.Popen(
        [shutil.which("bao"), "server", "-dev", "-dev-tls", f"-dev-tls-cert-dir={certs}", f"-dev-listen-address=127.0.0.1:{port}",
         f"-dev-root-token-id={root}", "-dev-no-store-token"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    ca = certs / "vault-ca.pem"
    try:
        deadline = time.time() + 30
        while True:
            try:
                if ca.exists() and call(addr, root, "GET", "sys/health", ca=ca)[0] == 200:
                    break
            except (OSError, ssl.SSLError):
                pass
            assert time.time() < deadline and server.poll() is None, "OpenBao did not start"
            time.sleep(0.1)
        yield addr, root, ca
    finally:
        stop(server)


def with_ca(name, pem):
    """The example spec with its caBundle replaced by `pem` (the test server's CA)."""
    text = example(name)
    block = "".join(f"    {line}\n" for line in pem.strip().split("\n"))
    replaced, count = re.subn(r"(  caBundle: \|\n)(    .*\n)+", lambda m: m.group(1) + block, text)
    assert count == 1
    return replaced


def create_namespace(addr, root, ca, path):
    """Creates every namespace along `path` (a/b: a, then b inside a)."""
    parts = path.split("/")
    for i, name in enumerate(parts):
        status, _ = call(addr, root, "POST", f"sys/namespaces/{name}", {}, namespace="/".join(parts[:i]) or None, ca=ca)
        assert status in (200, 204), f"creating namespace {name}: {status}"


def seed(spec, addr, root, ca, namespace, values):
    """Mounts KV v2 and writes every referenced path and its decoy, inside `namespace`."""
    mount = spec["vault"]["kv"]["mount"]
    call(addr, root, "DELETE", f"sys/mounts/{mount}", namespace=namespace, ca=ca)  # the dev server's own secret/
    status, _ = call(addr, root, "POST", f"sys/mounts/{mount}", {"type": "kv", "options": {"version": "2"}}, namespace=namespace, ca=ca)
    assert status in (200, 204)
    for app in spec["apps"].values():
        for path in (source.path for source in sources(app)):
            for target in (path, f"{path}-decoy"):
                status, _ = call(addr, root, "POST", f"{mount}/data/{target}", {"data": values}, namespace=namespace, ca=ca)
                assert status in (200, 204), f"seeding {target}: {status}"


def read(spec, addr, token, ca, namespace, path):
    status, body = call(addr, token, "GET", f"{spec['vault']['kv']['mount']}/data/{path}", namespace=namespace, ca=ca)
    return status, (body.get("data") or {}).get("data")


class Issuer:
    """The cluster's service account issuer: an RSA key whose public half Vault is given."""

    def __init__(self, tmp_path, name="issuer"):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.public = tmp_path / f"{name}.pub.pem"
        self.public.write_bytes(
            self.key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))

    def token(self, iss, namespace, account, audiences):
        now = int(time.time())
        claims = {"iss": iss, "sub": f"system:serviceaccount:{namespace}:{account}", "aud": audiences, "iat": now, "nbf": now, "exp": now + 600}
        return jwt.encode(claims, self.key, algorithm="RS256")


def login(addr, ca, namespace, mount, role, token):
    return call(addr, "", "POST", f"auth/{mount}/login", {"role": role, "jwt": token}, namespace=namespace, ca=ca)


def test_jwt_bootstrap_and_logins_inside_a_namespace_over_tls(tmp_path):
    with openbao_tls(tmp_path) as (addr, root, ca):
        pem = ca.read_text()
        folder, spec = render(tmp_path, with_ca("enterprise", pem))
        vault_ns = spec["vault"]["namespace"]
        auth = spec["vault"]["auth"]["jwt"]
        mount = auth.get("mountPath", "jwt")
        create_namespace(addr, root, ca, vault_ns)
        seed(spec, addr, root, ca, vault_ns, INSIDE)
        seed(spec, addr, root, ca, None, OUTSIDE)
        issuer = Issuer(tmp_path)

        # The script refuses to talk TLS without the CA, and a fresh mount without the issuer's keys.
        failed = run_bootstrap(folder, addr, root, tmp_path, extra_env={"JWT_VALIDATION_PUBKEYS": str(issuer.public)}, expect_ok=False)
        assert failed.returncode != 0 and "keyway: set VAULT_CACERT" in failed.stderr, failed.stderr
        failed = run_bootstrap(folder, addr, root, tmp_path, extra_env={"VAULT_CACERT": str(ca)}, expect_ok=False)
        assert failed.returncode != 0 and "keyway: set JWT_VALIDATION_PUBKEYS" in failed.stderr, failed.stderr
        # As written: the CA and keys from the operator's environment; the namespace from the script,
        # whatever VAULT_NAMESPACE the operator had.
        env = {"VAULT_CACERT": str(ca), "JWT_VALIDATION_PUBKEYS": str(issuer.public), "VAULT_NAMESPACE": "not-this-one"}
        run_bootstrap(folder, addr, root, tmp_path, extra_env=env)
        run_bootstrap(folder, addr, root, tmp_path, extra_env=env)  # again: safe

        # Nothing was written at the root namespace.
        assert call(addr, root, "GET", f"auth/{mount}/role/{auth['role']}-team-a", ca=ca)[0] != 200
        assert f"{mount}/" not in call(addr, root, "GET", "sys/auth", ca=ca)[1].get("data", {})

        all_groups = groups(spec)
        assert len(all_groups) == 2
        for policy, namespace, apps in all_groups:
            role = f"{auth['role']}-{namespace}"
            good = issuer.token(auth["boundIssuer"], namespace, auth["serviceAccountRef"]["name"], auth["audiences"])
            status, body = login(addr, ca, vault_ns, mount, role, good)
            assert status == 200, f"login as {namespace}'s service account failed: {status}"
            token = body["auth"]["client_token"]
            assert body["auth"]["policies"] == [policy], "the JWT token carries more than Keyway's policy"
            assert call(addr, token, "GET", "auth/token/lookup-self", namespace=vault_ns, ca=ca)[0] == 200
            for app in apps:
                for path in (source.path for source in sources(app)):
                    assert read(spec, addr, token, ca, vault_ns, path) == (200, INSIDE), f"{path} inside the namespace"
                    assert read(spec, addr, token, ca, vault_ns, f"{path}-decoy")[0] == 403
                    # The same path at the root namespace holds other values: never read.
                    status, data = read(spec, addr, token, ca, None, path)
                    assert status != 200 and data != OUTSIDE, f"{path} at the root namespace: {status}"
            for _, other_ns, other_apps in all_groups:
                if other_ns != namespace:
                    for app in other_apps:
                        for path in (source.path for source in sources(app)):
                            assert read(spec, addr, token, ca, vault_ns, path)[0] == 403, f"{namespace} read {other_ns}'s {path}"
                    # Another service account's JWT does not log in as this role.
                    other = issuer.token(auth["boundIssuer"], other_ns, auth["serviceAccountRef"]["name"], auth["audiences"])
                    assert login(addr, ca, vault_ns, mount, role, other)[0] in (400, 403)
            account = auth["serviceAccountRef"]["name"]
            refused = {
                "another account in the namespace": issuer.token(auth["boundIssuer"], namespace, "default", auth["audiences"]),
                "another issuer": issuer.token("https://issuer.example", namespace, account, auth["audiences"]),
                "another audience": issuer.token(auth["boundIssuer"], namespace, account, ["not-vault"]),
                "another key": Issuer(tmp_path, "stranger").token(auth["boundIssuer"], namespace, account, auth["audiences"]),
            }
            for why, token_text in refused.items():
                assert login(addr, ca, vault_ns, mount, role, token_text)[0] in (400, 403), f"{why} logged in"
            # The role does not exist outside the namespace.
            assert login(addr, ca, None, mount, role, good)[0] != 200
            assert call(addr, token, "POST", "auth/token/revoke-self", {}, namespace=vault_ns, ca=ca)[0] == 204

        check_stores(folder, spec, addr, pem)


def check_stores(folder, spec, addr, pem):
    """Each SecretStore carries the namespace, the CA (which verifies the server) and the jwt auth."""
    auth = spec["vault"]["auth"]["jwt"]
    stores = [obj for _, obj in objects(folder) if obj["kind"] == "SecretStore"]
    assert len(stores) == 2
    for store in stores:
        vault = store["spec"]["provider"]["vault"]
        assert vault["namespace"] == spec["vault"]["namespace"]
        bundle = base64.b64decode(vault["caBundle"]).decode()
        assert bundle == pem
        context = ssl.create_default_context(cadata=bundle)
        with urllib.request.urlopen(f"{addr}/v1/sys/health", timeout=10, context=context) as response:
            assert response.status == 200
        login = vault["auth"]["jwt"]
        assert login["path"] == auth.get("mountPath", "jwt")
        assert login["role"] == f"{auth['role']}-{store['metadata']['namespace']}"
        assert login["kubernetesServiceAccountToken"] == {
            "serviceAccountRef": {"name": auth["serviceAccountRef"]["name"]},
            "audiences": auth["audiences"],
        }


def test_token_and_renewal_inside_a_namespace_over_tls(tmp_path):
    with openbao_tls(tmp_path) as (addr, root, ca):
        pem = ca.read_text()
        folder, spec = render(tmp_path, with_ca("airgap", pem))
        vault_ns = spec["vault"]["namespace"]
        create_namespace(addr, root, ca, vault_ns)
        seed(spec, addr, root, ca, vault_ns, INSIDE)
        seed(spec, addr, root, ca, None, OUTSIDE)
        applied = run_bootstrap(folder, addr, root, tmp_path, extra_env={"VAULT_CACERT": str(ca)})
        ref = spec["vault"]["auth"]["token"]["secretRef"]
        token = applied[(ref["namespace"], ref["name"])][ref["key"]]
        ((policy, _, apps),) = groups(spec)
        status, info = call(addr, token, "GET", "auth/token/lookup-self", namespace=vault_ns, ca=ca)
        assert status == 200 and info["data"]["policies"] == [policy]
        assert info["data"]["namespace_path"].rstrip("/") == vault_ns
        for app in apps:
            for path in (source.path for source in sources(app)):
                assert read(spec, addr, token, ca, vault_ns, path) == (200, INSIDE)
                status, data = read(spec, addr, token, ca, None, path)
                assert status != 200 and data != OUTSIDE

        # The CronJob: VAULT_NAMESPACE, and VAULT_CACERT naming the CA volume's file, read-only.
        found = {obj["kind"]: obj for _, obj in objects(folder) if obj["metadata"].get("namespace") == ref["namespace"]}
        pod = found["CronJob"]["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        container = pod["containers"][0]
        env = {e["name"]: e["value"] for e in container["env"] if "value" in e}
        assert {e["name"]: e.get("valueFrom") for e in container["env"]}["VAULT_TOKEN"] == {
            "secretKeyRef": {"name": spec["vault"]["auth"]["token"]["secretRef"]["name"], "key": spec["vault"]["auth"]["token"]["secretRef"]["key"]}
        }
        assert env["VAULT_NAMESPACE"] == vault_ns
        mount = next(m for m in container["volumeMounts"] if env["VAULT_CACERT"].startswith(m["mountPath"] + "/"))
        assert mount["readOnly"] is True
        volume = next(v for v in pod["volumes"] if v["name"] == mount["name"])
        configmap = found["ConfigMap"]
        assert volume["configMap"]["name"] == configmap["metadata"]["name"]
        (item,) = volume["configMap"]["items"]
        assert env["VAULT_CACERT"] == f"{mount['mountPath']}/{item['path']}"
        assert configmap["data"][item["key"]] == pem

        # Run the job's command as the pod would: its env, the token as VAULT_TOKEN, the ConfigMap's CA.
        ca_dir = tmp_path / "ca-volume"
        ca_dir.mkdir()
        (ca_dir / item["path"]).write_text(configmap["data"][item["key"]])
        home = tmp_path / "job-home"
        home.mkdir()
        job_env = {**env, "VAULT_ADDR": addr, "VAULT_TOKEN": token, "HOME": str(home), "VAULT_CACERT": str(ca_dir / item["path"]), "PATH": f"{tmp_path / 'shims'}:/usr/bin:/bin"}
        result = subprocess.run(container["command"], env=job_env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == str(int(go_seconds(spec["vault"]["auth"]["token"]["period"])))
        # Without the CA the CLI refuses the server's certificate.
        del job_env["VAULT_CACERT"]
        assert subprocess.run(container["command"], env=job_env, capture_output=True, text=True).returncode != 0


@pytest.mark.parametrize("variable", ["VAULT_SKIP_VERIFY", "BAO_SKIP_VERIFY"])
def test_skip_verify_never_overrides_the_specs_ca(tmp_path, variable):
    """VAULT_CACERT names a CA that did not sign the server's certificate: only skipping the check
    would let the vault CLI talk to it, and the script refuses to run while that is asked for."""
    from test_vault_live import cluster_ca

    with openbao_tls(tmp_path) as (addr, root, ca):
        folder, spec = render(tmp_path, with_ca("airgap", ca.read_text()))
        vault_ns = spec["vault"]["namespace"]
        create_namespace(addr, root, ca, vault_ns)
        wrong = cluster_ca(tmp_path)
        result = run_bootstrap(folder, addr, root, tmp_path, extra_env={"VAULT_CACERT": str(wrong), variable: "true"}, expect_ok=False)
        assert result.returncode == 1 and f"keyway: {variable} is set" in result.stderr, result.stderr
        ((policy, _, _),) = groups(spec)
        assert call(addr, root, "GET", f"sys/policy/{policy}", namespace=vault_ns, ca=ca)[0] == 404, "the script wrote to Vault"
        assert not (tmp_path / "applied").exists()


def test_client_token_reviewer(tmp_path):
    """Over plain http the script needs no VAULT_CACERT; the mount never uses a reviewer JWT of its
    own, and ESO's service accounts, one per namespace, are bound to system:auth-delegator."""
    folder, spec = render(tmp_path, example("review"))
    with openbao() as (addr, root):
        run_bootstrap(folder, addr, root, tmp_path)
        status, body = plain_call(addr, root, "GET", "auth/kubernetes/config")
        assert status == 200 and body["data"]["disable_local_ca_jwt"] is True
    (binding,) = [obj for _, obj in objects(folder) if obj["kind"] == "ClusterRoleBinding"]
    assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "system:auth-delegator"}
    account = spec["vault"]["auth"]["kubernetes"]["serviceAccountRef"]["name"]
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": account, "namespace": ns} for _, ns, _ in groups(spec)]


def test_the_default_reviewer_leaves_vault_its_own(tmp_path):
    folder, _ = render(tmp_path, example("staging"))
    with openbao() as (addr, root):
        run_bootstrap(folder, addr, root, tmp_path)
        assert plain_call(addr, root, "GET", "auth/kubernetes/config")[1]["data"]["disable_local_ca_jwt"] is False
    assert not [obj for _, obj in objects(folder) if obj["kind"] == "ClusterRoleBinding"]


@pytest.mark.parametrize("name", ["enterprise", "airgap", "review"])
def test_the_examples_say_what_they_need(tmp_path, name):
    script = (render(tmp_path, example(name))[0] / "vault" / "bootstrap.sh").read_text()
    header = script.split("\nset -eu\n", 1)[0]
    spec = yaml.safe_load(example(name))
    assert ("VAULT_CACERT" in header) == any(k in spec["vault"] for k in ("caBundle", "caProvider"))
    assert ("VAULT_NAMESPACE" in header) == ("namespace" in spec["vault"])


@pytest.mark.parametrize("name", ["enterprise", "airgap", "review"])
@pytest.mark.parametrize("api_version", ["external-secrets.io/v1", "external-secrets.io/v1beta1"])
def test_connection_fields_match_both_eso_api_versions(tmp_path, name, api_version):
    """namespace, caBundle, caProvider and auth.jwt in ESO's strict CRD schema of either version."""
    spec = yaml.safe_load(example(name))
    spec["secretStore"] = {**(spec.get("secretStore") or {}), "apiVersion": api_version}
    folder, _ = render(tmp_path, yaml.safe_dump(spec, sort_keys=False))
    stores = [obj for _, obj in objects(folder) if obj["kind"] in ("SecretStore", "ClusterSecretStore")]
    assert stores and all(obj["apiVersion"] == api_version for obj in stores)
    for obj in stores:
        body = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind", "metadata")}
        errors = [e.message for e in jsonschema.Draft7Validator(eso_schema(obj["kind"], api_version)).iter_errors(body)]
        assert not errors, errors
        vault = obj["spec"]["provider"]["vault"]
        assert ("namespace" in vault) == ("namespace" in spec["vault"])
        assert ("caBundle" in vault or "caProvider" in vault) == any(k in spec["vault"] for k in ("caBundle", "caProvider"))
