"""Workloads as users have them: the Reloader annotation of every owned workload (where Reloader
reads it: on the workload, or its pod template with `place: podTemplate`) names exactly the
Secrets its pods read, owned pods meet Pod Security "restricted", and a patch for a workload owned
elsewhere, applied by `kubectl kustomize` to a chart-like base, gives a valid object that keeps the
chart's own fields."""

import shutil
import subprocess

import pytest
import yaml

from conftest import ROOT, SPECS, objects

WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "CronJob"}
RELOAD = "secret.reloader.stakater.com/reload"
AUTO = "secret.reloader.stakater.com/auto"
AUTO_ALL = "reloader.stakater.com/auto"
SEARCH = "reloader.stakater.com/search"
CHART_BASE = ROOT / "Tests" / "verify" / "kustomize" / "chart-base"


def pod_template(obj):
    return obj["spec"]["jobTemplate"]["spec"]["template"] if obj["kind"] == "CronJob" else obj["spec"]["template"]


def pod_spec(obj):
    return pod_template(obj)["spec"]


def reloader_read(obj, place):
    """The annotations Reloader reads for a Secret's change (its ShouldReload, pkg/common/common.go):
    the workload's own when they carry the named, either auto or the search annotation, else the pod
    template's. Checks they sit where the app's `reloadOptions.place` says, and none on the other side."""
    workload = obj["metadata"].get("annotations") or {}
    pod = pod_template(obj)["metadata"].get("annotations") or {}
    keys = (RELOAD, AUTO, AUTO_ALL, SEARCH)
    other = workload if place == "podTemplate" else pod
    assert not any(key in other for key in keys), f"{obj['metadata']['name']}: a reload annotation off its place"
    return workload if any(key in workload for key in keys) else pod


def app_workloads(folder, data):
    """(app spec, object) for every workload an app of the spec has Keyway write."""
    for _, obj in objects(folder):
        app = (obj["metadata"].get("labels") or {}).get("app")
        if obj["kind"] in WORKLOAD_KINDS and app in data["apps"]:
            yield data["apps"][app], obj


def secrets_read(spec):
    """The Secrets a pod reads through env, envFrom and volumes (not imagePullSecrets)."""
    read = set()
    for container in spec["containers"] + spec.get("initContainers", []):
        for env in container.get("env", []):
            ref = (env.get("valueFrom") or {}).get("secretKeyRef")
            if ref:
                read.add(ref["name"])
        for source in container.get("envFrom", []):
            if "secretRef" in source:
                read.add(source["secretRef"]["name"])
    for volume in spec.get("volumes", []):
        if "secret" in volume:
            read.add(volume["secret"]["secretName"])
    return read


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_reload_annotation_names_exactly_the_secrets_the_pod_reads(rendered, spec):
    folder, data = rendered[spec]
    checked = 0
    for app, obj in app_workloads(folder, data):
        checked += 1
        annotations = reloader_read(obj, (app.get("reloadOptions") or {}).get("place", "workload"))
        if app.get("reload", "named") != "named":
            assert RELOAD not in annotations, obj["metadata"]["name"]
            if app.get("reload") == "auto":
                watch_all = (app.get("reloadOptions") or {}).get("watch") == "all"
                assert annotations.get(AUTO_ALL if watch_all else AUTO) == "true", obj["metadata"]["name"]
                assert (AUTO if watch_all else AUTO_ALL) not in annotations, obj["metadata"]["name"]
            continue
        read = secrets_read(pod_spec(obj))
        named = set(annotations[RELOAD].split(",")) if RELOAD in annotations else set()
        assert named == read, f"{spec.name}: {obj['kind']} {obj['metadata']['name']}: annotation {sorted(named)}, pod reads {sorted(read)}"
    # A spec whose apps all have secrets only has no workload to check.
    assert checked or all("containers" not in app and "workload" not in app for app in data["apps"].values())


def restricted_violations(obj):
    """Where a workload's pods break Pod Security "restricted"'s main rules (runAsNonRoot is the
    image's business unless a patch sets it)."""
    found = []
    pod = pod_spec(obj)
    found += [host for host in ("hostNetwork", "hostPID", "hostIPC") if pod.get(host)]
    found += [f"hostPath volume {v['name']}" for v in pod.get("volumes", []) if "hostPath" in v]
    pod_seccomp = (pod.get("securityContext") or {}).get("seccompProfile", {}).get("type")
    for container in pod["containers"] + pod.get("initContainers", []):
        context = container.get("securityContext") or {}
        name = container["name"]
        if context.get("allowPrivilegeEscalation") is not False:
            found.append(f"{name}: allowPrivilegeEscalation")
        if context.get("capabilities", {}).get("drop") != ["ALL"]:
            found.append(f"{name}: capabilities not dropped")
        if context.get("privileged"):
            found.append(f"{name}: privileged")
        if context.get("seccompProfile", {}).get("type", pod_seccomp) not in ("RuntimeDefault", "Localhost"):
            found.append(f"{name}: no seccomp profile")
    if "serviceAccountName" not in pod and pod.get("automountServiceAccountToken") is not False:
        found.append("service account token mounted")
    return found


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_owned_pods_meet_pod_security_restricted(rendered, spec):
    """Unless the app chose `hardening: none`: then the pod is the user's (see the next test)."""
    folder, data = rendered[spec]
    for app, obj in app_workloads(folder, data):
        if app.get("hardening") == "none":
            continue
        assert restricted_violations(obj) == [], f"{spec.name}: {obj['kind']} {obj['metadata']['name']}"


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_hardening_none_adds_nothing_to_the_pod(rendered, spec):
    """`hardening: none`: no security context, seccomp profile or token setting Keyway did not get from the spec."""
    folder, data = rendered[spec]
    for app, obj in app_workloads(folder, data):
        if app.get("hardening") != "none":
            continue
        pod = pod_spec(obj)
        patched = yaml.safe_dump(app.get("patch", {}))
        for field in ("securityContext", "automountServiceAccountToken"):
            assert field not in pod or field in patched, f"{spec.name}: {obj['metadata']['name']}: {field}"
        for container in pod["containers"]:
            assert "securityContext" not in container or "securityContext" in patched, container["name"]


def test_secrets_only_apps_have_no_workload(rendered):
    """An app with secrets and neither containers nor workload: its ExternalSecrets, nothing else."""
    checked = 0
    for spec in SPECS:
        folder, data = rendered[spec]
        for name, app in data["apps"].items():
            if "containers" in app or "workload" in app:
                continue
            labelled = [obj for _, obj in objects(folder) if (obj["metadata"].get("labels") or {}).get("app") == name]
            assert labelled and {obj["kind"] for obj in labelled} == {"ExternalSecret"}, f"{spec.name}: {name}"
            assert not (folder / "patches").exists() or not any((folder / "patches").rglob(f"*{name}*"))
            checked += 1
    assert checked >= 4


def test_restricted_check_can_fail(rendered):
    """The check refuses a pod that escalates, runs privileged or mounts the host: it is not vacuous."""
    folder, data = rendered[ROOT / "specs" / "shop.yaml"]
    _, obj = next(app_workloads(folder, data))
    pod = pod_spec(obj)
    pod["containers"][0]["securityContext"] = {"privileged": True}
    pod["volumes"] = [{"name": "root", "hostPath": {"path": "/"}}]
    pod["hostNetwork"] = True
    assert len(restricted_violations(obj)) == 5


def kustomize_with_patch(tmp_path, patch):
    base = tmp_path / "base"
    shutil.copytree(CHART_BASE, base)
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    shutil.copy(patch, overlay / "patch.yaml")
    (overlay / "kustomization.yaml").write_text(
        yaml.safe_dump({"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "resources": ["../base"], "patches": [{"path": "patch.yaml"}]})
    )
    result = subprocess.run(["kubectl", "kustomize", str(overlay)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_chart_patch_applies_with_kustomize_and_keeps_the_charts_fields(rendered, tmp_path):
    folder, data = rendered[ROOT / "specs" / "shop.yaml"]
    patch = folder / "patches" / "shop" / "deployment-grafana.yaml"
    text = kustomize_with_patch(tmp_path, patch)
    merged = yaml.safe_load(text)
    annotations = merged["metadata"]["annotations"]
    assert annotations["meta.helm.sh/release-name"] == "grafana"
    assert annotations["reloader.stakater.com/search"] == "true"
    pod = merged["spec"]["template"]["spec"]
    assert merged["spec"]["template"]["metadata"]["annotations"] == {"checksum/config": "0123abcd"}
    containers = {c["name"]: c for c in pod["containers"]}
    assert set(containers) == {"grafana", "grafana-sc-dashboard"}
    assert containers["grafana"]["image"] == "docker.io/grafana/grafana:12.0.0"
    assert {e["name"] for e in containers["grafana"]["env"]} == {"GF_PATHS_DATA", "GF_SECURITY_ADMIN_PASSWORD"}
    assert containers["grafana-sc-dashboard"]["env"] == [{"name": "LABEL", "value": "grafana_dashboard"}]
    assert {m["mountPath"] for m in containers["grafana"]["volumeMounts"]} == {"/var/lib/grafana", "/etc/grafana/tls"}
    assert containers["grafana"]["envFrom"] == [{"secretRef": {"name": "grafana-smtp"}}]
    assert {v["name"] for v in pod["volumes"]} == {"storage", "grafana-tls"}
    # The patch is a file of the tree only: not in the stream's kustomization, not among the manifests.
    kustomization = yaml.safe_load((folder / "kustomization.yaml").read_text())
    assert not any(r.startswith("patches/") for r in kustomization["resources"])
    out = tmp_path / "merged.yaml"
    out.write_text(text)
    result = subprocess.run(["kubernetes-validate", "--strict", "--quiet", "-k", "1.37.0", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
