import Foundation
import Testing

@testable import KeywayCore

/// The inputs that compile from `spec` (its manifests and bootstrap script, policies too when asked),
/// with `edit` applied to the bootstrap script's text.
func importInputs(compiling spec: String, policies: Bool = false, script edit: (String) -> String = { $0 }) throws
    -> [ImportFile]
{
    let files = OutputLayout.files(try compiled(spec)).filter {
        $0.path.hasSuffix(".yaml") && $0.path.hasPrefix("manifests/") || $0.path.hasSuffix(".sh")
            || policies && $0.path.hasSuffix(".hcl")
    }
    return files.map { file in
        ImportFile(
            name: file.path, text: Array((file.path.hasSuffix(".sh") ? edit(file.contents) : file.contents).utf8))
    }
}

/// Import never gives more than its inputs: a `deny` stays a denial, a credential's limits are not
/// dropped in silence, and facts come from the commands' structure, never from text beside them.
@Suite("Import security")
struct ImportSecurityTests {
    static func spec(_ name: String) throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent("specs/\(name).yaml"), encoding: .utf8)
    }

    /// The jwt role's issuer is `bound_claims.iss` of the role's JSON, parsed: a `claim_mappings`
    /// entry named `iss`, written first, does not become the spec's `boundIssuer`.
    @Test func jwtIssuerComesFromTheParsedRole() throws {
        let inputs = try importInputs(compiling: try Self.spec("enterprise")) { script in
            script.replacingOccurrences(
                of: "'{\"role_type\":\"jwt\",",
                with: "'{\"claim_mappings\":{\"iss\":\"https://evil.example\"},\"role_type\":\"jwt\",")
        }
        #expect(inputs.contains { String(decoding: $0.text, as: UTF8.self).contains("evil.example") })
        let (result, imported) = try importAndCompile(inputs)
        #expect(result.spec?.contains("evil.example") == false, "\(result.spec ?? "")")
        #expect(
            result.spec?.contains("boundIssuer: https://oidc.payments-eu.example.com\n") == true,
            "\(result.spec ?? "")")
        #expect(!ShellRenderer.render(imported.bootstrap).contains("evil.example"))
    }

    /// A role JSON written with spaces (as a person writes it) is read as well as Keyway's.
    @Test func roleJSONWithSpacesIsParsed() throws {
        let inputs = try importInputs(compiling: try Self.spec("prod")) { script in
            script.replacingOccurrences(of: "\"token_ttl\":\"20m\"", with: "\"token_ttl\": \"20m\" ")
                .replacingOccurrences(of: "\",\"", with: "\", \"")
        }
        let (result, _) = try importAndCompile(inputs)
        #expect(result.spec?.contains("tokenTTL: \"20m\"") == true, "\(result.spec ?? "")")
    }

    /// `ownsMount` is read from what the script does (it writes the mount's config on every run,
    /// outside any `if`), not from a comment: a comment alone claims nothing, and a script
    /// without Keyway's comment that configures the mount unconditionally owns it.
    @Test func ownsMountComesFromTheScriptsStructure() throws {
        let notOwned = try Self.spec("staging")
        let owned = notOwned.replacingOccurrences(of: "audience: vault", with: "audience: vault\n      ownsMount: true")
        let comment = "# The mount is Keyway's ('ownsMount: true'): its config is written on every run.\n"
        // A comment that says so, in a script that configures the mount only when it enables it.
        let forged = try importInputs(compiling: notOwned) { comment + $0 }
        let (forgedResult, _) = try importAndCompile(forged)
        #expect(forgedResult.spec?.contains("ownsMount") == false, "\(forgedResult.spec ?? "")")
        // The owned mount's script without its comment.
        let bare = try importInputs(compiling: owned) { $0.replacingOccurrences(of: comment, with: "") }
        let (bareResult, _) = try importAndCompile(bare)
        #expect(bareResult.spec?.contains("ownsMount: true") == true, "\(bareResult.spec ?? "")")
    }

    /// Every limit of the input's credentials that the spec cannot carry is a warning where it is written.
    @Test func droppedCredentialLimitsAreWarned() throws {
        let inputs = try importInputs(compiling: try Self.spec("prod")) { script in
            script.replacingOccurrences(
                of: "\"token_ttl\":\"20m\"",
                with:
                    "\"token_ttl\":\"20m\",\"token_max_ttl\":\"1h\",\"token_num_uses\":5,\"secret_id_num_uses\":1,\"secret_id_bound_cidrs\":[\"10.0.0.0/8\"],\"token_bound_cidrs\":[\"10.1.0.0/16\"],\"token_explicit_max_ttl\":0"
            )
        }
        let result = Importer.importFiles(inputs)
        let limits = described(result, inputs).filter { $0.contains("KW170") }
        for key in [
            "token_max_ttl", "token_num_uses", "secret_id_num_uses", "secret_id_bound_cidrs", "token_bound_cidrs",
        ] {
            #expect(limits.contains { $0.contains("'\(key)'") && $0.hasPrefix("bootstrap.sh KW170 ") }, "\(limits)")
        }
        // `0` is Vault's "no limit": nothing is dropped.
        #expect(!limits.contains { $0.contains("token_explicit_max_ttl") })
        // Each at its own place in the role's JSON.
        let line = try #require(limits.first { $0.contains("'token_num_uses'") })
        #expect(
            line.contains("'token_num_uses' ('5') of role 'external-secrets-payments' on mount 'approle'"), "\(line)")
        let script = try #require(inputs.first { $0.name.hasSuffix(".sh") })
        let lines = String(decoding: script.text, as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false)
        let place = line.split(separator: " ")[2].split(separator: ":").compactMap { Int($0) }
        #expect(lines[place[0] - 1].dropFirst(place[1] - 1).hasPrefix("\"token_num_uses\""))
    }

    /// `vault token create -explicit-max-ttl=… -use-limit=…` (the guide's command, with limits): both warned.
    @Test func droppedTokenLimitsAreWarned() throws {
        var inputs = try importInputs(ImportTests.guideFiles)
        let commands = String(decoding: inputs[4].text, as: UTF8.self).replacingOccurrences(
            of: "-period=24h", with: "-period=24h -explicit-max-ttl=768h -use-limit 10")
        inputs[4].text = Array(commands.utf8)
        let result = Importer.importFiles(inputs)
        let limits = described(result, inputs).filter { $0.contains("KW170") }
        #expect(
            limits == [
                "commands.sh KW170 3:66 '-explicit-max-ttl=768h' of 'vault token create' is not imported: the spec's token has no such limit",
                "commands.sh KW170 3:89 '-use-limit=10' of 'vault token create' is not imported: the spec's token has no such limit",
            ], "\(limits)")
        #expect(result.spec?.contains("period: \"24h\"") == true)
    }
}

/// A `deny` in the input policy is never widened by import.
@Suite("Import keeps denials")
struct ImportDenyTests {
    /// The guide's inputs with `policy` as the policy file.
    static func guide(policy: String) throws -> [ImportFile] {
        var inputs = try importInputs(ImportTests.guideFiles)
        inputs[3].text = Array(policy.utf8)
        return inputs
    }

    static let metadata = """
        path "kv/metadata/dev/" {
          capabilities = ["list"]
        }
        path "kv/metadata/dev/*" {
          capabilities = ["list"]
        }

        """

    /// `deny` on the folder: the spec would read a secret the input denies: an error naming it, and no spec.
    @Test func aDeniedFolderIsNotImportedAsAPrefix() throws {
        let inputs = try Self.guide(
            policy: "path \"kv/data/dev/*\" {\n  capabilities = [\"deny\"]\n}\n" + Self.metadata)
        let result = Importer.importFiles(inputs)
        #expect(result.spec == nil)
        let errors = described(result, inputs).filter { $0.contains(" KW171 ") }
        #expect(
            errors == [
                "external-secrets-access.hcl KW171 1:6 the imported spec's policy 'external-secrets-access' grants 'read' on \"kv/data/dev/apps/statis/api\", which rule \"kv/data/dev/*\" of the input denies"
            ], "\(described(result, inputs))")
    }

    /// Read on the folder but `deny` on one secret inside it: the spec grants the exact paths it
    /// reads, never the denied one (checked by Vault's rules).
    @Test func aDenyInsideAFolderKeepsTheSpecExact() throws {
        let policy =
            "path \"kv/data/dev/*\" {\n  capabilities = [\"read\"]\n}\npath \"kv/data/dev/admin\" {\n  capabilities = [\"read\", \"deny\"]\n}\n"
            + Self.metadata
        let inputs = try Self.guide(policy: policy)
        let (result, compiled) = try importAndCompile(inputs)
        #expect(result.spec?.contains("scope: prefix") == false, "\(result.spec ?? "")")
        let granted = VaultACL(try #require(compiled.policies.first))
        #expect(!granted.allows("read", at: "kv/data/dev/admin"))
        #expect(granted.allows("read", at: "kv/data/dev/apps/statis/api"))
        // Only the token self-paths, which Vault's default policy grants the input's token.
        #expect(
            granted.widening(over: ImportContext.inputACL(policy)).allSatisfy {
                ImportContext.defaultPolicySelfPaths.contains("\($0.path) \($0.capability)")
            })
    }

    /// The guide's policy (read on the folder) still imports as the guide's prefix.
    @Test func aReadableFolderIsAPrefix() throws {
        let (result, _) = try importAndCompile(try importInputs(ImportTests.guideFiles))
        #expect(result.spec?.contains("scope: prefix") == true)
        #expect(!result.hasErrors)
    }
}

/// Vault's matching with `deny`, as OpenBao's acl.go does it.
@Suite("Vault ACL")
struct VaultACLTests {
    @Test func denyAbsorbsAndTheMostSpecificRuleWins() {
        let acl = VaultACL(rules: [
            ("kv/data/a/*", ["read", "list"]), ("kv/data/a/b", ["deny"]), ("kv/data/a/b", ["read"]),
            ("kv/data/a/c*", ["deny"]), ("kv/data/a/c/d", ["read"]), ("kv/metadata/a", ["list"]),
            ("kv/data/+/x", ["read"]),
        ])
        #expect(acl.allows("read", at: "kv/data/a/z"))
        #expect(!acl.allows("read", at: "kv/data/a/b"))  // deny merged with a later read: still deny
        #expect(!acl.allows("read", at: "kv/data/a/cc"))  // the longer prefix denies
        #expect(acl.allows("read", at: "kv/data/a/c/d"))  // an exact rule beats any prefix
        #expect(acl.allows("list", at: "kv/metadata/a/"))  // a list also tries the path without its '/'
        #expect(!acl.allows("read", at: "kv/metadata/a/"))
        #expect(!acl.allows("read", at: "kv/data/q/x"))  // segment wildcards grant nothing here
        #expect(!acl.allowsEverywhere("read", below: "kv/data/a/"))
        let wide = VaultACL(rules: [("kv/data/a/*", ["read"])])
        #expect(wide.widening(over: acl).map(\.probe).sorted() == ["kv/data/a/b", "kv/data/a/c", "kv/data/a/c\u{1}"])
    }
}
