"""The Vault shapes teams already run, logged in to on a real OpenBao as ESO would: ESO's own
service account through kubernetes auth (a TokenReview stand-in answers for the cluster) and
through JWT auth (tokens signed here); each reads exactly its paths on every KV mount."""

import contextlib
import http.server
import json
import threading

import jwt

from conftest import objects
from oracle import first_mount, groups, mounts, role_name, sources
from test_vault_enterprise import Issuer
from test_vault_live import call, data_path, free_port, openbao, run_bootstrap, seed
from test_vault_security import example, render

OPERATOR = ("external-secrets", "external-secrets-operator")


@contextlib.contextmanager
def token_review(issuer):
    """A stand-in for the Kubernetes API's TokenReview: a token is authenticated when the issuer
    signed it, as the service account its `sub` names, for the audiences Vault asks about."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            review = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            asked = review["spec"].get("audiences") or []
            try:
                claims = jwt.decode(review["spec"]["token"], issuer.key.public_key(), algorithms=["RS256"], options={"verify_aud": False})
                audiences = [a for a in claims["aud"] if not asked or a in asked]
                status = {"authenticated": bool(audiences), "audiences": audiences,
                          "user": {"username": claims["sub"], "uid": claims["kubernetes.io"]["serviceaccount"]["uid"]}}
            except jwt.InvalidTokenError:
                status = {"authenticated": False}
            body = json.dumps({**review, "status": status}).encode()
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def pod_token(issuer, namespace, account, audiences):
    """A projected service account token as the kubelet gives ESO's pod."""
    token = jwt.decode(issuer.token("https://kubernetes.default.svc", namespace, account, audiences), options={"verify_signature": False})
    token["kubernetes.io"] = {"namespace": namespace, "serviceaccount": {"name": account, "uid": f"uid-{account}"}}
    return jwt.encode(token, issuer.key, algorithm="RS256")


def check_reads(spec, addr, token, apps):
    """Exactly the paths ESO reads, each in its own mount; the same path in another mount is denied."""
    for app in apps:
        for source in sources(app, first_mount(spec)):
            assert call(addr, token, "GET", data_path(spec, source.path, source.mount))[0] == 200, source
            for other in mounts(spec):
                if other != source.mount:
                    assert call(addr, token, "GET", data_path(spec, source.path, other))[0] == 403, (source, other)
            assert call(addr, token, "GET", data_path(spec, f"{source.path}-decoy", source.mount))[0] == 403


def test_kubernetes_auth_as_esos_own_service_account(tmp_path):
    folder, spec = render(tmp_path, example("homelab"))
    issuer = Issuer(tmp_path)
    auth = spec["vault"]["auth"]["kubernetes"]
    ((policy, _, apps),) = groups(spec)
    with openbao() as (addr, root), token_review(issuer) as host:
        seed(spec, addr, root)
        run_bootstrap(folder, addr, root, tmp_path, extra_env={"KUBERNETES_HOST": host})
        # The store names no service account: ESO presents its pod's own token.
        stores = [obj for _, obj in objects(folder) if obj["kind"] == "ClusterSecretStore"]
        assert {s["metadata"]["name"] for s in stores} == {"vault", "vault-workloads"}
        for store in stores:
            assert store["spec"]["provider"]["vault"]["auth"] == {"kubernetes": {"mountPath": "kubernetes", "role": auth["role"]}}
        own = pod_token(issuer, *OPERATOR, [auth["audience"]])
        status, body = call(addr, "", "POST", "auth/kubernetes/login", {"role": auth["role"], "jwt": own})
        assert status == 200, f"ESO's own account did not log in: {status}"
        assert body["auth"]["policies"] == [policy]
        token = body["auth"]["client_token"]
        check_reads(spec, addr, token, apps)
        assert call(addr, token, "GET", "auth/token/lookup-self")[0] == 200
        # Another account, even ESO's name in another namespace, is refused.
        for namespace, account in (("paperless", "default"), ("default", OPERATOR[1]), (OPERATOR[0], "default")):
            other = pod_token(issuer, namespace, account, [auth["audience"]])
            assert call(addr, "", "POST", "auth/kubernetes/login", {"role": auth["role"], "jwt": other})[0] in (400, 403)


JWT_SPEC = """
# ESO's own account through JWT auth: ESO requests a token for its own service account.
apiVersion: keyway.dev/v1alpha1
kind: Environment
metadata: {name: jwtself}
operator: {namespace: eso, serviceAccount: eso-controller}
vault:
  server: http://vault.example:8200
  kv: [{mount: secret}, {mount: apps}]
  auth:
    jwt: {role: eso, audiences: [vault], boundIssuer: "https://kubernetes.default.svc"}
apps:
  web:
    namespace: web
    containers: {app: {image: "nginx:1.27"}}
    secrets:
      web-db: {extract: web/db}
      web-api: {mount: apps, extract: web/api}
"""


def test_jwt_auth_as_esos_own_service_account(tmp_path):
    folder, spec = render(tmp_path, JWT_SPEC)
    issuer = Issuer(tmp_path)
    ((policy, _, apps),) = groups(spec)
    with openbao() as (addr, root):
        seed(spec, addr, root)
        run_bootstrap(folder, addr, root, tmp_path, extra_env={"JWT_VALIDATION_PUBKEYS": str(issuer.public)})
        for _, store in objects(folder):
            if store["kind"] == "ClusterSecretStore":
                login = store["spec"]["provider"]["vault"]["auth"]["jwt"]
                assert login["kubernetesServiceAccountToken"]["serviceAccountRef"] == {"name": "eso-controller", "namespace": "eso"}
        own = issuer.token("https://kubernetes.default.svc", "eso", "eso-controller", ["vault"])
        status, body = call(addr, "", "POST", "auth/jwt/login", {"role": "eso", "jwt": own})
        assert status == 200 and body["auth"]["policies"] == [policy]
        check_reads(spec, addr, body["auth"]["client_token"], apps)
        other = issuer.token("https://kubernetes.default.svc", "web", "default", ["vault"])
        assert call(addr, "", "POST", "auth/jwt/login", {"role": "eso", "jwt": other})[0] in (400, 403)


def jwt_credential(spec, namespace, addr, issuer, policy):
    """The token ESO's jwt login gives a store: a token the issuer signs for the store's service
    account (the operator's without serviceAccountRef), with the spec's audiences and issuer,
    presented to the store's role (`roles` names a namespace's, else ROLE-NAMESPACE)."""
    auth = spec["vault"]["auth"]["jwt"]
    operator = {"namespace": "external-secrets", "serviceAccount": "external-secrets", **(spec.get("operator") or {})}
    account = auth.get("serviceAccountRef") or {"name": operator["serviceAccount"], "namespace": operator["namespace"]}
    own = issuer.token(auth["boundIssuer"], account.get("namespace", namespace), account["name"], auth["audiences"])
    mount = auth.get("mountPath", "jwt")
    status, body = call(addr, "", "POST", f"auth/{mount}/login", {"role": role_name(spec, namespace), "jwt": own})
    assert status == 200, f"jwt login for {namespace}: {status}"
    assert body["auth"]["policies"] == [policy], "the jwt token carries more than Keyway's policy"
    return body["auth"]["client_token"]


def test_jwt_roles_named_per_namespace(tmp_path):
    """specs/fleet.yaml: SecretStore mode whose roles the Vault already names (`roles`): each
    namespace's service account logs in at its own role, reads its paths, and not at another's."""
    folder, spec = render(tmp_path, example("fleet"))
    issuer = Issuer(tmp_path)
    auth = spec["vault"]["auth"]["jwt"]
    with openbao() as (addr, root):
        seed(spec, addr, root)
        run_bootstrap(folder, addr, root, tmp_path, extra_env={"JWT_VALIDATION_PUBKEYS": str(issuer.public)})
        stores = {}
        for _, store in objects(folder):
            if store["kind"] == "SecretStore":
                stores[store["metadata"]["namespace"]] = store["spec"]["provider"]["vault"]["auth"]["jwt"]["role"]
        assert stores == {"telemetry": "telemetry-reader", "routing": "eso-routing"}
        for policy, namespace, apps in groups(spec):
            assert role_name(spec, namespace) == stores[namespace]
            check_reads(spec, addr, jwt_credential(spec, namespace, addr, issuer, policy), apps)
            other = next(ns for ns in stores if ns != namespace)
            token = issuer.token(auth["boundIssuer"], other, auth["serviceAccountRef"]["name"], auth["audiences"])
            status, _ = call(addr, "", "POST", "auth/jwt/login", {"role": stores[namespace], "jwt": token})
            assert status in (400, 403), f"{other}'s account logs in at {namespace}'s role"
