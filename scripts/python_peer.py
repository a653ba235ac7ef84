"""The comparison for the benchmark: what a platform team's Python script does for the same spec
(read it with PyYAML's libyaml bindings, build the same ClusterSecretStore, ExternalSecrets
(templates, shared secrets, Reloader's search annotation) and workloads (Deployments, StatefulSets,
DaemonSets, CronJobs, hardened, with defaults.patch and the app's patch merged in), and emit them
with PyYAML's libyaml emitter). It writes the objects `compile SPEC` writes to stdout, but validates
nothing: it is the floor of a script, not a compiler."""

import copy
import sys

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
MANAGED = {"app.kubernetes.io/managed-by": "keyway"}
API = {"Deployment": "apps/v1", "StatefulSet": "apps/v1", "DaemonSet": "apps/v1", "CronJob": "batch/v1"}


def merge(base, patch):
    """Maps merge, lists replace, except containers (by name) and env (appended)."""
    for key, value in patch.items():
        if key == "containers":
            for item in value:
                for container in base[key]:
                    if container["name"] == item["name"]:
                        merge(container, {k: v for k, v in item.items() if k != "name"})
        elif key == "env":
            base.setdefault(key, []).extend(copy.deepcopy(value))
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)


def external_secret(env, app, name, secret, search):
    target = {"name": name, "creationPolicy": "Owner"}
    template = secret.get("template")
    if template or search:
        target["template"] = {"engineVersion": "v2"}
        if search:
            target["template"]["mergePolicy"] = "Merge"
            target["template"]["metadata"] = {"annotations": {"reloader.stakater.com/match": "true"}}
        if template:
            target["template"].update(template)
    body = {"refreshInterval": "1h", "secretStoreRef": {"name": env, "kind": "ClusterSecretStore"}, "target": target}
    if "extract" in secret:
        body["dataFrom"] = [{"extract": {"key": secret["extract"]}}]
    else:
        body["data"] = []
        for key, ref in secret["keys"].items():
            path, _, prop = ref.partition("#")
            body["data"].append({"secretKey": key, "remoteRef": {"key": path, "property": prop}})
    return {"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
            "metadata": {"name": name, "namespace": app["namespace"], "labels": dict(MANAGED, app=app["name"])}, "spec": body}


def wiring(apps, app):
    """env, envFrom, volumeMounts and volumes of the app's containers, and the Secrets read."""
    env, env_from, mounts, volumes = [], [], [], []
    for name, secret in app.get("secrets", {}).items():
        source = apps[secret["use"]]["secrets"][name] if "use" in secret else secret
        expose = secret.get("expose", "envFrom")
        if expose == "env":
            keys = source.get("template", {}).get("data") or source["keys"]
            env += [{"name": key, "valueFrom": {"secretKeyRef": {"name": name, "key": key}}} for key in keys]
        elif expose == "envFrom":
            env_from.append({"secretRef": {"name": name}})
        else:
            mounts.append({"name": name, "mountPath": expose["mountPath"], "readOnly": True})
            volumes.append({"name": name, "secret": {"secretName": name}})
    return env, env_from, mounts, volumes


def workload(apps, name, app, defaults_patch):
    env, env_from, mounts, volumes = wiring(apps, app)
    containers = []
    for cname, c in app["containers"].items():
        container = {"name": cname, "image": c["image"]}
        if "args" in c:
            container["args"] = list(c["args"])
        container["securityContext"] = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}
        for key, value in (("env", env), ("envFrom", env_from), ("volumeMounts", mounts)):
            if value:
                container[key] = copy.deepcopy(value)
        containers.append(container)
    pod = {"automountServiceAccountToken": False, "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}}
    kind = app.get("kind", "Deployment")
    if kind == "CronJob":
        pod["restartPolicy"] = "OnFailure"
    pod["containers"] = containers
    if volumes:
        pod["volumes"] = volumes
    template = {"metadata": {"labels": {"app": name}}, "spec": pod}
    for patch in (defaults_patch, app.get("patch", {})):
        merge(template, patch.get("spec", {}).get("template", {}))
    spec = {}
    if "replicas" in app:
        spec["replicas"] = app["replicas"]
    if kind == "StatefulSet":
        spec["serviceName"] = app.get("serviceName", name)
    if kind == "CronJob":
        spec = {"schedule": app["schedule"], "jobTemplate": {"spec": {"template": template}}}
    else:
        spec.update({"selector": {"matchLabels": {"app": name}}, "template": template})
    reads = sorted(n for n, s in app.get("secrets", {}).items() if s.get("expose", "envFrom") != "none")
    return {"apiVersion": API[kind], "kind": kind, "metadata": {
        "name": name, "namespace": app["namespace"], "labels": {"app": name, **MANAGED},
        "annotations": {"secret.reloader.stakater.com/reload": ",".join(reads)}}, "spec": spec}


def main(path):
    spec = yaml.load(open(path), Loader=Loader)
    env = spec["metadata"]["name"]
    vault = spec["vault"]
    apps = spec["apps"]
    defaults_patch = spec.get("defaults", {}).get("patch", {})
    namespaces = sorted(dict.fromkeys(a["namespace"] for a in apps.values()))
    k8s = vault["auth"]["kubernetes"]
    docs = [{
        "apiVersion": "external-secrets.io/v1", "kind": "ClusterSecretStore", "metadata": {"name": env, "labels": MANAGED},
        "spec": {"provider": {"vault": {"server": vault["server"], "path": vault["kv"]["mount"], "version": "v2", "auth": {"kubernetes": {
            "mountPath": "kubernetes", "role": k8s["role"], "serviceAccountRef": k8s["serviceAccountRef"]}}}},
            "conditions": [{"namespaces": namespaces}]},
    }]
    for name, app in apps.items():
        app["name"] = name
        search = app.get("reload") == "search"
        for sname, secret in app.get("secrets", {}).items():
            if "use" not in secret:
                docs.append(external_secret(env, app, sname, secret, search))
        if "workload" not in app:
            docs.append(workload(apps, name, app, defaults_patch))
    yaml.dump_all(docs, sys.stdout, Dumper=Dumper, sort_keys=False, explicit_start=True)


if __name__ == "__main__":
    main(sys.argv[1])
