"""`compile explain` compiles a spec only as far as its Vault side (`Compiler.compileVault`): it
skips the Kubernetes objects and the bootstrap script. It must still reject exactly the specs
`compile` rejects, with the same messages: for every example spec, invalid spec, fixture and
hostile spec, both print the same stderr and exit with the same status."""

import subprocess

import pytest

from conftest import COMPILE, ROOT, SPECS
from hostile_specs import GENERATORS

INVALID = sorted((ROOT / "specs" / "invalid").glob("*.yaml"))
# Small enough for the debug build, large enough for every generator to write its hostile shape.
HOSTILE_SIZE = 24 * 1024


def both(path):
    """(`compile SPEC`, `compile explain SPEC`), each as (exit status, stderr)."""
    runs = [[str(COMPILE), str(path)], [str(COMPILE), "explain", str(path), "--format", "json"]]
    results = [subprocess.run(argv, capture_output=True, text=True, timeout=300) for argv in runs]
    return [(result.returncode, result.stderr) for result in results]


@pytest.mark.parametrize("path", SPECS + INVALID, ids=lambda path: path.name)
def test_explain_reports_what_compile_reports(path):
    compiled, explained = both(path)
    assert explained == compiled


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_explain_rejects_the_hostile_specs_compile_rejects(tmp_path, name):
    path = tmp_path / f"{name}.yaml"
    path.write_text(GENERATORS[name](HOSTILE_SIZE))
    compiled, explained = both(path)
    assert compiled[0] in (0, 1)
    assert explained == compiled
