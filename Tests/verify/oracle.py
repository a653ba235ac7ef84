"""What a spec should give, derived here independently of the compiler: the policies' paths and
capabilities, and every Vault read ESO makes."""


def sources(app):
    for name, secret in (app.get("secrets") or {}).items():
        if "use" in secret:
            continue  # another app's secret: its ExternalSecret and reads are that app's
        if "extract" in secret:
            yield "extract", secret["extract"]
        elif "find" in secret:
            yield "find", secret["find"]["path"]
        else:
            for value in secret["keys"].values():
                path = value["key"] if isinstance(value, dict) else value.split("#", 1)[0]
                yield "key", path


def groups(spec):
    """(policy name, namespace or None, apps) per store."""
    env = spec["metadata"]["name"]
    name = (spec["vault"].get("policy") or {}).get("name", f"keyway-{env}")
    apps = list(spec["apps"].values())
    if (spec.get("secretStore") or {}).get("kind") == "SecretStore":
        namespaces = []
        for app in apps:
            if app["namespace"] not in namespaces:
                namespaces.append(app["namespace"])
        return [(f"{name}-{ns}", ns, [a for a in apps if a["namespace"] == ns]) for ns in namespaces]
    return [(name, None, apps)]


def policy_rules(spec, apps):
    """{path: set(capabilities)} the least policy for these apps."""
    kv = spec["vault"]["kv"]
    mount, version = kv["mount"], kv.get("version", 2)
    policy = spec["vault"].get("policy") or {}
    rules = {}

    def grant(path, *caps):
        rules.setdefault(path, set()).update(caps)

    def folder(path):
        if version == 2:
            grant(f"{mount}/data/{path}/*", "read")
            grant(f"{mount}/metadata/{path}/", "list")
            grant(f"{mount}/metadata/{path}/*", "list")
        else:
            grant(f"{mount}/{path}/", "list")
            grant(f"{mount}/{path}/*", "read", "list")

    if policy.get("scope") == "prefix":
        folder(policy["prefix"])
    else:
        for app in apps:
            for kind, path in sources(app):
                if kind == "find":
                    folder(path)
                else:
                    grant(f"{mount}/data/{path}" if version == 2 else f"{mount}/{path}", "read")
    # Credentials carry no default policy: the token self-paths ESO calls (lookup-self to check
    # the store; revoke-self when it logged in), and renew-self for the renewal CronJob.
    grant("auth/token/lookup-self", "read")
    if "token" in spec["vault"]["auth"]:
        grant("auth/token/renew-self", "update")
    else:
        grant("auth/token/revoke-self", "update")
    return rules
