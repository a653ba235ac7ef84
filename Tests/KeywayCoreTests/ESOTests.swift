import Foundation
import Testing

@testable import KeywayCore

/// ESO's Vault path rules and template functions, as ported from its source.
@Suite("ESO")
struct ESOTests {
    let v2 = KVMount(path: "secret", version: .v2)
    let v1 = KVMount(path: "kv1", version: .v1)

    /// `buildPath` without a store path: the key's first segment is the mount, `data` goes after
    /// it on KV v2 unless the key holds `/data/`; KV v1 reads the key as written.
    @Test func requestsWithoutAStorePath() {
        let cases: [(String, KVVersion, String)] = [
            ("secret/foo", .v2, "secret/data/foo"), ("secret/data/foo", .v2, "secret/data/foo"),
            ("linkding/credentials", .v2, "linkding/data/credentials"), ("devportal", .v2, "devportal/data"),
            ("secret/foo", .v1, "secret/foo"), ("/secret/foo", .v2, "data/secret/foo"),
        ]
        for (key, version, expected) in cases {
            #expect(ESOVaultPaths.requestWithoutStorePath(key, version: version) == expected, "\(key)")
        }
    }

    /// `buildPath` / `buildMetadataPath` with a store path, then the client's `path.Join`.
    @Test func requestsFollowESOsRules() {
        let data: [(String, KVMount, String)] = [
            ("web/app", v2, "secret/data/web/app"),
            ("secret/web/app", v2, "secret/data/web/app"),
            ("secret/data/web/app", v2, "secret/data/web/app"),
            ("/web/app", v2, "secret/data/web/app"),
            ("/secret/web/app", v2, "secret/data/secret/web/app"),
            ("secret/secret/web/app", v2, "secret/data/secret/web/app"),
            ("data/web/app", v2, "secret/data/data/web/app"),
            ("secret", v2, "secret/data/secret"),
            ("kv1/web/app", v1, "kv1/web/app"),
            ("kv1/data/web/app", v1, "kv1/data/web/app"),
            ("/web/app", v1, "kv1/web/app"),
        ]
        for (key, mount, expected) in data {
            #expect(ESOVaultPaths.request(key, .data, mount: mount) == expected, "\(key)")
        }
        #expect(ESOVaultPaths.request("secret/web/app", .metadata, mount: v2) == "secret/metadata/secret/web/app")
        #expect(ESOVaultPaths.request("/web/app", .metadata, mount: v2) == "secret/metadata/web/app")
        #expect(ESOVaultPaths.relative("secret/data/web/app", .data, mount: v2) == "web/app")
        // A team mount with a '/' in it.
        let team = KVMount(path: "kv/team", version: .v2)
        #expect(ESOVaultPaths.request("kv/team/data/x", .data, mount: team) == "kv/team/data/x")
    }

    /// A find lists `PATH/` as written and reads each found `PATH/NAME` through `buildPath`.
    @Test func findFolders() {
        #expect(ESOVaultPaths.findFolders("web/flags", mount: v2) == ("web/flags", "web/flags"))
        #expect(ESOVaultPaths.findFolders("/web/flags", mount: v2) == ("web/flags", "web/flags"))
        #expect(ESOVaultPaths.findFolders("/secret/flags", mount: v2) == ("secret/flags", "secret/flags"))
        #expect(ESOVaultPaths.findFolders("secret/flags", mount: v2) == ("secret/flags", "flags"))
        #expect(ESOVaultPaths.findFolders("secret", mount: v2) == ("secret", ""))
        #expect(ESOVaultPaths.findFolders(nil, mount: v2) == ("", ""))
        #expect(ESOVaultPaths.findFolders("kv1/x", mount: v1) == ("kv1/x", "x"))
    }

    /// The canonical key is the relative one, when one reads the same path; the model keeps
    /// where ESO reads and the key as written (the builder and import alike).
    @Test func canonicalKeys() {
        #expect(ESOVaultPaths.canonicalKey(for: "web/app", mount: v2) == "web/app")
        #expect(ESOVaultPaths.canonicalKey(for: "secret/web/app", mount: v2) == nil)
        #expect(ESOVaultPaths.modelPath("secret/data/web/app", .data, mount: v2) == ("web/app", "secret/data/web/app"))
        #expect(ESOVaultPaths.modelPath("web/app", .data, mount: v2) == ("web/app", nil))
        #expect(ESOVaultPaths.modelPath("secret/web/app", .metadata, mount: v2) == ("secret/web/app", nil))
        #expect(ESOVaultPaths.modelFindPath("/web/flags", mount: v2) == ("web/flags", "/web/flags"))
    }

    func formsSpec(_ secrets: String, version: Int = 2) -> String {
        spec(
            apps: """
                  web:
                    namespace: dev
                    containers: {app: {image: alpine:3.20}}
                    secrets:
                \(secrets)
                """,
            vault: defaultVault.replacingOccurrences(
                of: "    mount: kv", with: "    mount: secret\n    version: \(version)")
        )
    }

    /// ESO's forms compile, warned with the canonical form; the policy grants where ESO reads and
    /// the ExternalSecret carries the key as written.
    @Test func keyFormsCompileToWhatESORequests() throws {
        let marked = formsSpec(
            """
                  db:
                    keys:
                      a: ⟨KW150⟩secret/web/a#password
                      b: {key: ⟨KW150⟩/web/b, metadataPolicy: Fetch}
                      c: ⟨KW151⟩/secret/web/c#password
                  found: {find: {path: ⟨KW150⟩/web/flags}}
            """)
        let text = unmarked(marked).text
        #expect(
            markedDiagnostics(marked, severity: .warning, only: ["KW150", "KW151"]) == [
                "KW150 ESO reads 'secret/web/a' at 'secret/data/web/a'",
                "KW150 ESO reads '/web/b' at 'secret/metadata/web/b'",
                "KW151 ESO reads '/secret/web/c' at 'secret/data/secret/web/c', in a folder named like the mount 'secret'",
                "KW150 ESO reads '/web/flags' at 'secret/metadata/web/flags/'",
            ])
        let environment = try compiled(text)
        let rules = environment.vault.grants[0].policy.rules.map(\.path)
        #expect(
            Array(rules.prefix(6)) == [
                "secret/data/web/a", "secret/metadata/web/b", "secret/data/secret/web/c", "secret/data/web/flags/*",
                "secret/metadata/web/flags/", "secret/metadata/web/flags/*",
            ])
        let yaml = try #require(Compiler.compile(bytes(text)).rendered).files.map(\.contents).joined()
        #expect(
            yaml.contains("key: secret/web/a\n") && yaml.contains("key: /web/b\n")
                && yaml.contains("path: /web/flags\n"))
    }

    /// Where ESO's own rules read another secret than the key names, the key is refused.
    @Test func unreachableFormsAreRefused() {
        let text = formsSpec(
            """
                  db:
                    keys:
                      a: {key: ⟨KW152⟩secret/web/a, metadataPolicy: Fetch}
                  found: {find: {path: ⟨KW153⟩secret/flags}}
            """)
        #expect(
            markedDiagnostics(text) == [
                "KW152 with 'metadataPolicy: Fetch' ESO reads key 'secret/web/a' at 'secret/metadata/secret/web/a', but the key's data at 'secret/data/web/a'",
                "KW153 ESO lists 'secret/metadata/secret/flags/' for find path 'secret/flags', but reads each secret it finds from 'secret/data/flags/'",
            ])
        #expect(errors(formsSpec("      bad: {extract: //web/a}")).first?.hasPrefix("KW021") == true)
    }
}

/// A template may call only what ESO's engine v2 has, and never what reads the cluster or leaks.
@Suite("ESO template functions")
struct ESOTemplateFunctionTests {
    static let refused = ["getSecretKey", "getHostByName", "env", "expandenv"]

    /// One secret whose template holds `template` at `place`: data, a label, an annotation or a
    /// rewrite's transform.
    func specWith(_ template: String, at place: String) -> String {
        let quoted = "'\(template)'"
        let body: String
        switch place {
        case "transform":
            body = "        extract: dev/api\n        rewrite:\n          - transform: {template: \(quoted)}"
        case "labels", "annotations":
            body = "        keys: {user: dev/db#user}\n        template:\n          \(place): {x: \(quoted)}"
        default:
            body = "        keys: {user: dev/db#user}\n        template:\n          data: {x: \(quoted)}"
        }
        return spec(
            apps: """
                  web:
                    namespace: dev
                    containers: {app: {image: alpine:3.20}}
                    secrets:
                      s:
                \(body)
                """)
    }

    @Test(arguments: ["data", "labels", "annotations", "transform"])
    func refusedEverywhere(place: String) {
        for name in Self.refused {
            let found = errors(specWith("{{ \(name) \"a\" }}", at: place))
            #expect(found.count == 1 && found[0].hasPrefix("KW155"), "\(name) in \(place): \(found)")
            #expect(found.first?.contains("'\(name)'") == true)
            let piped = errors(specWith("{{ \"a\" | lower | \(name) }}", at: place))
            #expect(piped.count == 1 && piped[0].hasPrefix("KW155"), "\(name) piped in \(place): \(piped)")
        }
        let unknown = Compiler.compile(bytes(specWith("{{ .user | uppr }}", at: place))).diagnostics.filter {
            $0.severity == .error
        }
        #expect(unknown.map(\.code) == [.templateUnknownFunction], "\(place)")
        #expect(unknown.first?.help == "did you mean 'upper'?")
    }

    /// The help says why each refused function is refused, with the advisory.
    @Test func refusalsSayWhy() {
        #expect(ESOTemplateFunctions.refusal("getSecretKey")?.contains("GHSA-77v3-r3jw-j2v2") == true)
        #expect(ESOTemplateFunctions.refusal("getHostByName")?.contains("GHSA-r2pg-r6h7-crf3") == true)
        for name in Self.refused {
            #expect(!ESOTemplateFunctions.known.contains(name) && ESOTemplateFunctions.refusal(name) != nil)
        }
        #expect(ESOTemplateFunctions.refusal("upper") == nil)
    }

    /// Every function ESO's engine has compiles, in a command, as an argument, in parentheses.
    @Test func everyFunctionOfTheEngineIsAccepted() {
        #expect(ESOTemplateFunctions.all.count > 200)
        for name in ["toYaml", "pkcs12key", "filterPEM", "b64enc", "sha256sum", "index", "printf", "eq", "slice"] {
            #expect(ESOTemplateFunctions.known.contains(name), "\(name)")
        }
        let calls = ESOTemplateFunctions.all.map { "{{ \($0) }}{{ printf \"%v\" ($0) }}" }.joined()
        #expect(errors(specWith(calls, at: "transform")) == [])
    }

    /// Strings, comments, fields and variables are not function calls; keywords are not either.
    @Test func scannerFindsOnlyCalls() {
        let scan = GoTemplateScan.scan(
            #"{{/* env */}}{{ "getSecretKey" }}{{ $env := .value }}{{ $env.env }}{{ if not (eq .value "x") }}{{ else }}{{ template "t" . }}{{ end }}{{ range $i, $v := list 1 2 }}{{ $v | quote }}{{ end }}{{ 'e' }}{{ 1e3 }}"#
        )
        #expect(scan.problem == nil)
        #expect(scan.functions.map(\.name) == ["not", "eq", "list", "quote"])
        #expect(GoTemplateScan.scan("{{ .a | env }}").functions.map(\.offset) == [8])
    }
}
