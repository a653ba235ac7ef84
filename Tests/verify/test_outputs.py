"""Policies through pyhcl, scripts through shellcheck and sh -n, hostile strings through PyYAML."""

import subprocess

import hcl
import pytest
import yaml

from conftest import COMPILE, ROOT, SPECS, compile_to, objects
from oracle import groups, policy_rules


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_policies_parse_to_exactly_the_needed_paths(rendered, spec):
    folder, data = rendered[spec]
    for name, _, apps in groups(data):
        parsed = hcl.loads((folder / "vault" / f"{name}.hcl").read_text())
        got = {path: set(body["capabilities"]) for path, body in parsed["path"].items()}
        assert got == policy_rules(data, apps), f"{spec.name}: policy {name}"


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_bootstrap_script_is_clean_posix_sh(rendered, spec):
    script = rendered[spec][0] / "vault" / "bootstrap.sh"
    subprocess.run(["sh", "-n", str(script)], check=True)
    result = subprocess.run(["shellcheck", "-s", "sh", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, f"{spec.name}: {result.stdout}"
    text = script.read_text()
    assert "--from-literal" not in text and "echo $" not in text


def test_hostile_strings_read_back_identically(rendered):
    spec = ROOT / "Tests" / "fixtures" / "hostile.yaml"
    folder, data = rendered[spec]
    source = data["apps"]["odd"]["containers"]["main"]
    deployment = yaml.safe_load((folder / "manifests" / "odd" / "deployment-odd.yaml").read_text())
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == source["image"]
    assert container["command"] == source["command"]
    assert container["args"] == source["args"]
    labels = deployment["metadata"]["labels"]
    for key, value in data["defaults"]["labels"].items():
        assert labels[key] == value and isinstance(labels[key], str)
    # The stream on stdout reads back the same as the files.
    stream = subprocess.run([str(COMPILE), str(spec)], capture_output=True, text=True, check=True).stdout
    documents = list(yaml.safe_load_all(stream))
    assert any(d["kind"] == "Deployment" and d["spec"]["template"]["spec"]["containers"][0]["args"] == source["args"] for d in documents)


# Each hostile path and the exact first line the compiler prints for it: the value quoted with
# control characters escaped (a line break must not start a forged diagnostic line), the reason,
# and the code.
HOSTILE_NAMES = {
    'dev/"x': """invalid Vault path 'dev/"x' for 'extract': the path contains '"' [KW021]""",
    "dev/$(id)": "invalid Vault path 'dev/$(id)' for 'extract': the path contains '$' [KW021]",
    "dev/`id`": "invalid Vault path 'dev/`id`' for 'extract': the path contains '`' [KW021]",
    "dev/a;b": "invalid Vault path 'dev/a;b' for 'extract': the path contains ';' [KW021]",
    "dev/a\nb": "invalid Vault path 'dev/a\\nb' for 'extract': the path contains U+000A [KW021]",
    "dev/a b": "invalid Vault path 'dev/a b' for 'extract': the path contains U+0020 [KW021]",
}


@pytest.mark.parametrize("bad", sorted(HOSTILE_NAMES))
def test_names_that_reach_hcl_or_shell_are_refused(tmp_path, bad):
    text = (ROOT / "specs" / "dev.yaml").read_text().replace("extract: dev/apps/statis/api", "extract: " + yaml.safe_dump(bad).split("\n...")[0].strip())
    spec = tmp_path / "bad.yaml"
    spec.write_text(text)
    out = tmp_path / "out"
    result = compile_to(out, spec)
    assert result.returncode == 1
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [f"{spec}:42:18: error: {HOSTILE_NAMES[bad]}"], result.stderr
    assert result.stderr.endswith("\n1 error, 2 warnings\n"), result.stderr
    assert not out.exists()


@pytest.mark.parametrize("field,value", [("name", "ev\"il"), ("name", "a$(id)"), ("name", "a;b")])
def test_policy_names_are_refused(tmp_path, field, value):
    text = (ROOT / "specs" / "dev.yaml").read_text().replace("name: external-secrets-access", f"{field}: {yaml.safe_dump(value).split(chr(10))[0]}")
    spec = tmp_path / "bad.yaml"
    spec.write_text(text)
    result = compile_to(tmp_path / "out", spec)
    assert result.returncode == 1 and result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [f"{spec}:13:11: error: 'policy.name' '{value}' has characters outside the safe set [KW024]"], result.stderr


def test_every_example_compiles_in_one_call_as_its_own_cluster(tmp_path):
    """The examples that reuse another's object names name their own `metadata.cluster`, so the
    README's `compile specs/*.yaml` (and a pre-commit run over them all) passes; each folder is
    what the spec compiles to alone."""
    examples = sorted((ROOT / "specs").glob("*.yaml"))
    together = compile_to(tmp_path / "together", *examples)
    assert together.returncode == 0, together.stderr
    for spec in examples:
        name = yaml.safe_load(spec.read_text())["metadata"]["name"]
        alone = compile_to(tmp_path / "alone", spec)
        assert alone.returncode == 0, alone.stderr
        diff = subprocess.run(
            ["diff", "-r", str(tmp_path / "together" / name), str(tmp_path / "alone" / name)], capture_output=True, text=True
        )
        assert diff.returncode == 0, diff.stdout
