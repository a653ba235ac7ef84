"""Where users run it: the Argo CD plugin's generate as argocd-cmp-server runs it, and the
pre-commit hook with the real pre-commit."""

import os
import re
import pathlib
import shutil
import subprocess

import pytest
import yaml

from conftest import COMPILE, ROOT


def generate(cwd, spec, extra=None):
    env = {
        "PATH": f"{COMPILE.parent}:/usr/bin:/bin",
        "ARGOCD_APP_NAME": "dev",
        "ARGOCD_APP_NAMESPACE": "argocd",
        "ARGOCD_APP_REVISION": "0" * 40,
        "ARGOCD_APP_SOURCE_PATH": ".",
        "ARGOCD_APP_SOURCE_REPO_URL": "https://git.example.com/gitops.git",
    }
    if spec is not None:
        env["ARGOCD_ENV_KEYWAY_SPEC"] = spec
    env.update(extra or {})
    return subprocess.run(["sh", str(ROOT / "argocd" / "generate.sh")], cwd=cwd, env=env, capture_output=True, text=True)


def test_argocd_generate_prints_the_stream():
    result = generate(ROOT, "specs/dev.yaml")
    assert result.returncode == 0, result.stderr
    own = subprocess.run([str(COMPILE), "specs/dev.yaml"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert result.stdout == own
    kinds = [doc["kind"] for doc in yaml.safe_load_all(result.stdout)]
    assert kinds == ["ClusterSecretStore", "ExternalSecret", "Deployment", "CronJob"]


@pytest.mark.parametrize("case", ["missing-env", "missing-file", "invalid", "strict"])
def test_argocd_generate_fails_loudly(tmp_path, case):
    bad = tmp_path / "keyway.yaml"
    bad.write_text((ROOT / "specs" / "dev.yaml").read_text().replace("replicas: 1", "replicas: -1"))
    shutil.copy(ROOT / "specs" / "dev.yaml", tmp_path / "dev.yaml")
    spec, extra = {
        "missing-env": (None, {}),
        "missing-file": ("nope.yaml", {}),
        "invalid": ("keyway.yaml", {}),
        "strict": ("dev.yaml", {"PARAM_WARNINGS_AS_ERRORS": "true"}),
    }[case]
    result = generate(tmp_path, spec, extra)
    assert result.returncode != 0 and result.stdout == ""
    if case == "invalid":
        assert "keyway.yaml:30:15: error: 'replicas' must be from 0 to 10000, found -1 [KW014]\n" in result.stderr


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_pre_commit_hook_with_real_pre_commit(tmp_path):
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    repo = tmp_path / "gitops"
    (repo / "specs").mkdir(parents=True)
    # Two environments, as a GitOps repository holds them: airgap writes dev's credential Secret
    # and renewal CronJob names, in a cluster of its own (`metadata.cluster`). pre-commit passes
    # both specs to one `compile` call.
    for name in ("dev", "airgap"):
        shutil.copy(ROOT / "specs" / f"{name}.yaml", repo / "specs" / f"{name}.yaml")
    subprocess.run(
        [str(COMPILE), "specs/dev.yaml", "specs/airgap.yaml", "--out", "rendered"], cwd=repo, check=True, capture_output=True
    )
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head}\n    hooks:\n      - id: keyway\n        args: [--out, rendered]\n"
    )
    git(repo, "init", "-q")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "add", ".")
    env = dict(os.environ, PRE_COMMIT_HOME=str(ROOT / ".tools" / "pre-commit-home"))

    def run():
        return subprocess.run(["pre-commit", "run", "--all-files"], cwd=repo, env=env, capture_output=True, text=True)

    first = run()
    assert first.returncode == 0, first.stdout + first.stderr
    spec = repo / "specs" / "dev.yaml"
    spec.write_text(spec.read_text().replace("replicas: 1", "replicas: 3"))
    stale = run()
    assert stale.returncode != 0
    assert "rendered/dev/manifests/dev/deployment-meu-app.yaml: error: stale" in stale.stdout
    subprocess.run([str(COMPILE), "specs/dev.yaml", "--out", "rendered"], cwd=repo, check=True, capture_output=True)
    again = run()
    assert again.returncode == 0, again.stdout
    # Without its own cluster, airgap would replace dev's credential Secret: the hook refuses it.
    airgap = repo / "specs" / "airgap.yaml"
    airgap.write_text("".join(line for line in airgap.read_text().splitlines(True) if "cluster:" not in line))
    shared = run()
    assert shared.returncode != 0
    assert re.search(r"Secret 'external-secrets/vault-token' is also written by 'specs/(dev|airgap)\.yaml' \[KW160\]", shared.stdout)
    assert "give each its own 'metadata.cluster'" in shared.stdout


@pytest.mark.parametrize("case", ["dotdot", "absolute", "link-out", "link-to-folder-out", "folder"])
def test_argocd_generate_refuses_specs_outside_the_source_path(tmp_path, case):
    """KEYWAY_SPEC must resolve, links followed, to a file inside the source path: nothing of
    another file is compiled or quoted."""
    source = tmp_path / "app"
    source.mkdir()
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "token").write_text("ci-job-token: s3cr3t-value\n")
    shutil.copy(ROOT / "specs" / "dev.yaml", source / "dev.yaml")
    (source / "token.yaml").symlink_to(secret / "token")
    (source / "elsewhere").symlink_to(secret)
    (source / "nested").mkdir()
    spec = {
        "dotdot": "../secret/token",
        "absolute": str(secret / "token"),
        "link-out": "token.yaml",
        "link-to-folder-out": "elsewhere/token",
        "folder": "nested",
    }[case]
    result = generate(source, spec)
    assert result.returncode == 1 and result.stdout == ""
    assert "s3cr3t" not in result.stderr and "ci-job-token" not in result.stderr
    expected = "is not a regular file" if case == "folder" else "is outside the source path"
    assert f"keyway: error: spec '{spec}' {expected}" in result.stderr


def test_argocd_generate_follows_links_inside_the_source_path(tmp_path):
    source = tmp_path / "app"
    (source / "envs").mkdir(parents=True)
    shutil.copy(ROOT / "specs" / "dev.yaml", source / "envs" / "dev.yaml")
    (source / "current.yaml").symlink_to("envs/dev.yaml")
    result = generate(source, "current.yaml")
    assert result.returncode == 0, result.stderr
    own = subprocess.run([str(COMPILE), "specs/dev.yaml"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert result.stdout == own


@pytest.mark.parametrize("case", ["newline-name", "link-to-newline-name", "tab-name"])
@pytest.mark.parametrize("shell", ["sh", "bash"])
def test_argocd_generate_refuses_control_characters_in_the_spec_name(tmp_path, case, shell):
    """The review's bypass: 'dev.yaml<newline>' is a regular file inside the source path, but
    $(realpath …) drops the newline and 'dev.yaml', a link out of it, was compiled and quoted."""
    source = tmp_path / "app"
    source.mkdir()
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "token").write_text("ci-job-token: s3cr3t-value\n")
    (source / "dev.yaml\n").write_text("kind: Environment\n")
    (source / "dev.yaml\t").write_text("kind: Environment\n")
    (source / "dev.yaml").symlink_to(secret / "token")
    (source / "current.yaml").symlink_to("dev.yaml\n")
    spec = {"newline-name": "dev.yaml\n", "link-to-newline-name": "current.yaml", "tab-name": "dev.yaml\t"}[case]
    env = {
        "PATH": f"{COMPILE.parent}:/usr/bin:/bin",
        "ARGOCD_ENV_KEYWAY_SPEC": spec,
    }
    result = subprocess.run([shell, str(ROOT / "argocd" / "generate.sh")], cwd=source, env=env, capture_output=True, text=True)
    assert result.returncode == 1 and result.stdout == ""
    assert "s3cr3t" not in result.stderr and "ci-job-token" not in result.stderr
    assert "control character" in result.stderr, result.stderr
