import Foundation
import Testing

@testable import KeywayCore

@Suite("plan")
struct PlanTests {
    func example(_ name: String) throws -> CompiledEnvironment {
        try compiled(String(contentsOf: repositoryRoot.appendingPathComponent("specs/\(name).yaml"), encoding: .utf8))
    }

    /// What Vault holds right after bootstrap.sh: each policy as HCL, each role as Vault reads it
    /// back (durations in seconds), the mounts.
    func bootstrapped(_ compiled: CompiledEnvironment) -> LiveVault {
        var data: [String: ManifestMap] = [:]
        for mount in compiled.model.vault.mounts {
            data["sys/mounts/\(mount.path)"] = [
                "type": "kv", "options": ["version": .string(String(mount.version.rawValue))],
            ]
        }
        if let mount = compiled.vault.authMount {
            data["sys/mounts/auth/\(mount.path)"] = ["type": .string(mount.type.rawValue)]
            var config = mount.configDefaults
            for entry in mount.specConfig.entries { config[entry.key] = entry.value }
            data[mount.configPath] = config
        }
        for grant in compiled.vault.grants {
            data["sys/policies/acl/\(grant.policy.name)"] = [
                "policy": .string(HCLRenderer.render(grant.policy, header: ["live"]))
            ]
            for write in grant.credential.settingWrites { data[write.path] = write.body }
            if let role = grant.credential.roleWrite(policy: grant.policy.name) {
                var live = role.body
                for entry in role.body.entries {
                    if case .string(let text) = entry.value, let seconds = Syntax.goDurationSeconds(text),
                        entry.key.hasSuffix("_ttl")
                    {
                        live[entry.key] = .int(Int(seconds))
                    }
                }
                live["token_max_ttl"] = 0  // a field the script does not write: never compared
                data[role.path] = live
            }
        }
        return LiveVault(data: data)
    }

    /// An empty Vault: every object the script writes is created, each field from nothing.
    @Test func freshVaultCreatesEverything() throws {
        let compiled = try example("prod")
        let plan = VaultPlan(compiled, live: LiveVault(data: [:]))
        #expect(plan.changes.allSatisfy { $0.action == .create && $0.fields.allSatisfy { $0.from == nil } })
        #expect(
            plan.changes.map { "\($0.kind.rawValue) \($0.path)" } == [
                "kv-mount sys/mounts/kv", "auth-mount sys/mounts/auth/approle",
                "policy sys/policies/acl/eso-prod-payments", "role auth/approle/role/external-secrets-payments",
                "policy sys/policies/acl/eso-prod-billing", "role auth/approle/role/external-secrets-billing",
            ])
        #expect(plan.credentials.map(\.present) == [false, false])
    }

    /// After bootstrap.sh nothing changes: rules compared as rules, durations as seconds.
    @Test(arguments: [
        "dev", "staging", "prod", "qa", "sandbox", "review", "enterprise", "airgap", "shop", "lab", "edge", "homelab",
        "tenants",
    ])
    func bootstrappedVaultHasNoChanges(_ name: String) throws {
        let compiled = try example(name)
        #expect(VaultPlan(compiled, live: bootstrapped(compiled)).changes == [])
    }

    /// The same rules written otherwise (another order, a path split over two blocks, comments)
    /// are no change; a rule that loses a capability narrows the live policy.
    @Test func policiesAreComparedAsRules() throws {
        let compiled = try example("dev")
        var live = bootstrapped(compiled)
        let path = "sys/policies/acl/external-secrets-access"
        live.data[path] = [
            "policy": """
            # by hand
            path "auth/token/renew-self" { capabilities = ["update"] }
            path "kv/metadata/dev/*" { capabilities = ["list"] }
            path "kv/metadata/dev/" { capabilities = ["list"] }
            path "auth/token/lookup-self" { capabilities = ["read"] }
            path "kv/data/dev/*" { capabilities = ["read"] }
            path "kv/data/dev/*" { capabilities = ["list"] }
            path "sys/mounts" { capabilities = ["read"] }
            """
        ]
        let change = try #require(VaultPlan(compiled, live: live).changes.first)
        #expect(change.action == .update && change.kind == .policy && change.path == path)
        #expect(
            change.fields == [
                PlanField(name: "kv/data/dev/*", from: .strings(["read", "list"]), to: .strings(["read"])),
                PlanField(name: "sys/mounts", from: .strings(["read"]), to: nil),
            ])
        #expect(change.notes == ["narrows a live policy: 'kv/data/dev/*' loses list; 'sys/mounts' loses read"])
    }

    /// A role: only the fields the script writes, each live -> written.
    @Test func roleFieldsOldToNew() throws {
        let compiled = try example("staging")
        var live = bootstrapped(compiled)
        let path = "auth/kubernetes/role/external-secrets"
        live.data[path]?["token_ttl"] = 7200
        live.data[path]?["bound_service_account_names"] = .strings(["other", "external-secrets"])
        let plan = VaultPlan(compiled, live: live)
        #expect(
            plan.changes == [
                PlanChange(
                    action: .update, kind: .role, path: path,
                    fields: [
                        PlanField(
                            name: "bound_service_account_names", from: .strings(["other", "external-secrets"]),
                            to: .strings(["external-secrets"])),
                        PlanField(name: "token_ttl", from: 7200, to: "1h"),
                    ])
            ])
        let json = PlanRenderer.json(plan)
        #expect(json.contains(#""token_ttl": {"from": 7200, "to": "1h"}"#))
        #expect(PlanRenderer.text(plan, target: "x").contains("~ role auth/kubernetes/role/external-secrets\n"))
    }

    /// A mount of another type or KV version is a change with a note: the script would not fix it.
    @Test func mountsOfAnotherKind() throws {
        let compiled = try example("staging")
        var live = bootstrapped(compiled)
        live.data["sys/mounts/auth/kubernetes"] = ["type": "jwt"]
        live.data["sys/mounts/secret"] = ["type": "kv", "options": ["version": "2"]]
        let changes = VaultPlan(compiled, live: live).changes
        #expect(
            changes.map(\.fields) == [
                [PlanField(name: "version", from: "2", to: "1")],
                [PlanField(name: "type", from: "jwt", to: "kubernetes")],
            ])
        #expect(changes.allSatisfy { $0.action == .update && $0.notes.count == 1 })
    }

    /// An owned mount's config: the operator's settings, when given for plan too; a mount the spec
    /// does not own is left alone.
    @Test func ownedMountConfig() throws {
        for (name, owned) in [("sandbox", true), ("review", false)] {
            let compiled = try example(name)
            let mount = try #require(compiled.vault.authMount)
            #expect(mount.configuration.ownedByKeyway == owned)
            var live = bootstrapped(compiled)
            var config = mount.configDefaults
            config["kubernetes_host"] = "https://old:6443"
            config["issuer"] = "https://set-by-hand"
            live.data[mount.configPath] = config
            live.operatorConfig = ["kubernetes_host": "https://new:6443"]
            let changes = VaultPlan(compiled, live: live).changes
            // The script's write drops what it does not give: the issuer set by hand is reset too.
            let expected = [
                PlanField(name: "kubernetes_host", from: "https://old:6443", to: "https://new:6443"),
                PlanField(name: "issuer", from: "https://set-by-hand", to: ""),
            ]
            #expect(changes.map(\.fields) == (owned ? [expected] : []))
        }
    }

    /// keyway-plan.hcl grants exactly what plan reads, and nothing that writes.
    @Test func planPolicyIsTheReads() throws {
        for name in ["dev", "prod", "sandbox"] {
            let compiled = try example(name)
            let reads = PlanReads.reads(compiled)
            let policy = PlanReads.policy(compiled)
            #expect(policy.rules.map(\.path) == reads.map(\.path))
            #expect(policy.rules.allSatisfy { $0.capabilities == [.read] || $0.capabilities == [.list] })
            #expect(Set(reads.map(\.path)).count == reads.count)
        }
    }

    /// The script prints the very bodies plan compares.
    @Test func scriptPrintsTheRoleBodies() throws {
        for name in ["staging", "prod", "enterprise", "sandbox"] {
            let compiled = try example(name)
            let script = ShellRenderer.render(compiled.bootstrap)
            for grant in compiled.vault.grants {
                let role = try #require(grant.credential.roleWrite(policy: grant.policy.name))
                #expect(script.contains(JSONRenderer.render(.map(role.body))))
            }
        }
    }

    /// A Vault response's `data` and `errors`, read as JSON.
    @Test func responses() {
        let body = bytes(
            #"{"request_id":"x","data":{"type":"kv","options":{"version":"2"},"n":3600,"b":true,"z":null}}"#)
        #expect(LiveVault.responseData(body) == ["type": "kv", "options": ["version": "2"], "n": 3600, "b": true])
        #expect(LiveVault.responseErrors(bytes(#"{"errors":["permission denied"]}"#)) == ["permission denied"])
        #expect(LiveVault.responseData(bytes("not json {")) == nil)
    }
}

@Suite("plan: the setups teams run")
struct PlanSetupTests {
    /// A userpass user is a `user` change (never a password); a fixed role-id is compared too;
    /// each KV mount is its own change.
    @Test func userRoleIdAndMounts() throws {
        let lab = try compiled(
            String(contentsOf: repositoryRoot.appendingPathComponent("specs/lab.yaml"), encoding: .utf8))
        let fresh = VaultPlan(lab, live: LiveVault(data: [:]))
        let user = try #require(fresh.changes.first { $0.kind == .user })
        #expect(user.path.hasPrefix("auth/") && user.path.contains("/users/"))
        #expect(!user.fields.contains { $0.name == "password" })
        #expect(fresh.credentials.map(\.present) == [false])

        let edge = try compiled(
            String(contentsOf: repositoryRoot.appendingPathComponent("specs/edge.yaml"), encoding: .utf8))
        let roleID = try #require(edge.vault.grants.first?.credential.settingWrites.first)
        var live = LiveVault(data: [roleID.path: ["role_id": "another"]])
        let change = try #require(VaultPlan(edge, live: live).changes.first { $0.path == roleID.path })
        #expect(change.action == .update && change.fields.map(\.name) == ["role_id"])
        live.data[roleID.path] = roleID.body
        #expect(!VaultPlan(edge, live: live).changes.contains { $0.path == roleID.path })

        let homelab = try compiled(
            String(contentsOf: repositoryRoot.appendingPathComponent("specs/homelab.yaml"), encoding: .utf8))
        let kv = VaultPlan(homelab, live: LiveVault(data: [:])).changes.filter { $0.kind == .kvMount }
        #expect(kv.map(\.path) == homelab.model.vault.mounts.map { "sys/mounts/\($0.path)" } && kv.count == 2)
    }
}

@Suite("plan: the command")
struct PlanCommandTests {
    /// A rejected spec stops before Vault is called: exit 1, its diagnostics, nothing on stdout;
    /// a usage error is 64.
    @Test func rejectedSpecAndUsage() throws {
        let invalid = try runCompile(["plan", "specs/invalid/plan-policy-name.yaml", "--detailed-exitcode"])
        #expect(invalid.status == 1 && invalid.out.isEmpty && invalid.err.contains("[KW200]"))
        #expect(try runCompile(["plan"]).status == 64)
        #expect(try runCompile(["plan", "specs/dev.yaml", "--format", "yaml"]).status == 64)
    }
}

extension PlanTests {
    /// A live policy in a form the reader does not take (JSON) is replaced whole, and says so.
    @Test func unreadableLivePolicy() throws {
        let compiled = try example("dev")
        var live = bootstrapped(compiled)
        live.data["sys/policies/acl/external-secrets-access"] = [
            "policy": #"{"path": {"kv/*": {"capabilities": ["read"]}}}"#
        ]
        let change = try #require(VaultPlan(compiled, live: live).changes.first)
        #expect(change.action == .update && change.notes.first?.contains("replaces it whole") == true)
    }
}
