"""The comparison for the benchmark: what a platform team's Python script does for the same spec
(read it with PyYAML's libyaml bindings, build the same ClusterSecretStore, ExternalSecrets and
Deployments, emit them with PyYAML's libyaml emitter). No validation: it is the floor of a script,
not a compiler."""

import sys

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def main(path):
    spec = yaml.load(open(path), Loader=Loader)
    env = spec["metadata"]["name"]
    vault = spec["vault"]
    labels = {"app.kubernetes.io/managed-by": "keyway"}
    namespaces = list(dict.fromkeys(a["namespace"] for a in spec["apps"].values()))
    k8s = vault["auth"]["kubernetes"]
    docs = [{
        "apiVersion": "external-secrets.io/v1", "kind": "ClusterSecretStore", "metadata": {"name": env, "labels": labels},
        "spec": {"provider": {"vault": {"server": vault["server"], "path": vault["kv"]["mount"], "version": "v2", "auth": {"kubernetes": {
            "mountPath": "kubernetes", "role": k8s["role"], "serviceAccountRef": k8s["serviceAccountRef"]}}}},
            "conditions": [{"namespaces": namespaces}]},
    }]
    for name, app in spec["apps"].items():
        env_vars, env_from = [], []
        for sname, secret in app["secrets"].items():
            body = {"refreshInterval": "1h", "secretStoreRef": {"name": env, "kind": "ClusterSecretStore"},
                    "target": {"name": sname, "creationPolicy": "Owner"}}
            if "extract" in secret:
                body["dataFrom"] = [{"extract": {"key": secret["extract"]}}]
                env_from.append({"secretRef": {"name": sname}})
            else:
                body["data"] = []
                for key, ref in secret["keys"].items():
                    p, _, prop = ref.partition("#")
                    body["data"].append({"secretKey": key, "remoteRef": {"key": p, "property": prop}})
                    env_vars.append({"name": key, "valueFrom": {"secretKeyRef": {"name": sname, "key": key}}})
            docs.append({"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
                         "metadata": {"name": sname, "namespace": app["namespace"], "labels": dict(labels, app=name)}, "spec": body})
        containers = [{"name": c, "image": v["image"], "env": env_vars, "envFrom": env_from} for c, v in app["containers"].items()]
        docs.append({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {
            "name": name, "namespace": app["namespace"], "labels": dict(labels, app=name),
            "annotations": {"secret.reloader.stakater.com/reload": ",".join(sorted(app["secrets"]))}},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": containers}}}})
    yaml.dump_all(docs, sys.stdout, Dumper=Dumper, sort_keys=False, explicit_start=True)


if __name__ == "__main__":
    main(sys.argv[1])
