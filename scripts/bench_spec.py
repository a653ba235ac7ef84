"""Writes a synthetic spec of N apps that uses the round's features, in groups of four apps sharing
a namespace (ns0..ns9 in turn), with a `defaults.patch` (runAsNonRoot, memory limit of `main`):

- app 4k: a Deployment (replicas 2) whose `db` secret has `keys` and a `template` computing
  DATABASE_URL over them (exposed as env), plus an `extract` secret (envFrom) and a patch adding
  one env variable;
- app 4k+1: a StatefulSet with an `extract` secret and a `keys` secret exposed as env, except every
  fifth group, where it is a `workload:` app (a chart's Deployment, `reload: search`);
- app 4k+2: a DaemonSet with an `extract` secret mounted as files and the `db` secret of app 4k
  (`use:`, env);
- app 4k+3: a CronJob with an `extract` secret and the `db` secret of app 4k (`use:`, envFrom)."""

import sys

HEADER = """apiVersion: keyway.dev/v1alpha1
kind: Environment
metadata:
  name: bench
vault:
  server: https://vault.example.com
  kv: {mount: kv}
  auth:
    kubernetes:
      role: eso
      serviceAccountRef: {name: external-secrets, namespace: external-secrets}
defaults:
  patch:
    spec:
      template:
        spec:
          securityContext: {runAsNonRoot: true}
          containers:
            - name: main
              resources: {limits: {memory: 256Mi}}
apps:"""


def deployment(i):
    return [
        f"  app{i}:",
        f"    namespace: ns{(i // 4) % 10}",
        "    replicas: 2",
        "    containers:",
        f'      main: {{image: "registry.example.com/app{i}:1.0"}}',
        "    secrets:",
        f"      app{i}-config: {{extract: bench/app{i}/config}}",
        f"      app{i}-db:",
        "        keys:",
        f"          user: bench/app{i}/db#user",
        f"          password: bench/app{i}/db#password",
        "        template:",
        "          data:",
        f'            DATABASE_URL: "postgres://{{{{ .user }}}}:{{{{ .password }}}}@db{i}:5432/app"',
        "        expose: env",
        "    patch:",
        "      spec:",
        "        template:",
        "          spec:",
        "            containers:",
        "              - name: main",
        "                env: [{name: LOG_LEVEL, value: info}]",
    ]


def statefulset(i):
    return [
        f"  app{i}:",
        f"    namespace: ns{(i // 4) % 10}",
        "    kind: StatefulSet",
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


def chart(i):
    return [
        f"  app{i}:",
        f"    namespace: ns{(i // 4) % 10}",
        f"    workload: {{kind: Deployment, name: chart{i}, containers: [server]}}",
        "    reload: search",
        "    secrets:",
        f"      app{i}-config: {{extract: bench/app{i}/config}}",
        f"      app{i}-db:",
        "        keys:",
        f"          DB_USER: bench/app{i}/db#user",
        f"          DB_PASSWORD: bench/app{i}/db#password",
        "        expose: env",
    ]


def daemonset(i, owner):
    return [
        f"  app{i}:",
        f"    namespace: ns{(i // 4) % 10}",
        "    kind: DaemonSet",
        "    containers:",
        f'      main: {{image: "registry.example.com/app{i}:1.0"}}',
        "    secrets:",
        f"      app{i}-config:",
        f"        extract: bench/app{i}/config",
        f"        expose: {{mountPath: /etc/app{i}}}",
        f"      app{owner}-db: {{use: app{owner}, expose: env}}",
    ]


def cronjob(i, owner):
    return [
        f"  app{i}:",
        f"    namespace: ns{(i // 4) % 10}",
        "    kind: CronJob",
        '    schedule: "0 3 * * *"',
        "    containers:",
        f'      main: {{image: "registry.example.com/app{i}:1.0", args: ["--daily"]}}',
        "    secrets:",
        f"      app{i}-config: {{extract: bench/app{i}/config}}",
        f"      app{owner}-db: {{use: app{owner}}}",
    ]


def app(i):
    group, role = i // 4, i % 4
    owner = 4 * group
    if role == 0:
        return deployment(i)
    if role == 1:
        return chart(i) if group % 5 == 0 else statefulset(i)
    return daemonset(i, owner) if role == 2 else cronjob(i, owner)


def spec(n):
    lines = HEADER.split("\n")
    for i in range(n):
        lines += app(i)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(spec(int(sys.argv[1])))
