#!/usr/bin/env python3
"""A kubectl stand-in for the bootstrap script, acting as a cluster that keeps what is applied:
`create` and `annotate --local` run the real kubectl (client-side only), `apply` records the
manifest it receives, and `get secret … -o jsonpath=…` answers from the last one recorded.

It also checks what the script promises kubectl: never the operator's Vault token in its
environment. KEYWAY_KUBECTL_FAIL_APPLY makes `apply` fail, as a cluster that refuses would."""

import json
import os
import pathlib
import subprocess
import sys

import yaml

args = sys.argv[1:]
record = pathlib.Path(os.environ["KEYWAY_KUBECTL_RECORD"])
if "VAULT_TOKEN" in os.environ:
    sys.exit("kubectl stand-in: the operator's VAULT_TOKEN reached kubectl")


def recorded(namespace, name):
    """The last Secret applied with this namespace and name, or None."""
    found = None
    for path in sorted(record.glob("*.yaml")) if record.exists() else []:
        secret = yaml.safe_load(path.read_text())
        if (secret["metadata"].get("namespace"), secret["metadata"]["name"]) == (namespace, name):
            found = secret
    return found


if args[:1] == ["create"]:
    if "--dry-run=client" not in args:
        sys.exit("kubectl stand-in: create without --dry-run=client")
    sys.exit(subprocess.run([os.environ["KEYWAY_REAL_KUBECTL"], *args]).returncode)
if args[:1] == ["annotate"]:
    if "--local" not in args:
        sys.exit("kubectl stand-in: annotate without --local")
    sys.exit(subprocess.run([os.environ["KEYWAY_REAL_KUBECTL"], *args]).returncode)
if args[:2] == ["get", "secret"]:
    name = args[2]
    namespace = next(a.split("=", 1)[1] for a in args if a.startswith("--namespace="))
    output = args[args.index("-o") + 1]
    assert "--ignore-not-found" in args, args
    assert output in ("name", "jsonpath={.metadata.annotations.keyway\\.dev/vault-accessor}"), output
    secret = recorded(namespace, name)
    if secret is not None and output == "name":
        sys.stdout.write(f"secret/{name}\n")
    elif secret is not None:
        sys.stdout.write((secret["metadata"].get("annotations") or {}).get("keyway.dev/vault-accessor", ""))
    sys.exit(0)
if args[:1] == ["apply"]:
    data = sys.stdin.read()
    if not data.strip():
        sys.exit("error: no objects passed to apply")
    if os.environ.get("KEYWAY_KUBECTL_FAIL_APPLY"):
        sys.exit("error: the cluster refused the apply (test)")
    record.mkdir(parents=True, exist_ok=True)
    count = len(list(record.glob("*.yaml")))
    (record / f"{count:03d}.yaml").write_text(data)
    sys.exit(0)
sys.exit(f"kubectl stand-in: unexpected call {json.dumps(args)}")
