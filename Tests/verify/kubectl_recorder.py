#!/usr/bin/env python3
"""A kubectl stand-in for the bootstrap script: `create` runs the real kubectl (client-side dry
run only), `apply` records the manifest it receives instead of sending it to a cluster."""

import os
import pathlib
import subprocess
import sys

args = sys.argv[1:]
record = pathlib.Path(os.environ["KEYWAY_KUBECTL_RECORD"])
if args[:1] == ["create"]:
    if "--dry-run=client" not in args:
        sys.exit("kubectl stand-in: create without --dry-run=client")
    sys.exit(subprocess.run([os.environ["KEYWAY_REAL_KUBECTL"], *args]).returncode)
if args[:1] == ["apply"]:
    data = sys.stdin.read()
    if not data.strip():
        sys.exit("error: no objects passed to apply")
    record.mkdir(parents=True, exist_ok=True)
    count = len(list(record.glob("*.yaml")))
    (record / f"{count:03d}.yaml").write_text(data)
    sys.exit(0)
sys.exit(f"kubectl stand-in: unexpected call {args}")
