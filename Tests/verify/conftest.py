"""Shared fixtures: the compiled output of every spec and fixture, built once per run."""

import pathlib
import subprocess

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
COMPILE = ROOT / ".build" / "debug" / "compile"
REAL_SHAPES = sorted((ROOT / "Tests" / "fixtures" / "real-shapes").glob("*.yaml"))
SPECS = sorted((ROOT / "specs").glob("*.yaml")) + sorted((ROOT / "Tests" / "fixtures").glob("*.yaml")) + REAL_SHAPES
# The examples are separate setups; those that write another's objects (airgap dev's token Secret,
# edge qa's AppRole Secret, …) name a cluster of their own (`metadata.cluster`), so `compile
# specs/*.yaml` compiles them together. `rendered` compiles each spec alone, as the fixtures beside
# them are not all given clusters.
# ESO's CRD schemas: the copy kept in the repository (see its SOURCE.md); no test reads outside it.
SCHEMAS = ROOT / "Tests" / "verify" / "schemas" / "eso"


def compile_to(out, *specs):
    return subprocess.run([str(COMPILE), *map(str, specs), "--out", str(out)], capture_output=True, text=True)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """{spec path: (folder, spec dict)} for every spec and fixture."""
    out = tmp_path_factory.mktemp("rendered")
    found = {}
    for spec in SPECS:
        result = compile_to(out, spec)
        assert result.returncode == 0, result.stderr
        data = yaml.safe_load(spec.read_text())
        found[spec] = (out / data["metadata"]["name"], data)
    return found


def objects(folder):
    """(path, object) for every Kubernetes object of a rendered folder."""
    for path in sorted((folder / "manifests").rglob("*.yaml")):
        yield path, yaml.safe_load(path.read_text())
