"""The corpus under Tests/fixtures/real-shapes/: specs written after public setups that run ESO with
Vault (each names its origin repository). Each compiles (with every spec, in conftest) to objects the
strict schemas, checkov and the workload checks see like any spec; here, each compiled pod's wiring
(which Secret or ConfigMap each container reads, and how) equals the origin's, kept in
expected/wiring.yaml, and a Secret no workload of the spec reads gets its ExternalSecret only."""

import pytest
import yaml

from conftest import REAL_SHAPES, ROOT, objects

EXPECTED = yaml.safe_load((ROOT / "Tests" / "fixtures" / "real-shapes" / "expected" / "wiring.yaml").read_text())
WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "CronJob"}


def pod_template(obj):
    return obj["spec"]["jobTemplate"]["spec"]["template"] if obj["kind"] == "CronJob" else obj["spec"]["template"]


def reference(source, name_field):
    """`secret:NAME` or `configMap:NAME` of an envFrom entry or a volume."""
    if "secretRef" in source:
        return "secret:" + source["secretRef"]["name"]
    if "configMapRef" in source:
        return "configMap:" + source["configMapRef"]["name"]
    if "secret" in source:
        return "secret:" + source["secret"][name_field]
    if "configMap" in source:
        return "configMap:" + source["configMap"]["name"]
    return None


def wiring(obj):
    """{"selector": …, "containers": {name: {"env", "envFrom", "mounts"}}}: only what reads a Secret or ConfigMap."""
    pod = pod_template(obj)["spec"]
    volumes = {v["name"]: reference(v, "secretName") for v in pod.get("volumes", [])}
    containers = {}
    for container in pod.get("initContainers", []) + pod["containers"]:
        found = {}
        env = {}
        for variable in container.get("env", []):
            ref = variable.get("valueFrom") or {}
            if "secretKeyRef" in ref:
                env[variable["name"]] = f"secret:{ref['secretKeyRef']['name']}/{ref['secretKeyRef']['key']}"
            elif "configMapKeyRef" in ref:
                env[variable["name"]] = f"configMap:{ref['configMapKeyRef']['name']}/{ref['configMapKeyRef']['key']}"
        env_from = sorted(reference(source, "") for source in container.get("envFrom", []))
        mounts = {m["mountPath"]: volumes[m["name"]] for m in container.get("volumeMounts", []) if volumes.get(m["name"])}
        for key, value in (("env", env), ("envFrom", env_from), ("mounts", mounts)):
            if value:
                found[key] = value
        containers[container["name"]] = found
    result = {"containers": containers}
    if obj["kind"] != "CronJob":
        result["selector"] = obj["spec"]["selector"]["matchLabels"]
    return result


def compiled(rendered, spec):
    folder, data = rendered[spec]
    workloads, targets, read = {}, set(), set()
    for _, obj in objects(folder):
        if obj["kind"] in WORKLOAD_KINDS and "app" in (obj["metadata"].get("labels") or {}):
            workloads[f"{obj['kind']}/{obj['metadata']['name']}"] = wiring(obj)
        elif obj["kind"] == "ExternalSecret":
            targets.add(obj["spec"]["target"]["name"])
    for found in workloads.values():
        for container in found["containers"].values():
            read.update(ref.split(":", 1)[1].split("/")[0] for ref in container.get("env", {}).values())
            read.update(ref.split(":", 1)[1] for ref in container.get("envFrom", []))
            read.update(ref.split(":", 1)[1] for ref in container.get("mounts", {}).values())
    return data, workloads, targets - read


def test_the_corpus_has_ten_setups_each_naming_its_origin():
    assert len(REAL_SHAPES) >= 10
    for spec in REAL_SHAPES:
        head = spec.read_text().split("apiVersion:", 1)[0]
        assert "Written after " in head and "/" in head, f"{spec.name}: no origin repository named"
    assert {yaml.safe_load(s.read_text())["metadata"]["name"] for s in REAL_SHAPES} == set(EXPECTED)


@pytest.mark.parametrize("spec", REAL_SHAPES, ids=lambda p: p.name)
def test_compiled_wiring_matches_the_origin(rendered, spec):
    data, workloads, unread = compiled(rendered, spec)
    expected = dict(EXPECTED[data["metadata"]["name"]])
    without = set(expected.pop("without-workload", []))
    assert set(workloads) == set(expected), spec.name
    for name, want in expected.items():
        got = workloads[name]
        if "selector" in want:
            assert got["selector"] == want["selector"], f"{spec.name}: {name} selector"
        want_containers = {c: {k: (sorted(v) if k == "envFrom" else v) for k, v in (w or {}).items()} for c, w in want["containers"].items()}
        assert got["containers"] == want_containers, f"{spec.name}: {name}"
    assert unread == without, f"{spec.name}: Secrets without a workload"


def test_wiring_comparison_can_fail(rendered):
    """A wrong key or a missing envFrom is seen: the comparison is not vacuous."""
    spec = next(s for s in REAL_SHAPES if s.name == "homelabo-paperless.yaml")
    _, workloads, _ = compiled(rendered, spec)
    env = workloads["Deployment/paperless-ngx"]["containers"]["paperless-ngx"]["env"]
    assert env["PAPERLESS_DBPASS"] == "secret:paperless-ngx-secrets/POSTGRES_PASSWORD"
    assert env != {**env, "PAPERLESS_DBPASS": "secret:paperless-ngx-secrets/PAPERLESS_DBPASS"}
