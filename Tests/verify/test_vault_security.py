"""The security review's holes, each reproduced against a real OpenBao and shown closed."""

import subprocess

import pytest
import yaml

from conftest import COMPILE, ROOT, compile_to
from test_vault_live import call, cluster_ca, live_secret_ids, live_tokens, openbao, run_bootstrap, seed


def render(tmp_path, text, name="spec.yaml"):
    """Compiles spec text; returns (folder, spec dict)."""
    spec = tmp_path / name
    spec.write_text(text)
    out = tmp_path / "out"
    result = compile_to(out, spec)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load(text)
    return out / data["metadata"]["name"], data


def example(name):
    return (ROOT / "specs" / f"{name}.yaml").read_text()


@pytest.mark.parametrize("name", ["dev", "prod"])
def test_a_run_that_fails_after_issuing_revokes_the_new_credential(tmp_path, name):
    folder, spec = render(tmp_path, example(name))
    with openbao() as (addr, root):
        seed(spec, addr, root)
        result = run_bootstrap(folder, addr, root, tmp_path, extra_env={"KEYWAY_KUBECTL_FAIL_APPLY": "1"}, expect_ok=False)
        assert result.returncode != 0
        if "token" in spec["vault"]["auth"]:
            assert live_tokens(addr, root, f"keyway-{spec['metadata']['name']}") == [], "a token nobody stored is still valid"
        else:
            namespaces = {app["namespace"] for app in spec["apps"].values()}
            assert all(live_secret_ids(spec, addr, root, ns) == [] for ns in namespaces), "a secret-id nobody stored is still valid"


@pytest.mark.parametrize("shell", ["sh -x", "bash -x"])
def test_tracing_never_prints_a_credential(tmp_path, shell):
    folder, spec = render(tmp_path, example("prod"))
    with openbao() as (addr, root):
        seed(spec, addr, root)
        applied = run_bootstrap(folder, addr, root, tmp_path, shell=shell)
        stderr = run_bootstrap.last.stderr
        assert "+ set +x" in stderr, "the shell did not trace at all: the test proves nothing"
        for values in applied.values():
            for value in values.values():
                assert value not in stderr
        assert root not in stderr


AUDIENCES = ["@/proc/self/environ", "-", "@/etc/hostname"]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_spec_values_are_never_read_as_files_or_stdin(tmp_path, audience):
    text = example("staging").replace("audience: vault", f"audience: {yaml.safe_dump(audience).split(chr(10))[0]}")
    assert audience in yaml.safe_load(text)["vault"]["auth"]["kubernetes"]["audience"]
    folder, spec = render(tmp_path, text)
    with openbao() as (addr, root):
        seed(spec, addr, root)
        run_bootstrap(folder, addr, root, tmp_path)
        status, body = call(addr, root, "GET", "auth/kubernetes/role/external-secrets")
        assert status == 200
        assert body["data"]["audience"] == audience, "the vault CLI read the audience from a file or stdin"


@pytest.mark.parametrize("owned", [False, True])
def test_an_existing_auth_mount_keeps_its_config_unless_keyway_owns_it(tmp_path, owned):
    text = example("staging")
    if owned:
        text = text.replace("audience: vault", "audience: vault\n      ownsMount: true")
    folder, spec = render(tmp_path, text)
    with openbao() as (addr, root):
        seed(spec, addr, root)
        assert call(addr, root, "POST", "sys/auth/kubernetes", {"type": "kubernetes"})[0] == 204
        pem = cluster_ca(tmp_path).read_text()
        mine = {"kubernetes_host": "https://mine.example:6443", "issuer": "https://issuer.example", "kubernetes_ca_cert": pem}
        assert call(addr, root, "POST", "auth/kubernetes/config", mine)[0] == 204
        run_bootstrap(folder, addr, root, tmp_path)
        config = call(addr, root, "GET", "auth/kubernetes/config")[1]["data"]
        if owned:
            assert config["kubernetes_host"] == "https://127.0.0.1:6443"
        else:
            assert config["kubernetes_host"] == mine["kubernetes_host"] and config["issuer"] == mine["issuer"]


def test_a_fresh_mount_is_configured_from_the_operators_environment(tmp_path):
    folder, spec = render(tmp_path, example("staging"))
    with openbao() as (addr, root):
        seed(spec, addr, root)
        run_bootstrap(folder, addr, root, tmp_path)
        config = call(addr, root, "GET", "auth/kubernetes/config")[1]["data"]
        assert config["kubernetes_host"] == "https://127.0.0.1:6443"


def edit(name, old, new):
    text = example(name)
    assert old in text, old
    return text.replace(old, new, 1)


REFUSED = [
    ("dev", "name: external-secrets-access", "name: default", "KW025", "policy name 'default' is one of Vault's own policies"),
    ("dev", "name: external-secrets-access", "name: Root", "KW025", "policy name 'Root' is one of Vault's own policies"),
    ("dev", "name: external-secrets-access", "name: -h", "KW024", "'policy.name' '-h' has characters outside the safe set"),
    ("dev", "mount: kv", "mount: sys", "KW025", "KV mount 'sys' is a path Vault reserves for itself"),
    ("dev", "mount: kv", "mount: cubbyhole", "KW025", "KV mount 'cubbyhole' is a path Vault reserves for itself"),
    ("prod", "role: external-secrets", "role: -h", "KW024", "'appRole.role' '-h' has characters outside the safe set"),
    ("dev", "target: minha-api-secret-k8s", "target: vault-token\n        x: 1", None, None),
]


@pytest.mark.parametrize("name,old,new,code,message", [r for r in REFUSED if r[3]])
def test_reserved_and_option_like_names_are_refused_at_their_line(tmp_path, name, old, new, code, message):
    spec = tmp_path / "bad.yaml"
    spec.write_text(edit(name, old, new))
    out = tmp_path / "out"
    result = compile_to(out, spec)
    assert result.returncode == 1 and result.stdout == ""
    line = next(i for i, text in enumerate(spec.read_text().split("\n"), 1) if new.split("\n")[0] in text)
    errors = [l for l in result.stderr.split("\n") if ": error: " in l]
    assert len(errors) == 1 and errors[0].startswith(f"{spec}:{line}:") and errors[0].endswith(f"error: {message} [{code}]"), result.stderr
    assert not out.exists()


def test_a_target_may_not_overwrite_the_stores_credential(tmp_path):
    text = edit("dev", "namespace: dev", "namespace: external-secrets").replace("target: minha-api-secret-k8s", "target: vault-token")
    spec = tmp_path / "bad.yaml"
    spec.write_text(text)
    result = compile_to(tmp_path / "out", spec)
    assert result.returncode == 1 and result.stdout == ""
    assert "holds the store's own Vault credential [KW026]" in result.stderr, result.stderr


def test_two_specs_writing_one_policy_are_refused_naming_both(tmp_path):
    # The review's case: 'eso-prod' + namespace 'payments' and 'eso' + 'prod-payments' are one policy.
    prod = example("prod")
    other = tmp_path / "other.yaml"
    other.write_text(
        prod.replace("name: prod\n", "name: other\n").replace("name: eso-prod", "name: eso").replace("namespace: payments", "namespace: prod-payments")
    )
    result = subprocess.run([str(COMPILE), str(ROOT / "specs" / "prod.yaml"), str(other), "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 1 and result.stdout == ""
    assert f"error: policy 'eso-prod-payments' is also written by '{ROOT / 'specs' / 'prod.yaml'}' [KW027]" in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def tamper(tmp_path, namespace, name, change):
    """A tenant edits the stored Secret's annotations: the stand-in cluster then answers with the edit."""
    record = tmp_path / "applied"
    files = sorted(record.glob("*.yaml"))
    secret = next(
        s for s in (yaml.safe_load(p.read_text()) for p in reversed(files)) if (s["metadata"].get("namespace"), s["metadata"]["name"]) == (namespace, name)
    )
    change(secret["metadata"].setdefault("annotations", {}))
    (record / f"{len(files):03d}.yaml").write_text(yaml.safe_dump(secret))
    return len(files) + 1


def unrelated_credential(spec, addr, root):
    """Another credential the operator's token can revoke: its accessor, and how to tell it is alive."""
    if "token" in spec["vault"]["auth"]:
        status, body = call(addr, root, "POST", "auth/token/create-orphan", {"policies": ["default"], "display_name": "someone-else"})
        assert status == 200
        token = body["auth"]["client_token"]
        return body["auth"]["accessor"], lambda: call(addr, token, "GET", "auth/token/lookup-self")[0] == 200
    assert call(addr, root, "POST", "auth/approle/role/someone-else", {"token_policies": ["default"]})[0] == 204
    status, body = call(addr, root, "POST", "auth/approle/role/someone-else/secret-id", {})
    assert status == 200
    accessor = body["data"]["secret_id_accessor"]
    return accessor, lambda: call(addr, root, "POST", "auth/approle/role/someone-else/secret-id-accessor/lookup", {"secret_id_accessor": accessor})[0] == 200


def stored_secret(spec):
    """(namespace, name, key) of the first store's credential Secret."""
    auth = spec["vault"]["auth"]
    ref = (auth.get("token") or auth["appRole"])["secretRef"]
    namespace = ref.get("namespace") or next(iter(spec["apps"].values()))["namespace"]
    return namespace, ref["name"], ref["key"]


def live_credentials(spec, addr, root, namespace):
    """The live credentials of the store whose Secret is in this namespace (one token store in these specs)."""
    if "token" in spec["vault"]["auth"]:
        return sorted(live_tokens(addr, root, f"keyway-{spec['metadata']['name']}"))
    return sorted(live_secret_ids(spec, addr, root, namespace))


ACCESSOR = "keyway.dev/vault-accessor"


@pytest.mark.parametrize("name", ["dev", "prod"])
@pytest.mark.parametrize("forgery", ["another credential", "deleted", "garbage"])
def test_a_forged_or_deleted_accessor_revokes_nothing_and_fails_loudly(tmp_path, name, forgery):
    """A tenant who may edit the credential's Secret rewrites its accessor annotation: the next run
    revokes nothing it cannot prove is this store's, issues nothing, and stops saying what to do."""
    folder, spec = render(tmp_path, example(name))
    with openbao() as (addr, root):
        seed(spec, addr, root)
        run_bootstrap(folder, addr, root, tmp_path)
        namespace, secret, _ = stored_secret(spec)
        before = live_credentials(spec, addr, root, namespace)
        other, alive = unrelated_credential(spec, addr, root)
        edits = {
            "another credential": lambda a: a.__setitem__(ACCESSOR, other),
            "deleted": lambda a: a.pop(ACCESSOR),
            "garbage": lambda a: a.__setitem__(ACCESSOR, "not-an-accessor"),
        }
        records = tamper(tmp_path, namespace, secret, edits[forgery])
        result = run_bootstrap(folder, addr, root, tmp_path, expect_ok=False)
        assert result.returncode == 1, result.stderr
        assert alive(), "the run revoked a credential that is not this store's"
        assert live_credentials(spec, addr, root, namespace) == before, "a credential was issued or revoked"
        assert len(list((tmp_path / "applied").glob("*.yaml"))) == records, "a Secret was written"
        expected = "has no annotation" if forgery == "deleted" else "names no" if forgery == "garbage" or "appRole" in spec["vault"]["auth"] else "not this store's"
        assert f"Secret {namespace}/{secret}" in result.stderr and expected in result.stderr, result.stderr
        assert "keyway: help: then delete the Secret and run again" in result.stderr


def test_a_token_with_the_stores_display_name_but_other_policies_is_not_revoked(tmp_path):
    folder, spec = render(tmp_path, example("dev"))
    with openbao() as (addr, root):
        seed(spec, addr, root)
        run_bootstrap(folder, addr, root, tmp_path)
        status, body = call(addr, root, "POST", "auth/token/create-orphan", {"policies": ["external-secrets-access", "other"], "display_name": "keyway-dev", "no_default_policy": True})
        assert status == 200
        namespace, secret, _ = stored_secret(spec)
        tamper(tmp_path, namespace, secret, lambda a: a.__setitem__(ACCESSOR, body["auth"]["accessor"]))
        result = run_bootstrap(folder, addr, root, tmp_path, expect_ok=False)
        assert result.returncode == 1 and "not this store's" in result.stderr, result.stderr
        assert call(addr, body["auth"]["client_token"], "GET", "auth/token/lookup-self")[0] == 200


@pytest.mark.parametrize("policy", ["external-secrets-access", "External-Secrets-Access"])
def test_an_untouched_secret_still_rotates(tmp_path, policy):
    """Vault records policy names in lower case: a spec's capitals must not make its own token foreign."""
    folder, spec = render(tmp_path, edit("dev", "name: external-secrets-access", f"name: {policy}"))
    with openbao() as (addr, root):
        seed(spec, addr, root)
        first = run_bootstrap(folder, addr, root, tmp_path)
        second = run_bootstrap(folder, addr, root, tmp_path)
        namespace, secret, key = stored_secret(spec)
        assert call(addr, first[(namespace, secret)][key], "GET", "auth/token/lookup-self")[0] == 403
        assert call(addr, second[(namespace, secret)][key], "GET", "auth/token/lookup-self")[0] == 200


def test_two_examples_writing_one_token_secret_are_refused_naming_the_first(tmp_path):
    """dev and airgap both keep their token in external-secrets/vault-token: in one cluster, one
    bootstrap would revoke the other's token (and the renewal CronJob is one object too). airgap
    names a cluster of its own (`metadata.cluster`); without that line the pair is refused."""
    dev = ROOT / "specs" / "dev.yaml"
    together = subprocess.run(
        [str(COMPILE), str(dev), str(ROOT / "specs" / "airgap.yaml"), "--out", str(tmp_path / "apart")],
        capture_output=True, text=True,
    )
    assert together.returncode == 0, together.stderr
    airgap = tmp_path / "airgap.yaml"
    airgap.write_text("".join(line for line in (ROOT / "specs" / "airgap.yaml").read_text().splitlines(True) if "cluster:" not in line))
    result = subprocess.run([str(COMPILE), str(dev), str(airgap), "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 1 and result.stdout == ""
    errors = sorted(line for line in result.stderr.splitlines() if ": error: " in line)
    line, col = next((i, text.index("external-secrets") + 1) for i, text in enumerate(airgap.read_text().splitlines(), 1) if "namespace: external-secrets" in text)
    assert errors == [
        f"{airgap}:{line}:{col}: error: CronJob 'external-secrets/vault-token-renewal' is also written by '{dev}' [KW160]",
        f"{airgap}:{line}:{col}: error: Secret 'external-secrets/vault-token' is also written by '{dev}' [KW160]",
    ], result.stderr
    assert not (tmp_path / "out").exists()
