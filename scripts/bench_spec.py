"""Writes a synthetic spec: N apps over 10 namespaces, each one container, one `extract` secret and
one `keys` secret with two keys exposed as env."""

import sys


def spec(n):
    lines = [
        "apiVersion: keyway.dev/v1alpha1",
        "kind: Environment",
        "metadata:",
        "  name: bench",
        "vault:",
        "  server: https://vault.example.com",
        "  kv: {mount: kv}",
        "  auth:",
        "    kubernetes:",
        "      role: eso",
        "      serviceAccountRef: {name: external-secrets, namespace: external-secrets}",
        "apps:",
    ]
    for i in range(n):
        lines += [
            f"  app{i}:",
            f"    namespace: ns{i % 10}",
            "    containers:",
            f'      main: {{image: "registry.example.com/app{i}:1.0"}}',
            "    secrets:",
            f"      app{i}-config: {{extract: bench/app{i}/config}}",
            f"      app{i}-db:",
            "        keys:",
            f"          DB_USER: bench/app{i}/db#user",
            f"          DB_PASSWORD: bench/app{i}/db#password",
            "        expose: env",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(spec(int(sys.argv[1])))
