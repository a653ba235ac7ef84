"""ESO objects against ESO's own CRD schemas (strict), built-in objects against kubernetes-validate --strict."""

import copy
import json
import subprocess

import jsonschema
import pytest

from conftest import SCHEMAS, SPECS, objects

ESO_FILES = {
    ("ExternalSecret", "external-secrets.io/v1"): "externalsecret-v1.json",
    ("ClusterSecretStore", "external-secrets.io/v1"): "clustersecretstore-v1.json",
    ("SecretStore", "external-secrets.io/v1"): "secretstore-v1.json",
    ("ExternalSecret", "external-secrets.io/v1beta1"): "v0.16.2/externalsecret-v1beta1.json",
    ("ClusterSecretStore", "external-secrets.io/v1beta1"): "v0.16.2/clustersecretstore-v1beta1.json",
    ("SecretStore", "external-secrets.io/v1beta1"): "v0.16.2/secretstore-v1beta1.json",
}


def strict(schema):
    """Refuse unknown fields wherever the CRD lists properties and does not preserve unknown fields."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if "properties" in node and not node.get("x-kubernetes-preserve-unknown-fields"):
                node.setdefault("additionalProperties", False)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def eso_schema(kind, api_version):
    return strict(json.loads((SCHEMAS / ESO_FILES[(kind, api_version)]).read_text()))


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_eso_objects_match_crd_schemas(rendered, spec):
    folder, _ = rendered[spec]
    checked = 0
    for path, obj in objects(folder):
        if obj["apiVersion"].startswith("external-secrets.io/"):
            body = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind", "metadata")}
            errors = list(jsonschema.Draft7Validator(eso_schema(obj["kind"], obj["apiVersion"])).iter_errors(body))
            assert not errors, f"{spec.name}: {obj['kind']} {obj['metadata']['name']}: " + "; ".join(
                f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in errors
            )
            checked += 1
    assert checked >= 2


def test_strict_schema_refuses_unknown_fields():
    schema = eso_schema("ExternalSecret", "external-secrets.io/v1")
    body = {"spec": {"secretStoreRef": {"name": "x", "kind": "ClusterSecretStore"}, "refreshIntervl": "1m"}}
    assert list(jsonschema.Draft7Validator(schema).iter_errors(body))


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_builtin_objects_pass_kubernetes_validate_strict(rendered, spec):
    folder, _ = rendered[spec]
    kinds = ("Deployment", "StatefulSet", "DaemonSet", "CronJob", "ServiceAccount", "Secret", "ConfigMap", "ClusterRoleBinding")
    files = [str(path) for path, obj in objects(folder) if obj["kind"] in kinds]
    assert files
    result = subprocess.run(["kubernetes-validate", "--strict", "--quiet", "-k", "1.37.0", *files], capture_output=True, text=True)
    assert result.returncode == 0, f"{spec.name}: {result.stdout}{result.stderr}"
