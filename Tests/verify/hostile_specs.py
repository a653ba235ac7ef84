"""Hostile specs: one generator per shape that once made the compiler slow, hungry or loud.

Each generator returns the text of a spec of about `size` bytes (the reader's limit is 16 MiB) that
is full of one kind of thing: template keys no secret declares, `use:` entries naming apps that do
not exist, apps, secrets, containers, patches, long scalars, deep nesting, unknown keys. Most of them
are invalid on purpose: the compiler must reach every error in seconds and print a bounded stderr.
Run as a script to write them into a folder: `python3 hostile_specs.py OUT [SIZE]`.
"""

import sys

HEAD = """apiVersion: keyway.dev/v1alpha1
kind: Environment
metadata:
  name: hostile
vault:
  server: https://vault.example.com
  kv: {mount: kv}
  auth:
    kubernetes:
      role: external-secrets
      serviceAccountRef: {name: external-secrets, namespace: external-secrets}
"""


def _app(name, body, namespace="ns"):
    return f"  {name}:\n    namespace: {namespace}\n    containers:\n      app: {{image: 'busybox:1.36'}}\n{body}"


def _fill(size, prefix, item):
    """`prefix`, then `item(i)` for i = 0, 1, … until the text is about `size` bytes."""
    parts, total, index = [prefix], len(prefix), 0
    while total < size:
        part = item(index)
        parts.append(part)
        total += len(part)
        index += 1
    return "".join(parts)


def template_keys(size):
    """One secret with many keys and a template naming many keys it does not declare."""
    keys = "".join(f"          key{i}: dev/db#k{i}\n" for i in range(2000))
    head = HEAD + "apps:\n" + _app("a", "    secrets:\n      s:\n        keys:\n" + keys)
    head += "        template:\n          data:\n"
    return _fill(size, head, lambda i: f'            v{i}: "{{{{ .missing{i} }}}} {{{{ .key{i % 2000}x }}}}"\n')


def use_missing(size):
    """One app with many secrets, each `use:` of an app that does not exist."""
    head = HEAD + "apps:\n" + _app("a", "    secrets:\n")
    return _fill(size, head, lambda i: f"      s{i}: {{use: nope{i}}}\n")


def use_existing(size):
    """Many apps using secrets that one app defines (valid uses, many of them)."""
    secrets = "".join(f"      s{i}: {{extract: dev/s{i}}}\n" for i in range(3000))
    head = HEAD + "apps:\n" + _app("owner", "    secrets:\n" + secrets)
    return _fill(size, head, lambda i: _app(f"u{i}", f"    secrets:\n      s{i % 3000}: {{use: owner}}\n"))


def many_apps(size):
    """Many valid apps, each with a secret and a container."""
    head = HEAD + "apps:\n"
    return _fill(size, head, lambda i: _app(f"app{i}", f"    secrets:\n      s{i}: {{extract: dev/app{i}}}\n"))


def many_secrets(size):
    """One app with many secrets, some of them with the same target."""
    head = HEAD + "apps:\n" + _app("a", "    secrets:\n")
    return _fill(size, head, lambda i: f"      s{i}: {{extract: dev/s{i}, target: t{i % 1000}}}\n")


def many_containers(size):
    """One app with many containers, and secrets naming containers that do not exist."""
    containers = "".join(f"      c{i}: {{image: 'busybox:1.36'}}\n" for i in range(4000))
    head = HEAD + "apps:\n  a:\n    namespace: ns\n    containers:\n" + containers + "    secrets:\n"
    return _fill(size, head, lambda i: f"      s{i}: {{extract: dev/s{i}, containers: [c{i % 4000}x, c{i % 4000}]}}\n")


def many_patches(size):
    """An app whose patch adds many containers and env entries, some of them twice."""
    head = HEAD + "apps:\n" + _app("a", "    patch:\n      spec:\n        template:\n          spec:\n")
    head += "            containers:\n"
    return _fill(
        size,
        head,
        lambda i: f"              - name: app\n                env: [{{name: E{i % 5000}, value: v}}]\n",
    )


def many_container_patches(size):
    """An app with many containers, each patched once with many variables (valid)."""
    count = max(1, size // 2000)
    containers = "".join(f"      c{i}: {{image: 'busybox:1.36'}}\n" for i in range(count))
    head = HEAD + "apps:\n  a:\n    namespace: ns\n    containers:\n" + containers
    head += "    patch:\n      spec:\n        template:\n          spec:\n            containers:\n"
    env = "".join(f"{{name: V{j}, value: v}}, " for j in range(40))
    return _fill(size, head, lambda i: f"              - {{name: c{i % count}, env: [{env}]}}\n" if i < count else "#\n")


def wiring(size):
    """Every secret given to every container: a million entries from a small spec."""
    count = 1000
    containers = "".join(f"      c{i}: {{image: 'busybox:1.36'}}\n" for i in range(count))
    head = HEAD + "apps:\n  a:\n    namespace: ns\n    containers:\n" + containers + "    secrets:\n"
    return _fill(size, head, lambda i: f"      s{i}: {{keys: {{K{i}: dev/s#k}}, expose: env}}\n")


def many_errors(size):
    """Every line an error of another kind: bad names, durations, paths, values."""
    head = HEAD + "apps:\n"
    return _fill(
        size,
        head,
        lambda i: _app(
            f"App_{i}",
            f"    secrets:\n      s{i}: {{extract: '/bad//{i}', refreshInterval: 5 years, expose: nope}}\n",
            namespace=f"NS_{i}",
        ),
    )


def long_scalars(size):
    """A few scalars of megabytes: an image, a path, a key name."""
    long = "a" * (size // 4)
    body = f"    secrets:\n      s: {{extract: 'dev/{long}'}}\n      {long}: {{extract: dev/x}}\n"
    return HEAD + "apps:\n" + _app("a", body).replace("busybox:1.36", long[: size // 4])


def deep_nesting(size):
    """A patch nested as deep as the text allows (flow and block)."""
    depth = size // 8
    return HEAD + "apps:\n" + _app("a", "    patch: " + "{a: " * depth + "1" + "}" * depth + "\n")


def unknown_keys(size):
    """Many apps, each with keys no table knows (one error each)."""
    head = HEAD + "apps:\n"
    return _fill(size, head, lambda i: _app(f"app{i}", f"    secretz{i}: x\n    contaners: y\n"))


def duplicate_targets(size):
    """Many apps in one namespace writing the same targets (duplicate errors across apps)."""
    head = HEAD + "apps:\n"
    return _fill(size, head, lambda i: _app(f"app{i}", "    secrets:\n      s: {extract: dev/x, target: same}\n"))


def patch_annotations(size):
    """An app whose patch adds many annotations to its pod template: one map of many keys."""
    head = HEAD + "apps:\n" + _app("a", "    patch:\n      spec:\n        template:\n          metadata:\n")
    return _fill(size, head + "            annotations:\n", lambda i: f"              example.com/a{i}: v\n")


def ca_bundle(size):
    """`vault.caBundle` of one certificate of many base64 lines."""
    lines = "".join("    " + "A" * 64 + "\n" for _ in range(size // 70))
    bundle = "  caBundle: |\n    -----BEGIN CERTIFICATE-----\n    MIIB\n" + lines + "    -----END CERTIFICATE-----\n"
    head = HEAD.replace("  kv: {mount: kv}\n", bundle + "  kv: {mount: kv}\n")
    return head + "apps:\n" + _app("a", "    secrets:\n      s: {extract: dev/x}\n")


# The shapes below cost the product of two of their parts. Each is written smaller than `size`
# (the parts a fraction of it, nothing else) so that the product, not the text around it, decides
# how the time grows, and a 1 MiB run stays short on the debug build.


def defaults_patch_containers(size):
    """A `defaults.patch` naming many containers no app declares, and many apps (each skips them all)."""
    head = HEAD + "defaults:\n  patch:\n    spec:\n      template:\n        spec:\n          containers:\n"
    head = _fill(size // 10, head, lambda i: f"            - {{name: c{i}, env: [{{name: A, value: b}}]}}\n")
    return _fill(len(head) + size // 20, head + "apps:\n", lambda i: _app(f"a{i}", ""))


def defaults_patch_problems(size):
    """A `defaults.patch` of many container entries without a name (an error for every app), and many apps."""
    head = HEAD + "defaults:\n  patch:\n    spec:\n      template:\n        spec:\n          containers:\n"
    head = _fill(size // 10, head, lambda i: f"            - {{env: [{{name: A{i}, value: b}}]}}\n")
    return _fill(len(head) + size // 20, head + "apps:\n", lambda i: _app(f"a{i}", ""))


def defaults_patch_problems_and_apps(size):
    """Half the text `defaults.patch` container entries without a name, half apps with a container.

    Each chunk of apps the builder reads on a core walked the entries again (the apps times the
    list, and a collector holding them per chunk): they are reported once, with `defaults`."""
    head = HEAD + "defaults:\n  patch:\n    spec:\n      template:\n        spec:\n          containers:\n"
    head = _fill(size // 2, head, lambda i: f"            - {{env: [{{name: A{i}, value: b}}]}}\n")
    return _fill(len(head) + size // 2, head + "apps:\n", lambda i: _app(f"a{i}", ""))


def many_mounts(size):
    """Many KV mounts (a store each), and secrets reading the last of them."""
    count = max(1, size // 200)
    mounts = "".join(f"    - {{mount: m{i}, version: 2}}\n" for i in range(count))
    head = HEAD.replace("  kv: {mount: kv}\n", "  kv:\n" + mounts) + "apps:\n" + _app("a", "    secrets:\n")
    return _fill(len(head) + size // 64, head, lambda i: f"      s{i}: {{extract: dev/s{i}, mount: m{count - 1}}}\n")


def containers_one_each(size):
    """One app with many containers and more secrets, each given to one container."""
    count = max(1, size // 160)
    containers = "".join(f"      c{i}: {{image: 'busybox:1.36'}}\n" for i in range(count))
    head = HEAD + "apps:\n  a:\n    namespace: ns\n    containers:\n" + containers + "    secrets:\n"
    return _fill(len(head) + size // 10, head, lambda i: f"      s{i}: {{extract: dev/s{i}, containers: [c{i % count}]}}\n")


def template_one_long_value(size):
    """One valid template value of many actions, each calling a function."""
    body = "    secrets:\n      s:\n        keys: {k: dev/db#k}\n        template:\n          data:\n"
    value = "{{ .k | upper }}" * (size // 160)
    return HEAD + "apps:\n" + _app("a", body) + f'            v: "{value}"\n'


GENERATORS = {
    name: function
    for name, function in globals().items()
    if callable(function) and not name.startswith("_") and function.__module__ == __name__
}

# Shapes still superlinear, each in a place another change owns: the growth test is expected to
# fail (strictly: it turns into a failure once fixed, and the entry must go).
QUADRATIC = {}

if __name__ == "__main__":
    import pathlib

    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 1 << 20
    for name, generate in GENERATORS.items():
        (out / f"{name}.yaml").write_text(generate(size))
