import Foundation
import Testing

@testable import KeywayCore

@Suite("explain")
struct ExplainTests {
    let policy = VaultPolicy(
        name: "p",
        rules: [
            PolicyRule(path: "kv/data/a/b", capabilities: [.read]),
            PolicyRule(path: "kv/data/team/*", capabilities: [.read]),
            PolicyRule(path: "kv/data/team/locked/*", capabilities: [.list]),
            PolicyRule(path: "kv/metadata/team/*", capabilities: [.list]),
        ])

    /// Vault's matching: an exact rule only matches its path, a glob every path it starts, the
    /// longest glob wins over a shorter one.
    @Test func aclMatching() {
        #expect(policy.capabilities(at: "kv/data/a/b") == [.read])
        #expect(policy.capabilities(at: "kv/data/a/b-decoy").isEmpty)
        #expect(policy.capabilities(at: "kv/data/a").isEmpty)
        #expect(policy.capabilities(at: "kv/data/team/x/y") == [.read])
        #expect(policy.capabilities(at: "kv/data/team/locked/x") == [.list])
        #expect(policy.capabilities(at: "kv/data/team").isEmpty)
        #expect(policy.capabilities(at: "kv/metadata/team/x") == [.list])
    }

    /// A folder is read whole only when no rule inside it takes `read` away.
    @Test func foldersReadWhole() {
        #expect(policy.grantsEverywhere(.read, below: "kv/data/team/other/"))
        #expect(!policy.grantsEverywhere(.read, below: "kv/data/team/"))
        #expect(!policy.grantsEverywhere(.read, below: "kv/data/team/locked/"))
        #expect(!policy.grantsEverywhere(.read, below: "kv/data/a/"))
        let access = PolicyAccess(policy: policy, mounts: [KVMount(path: "kv", version: .v2)])
        #expect(access.foldersReadWhole.isEmpty)
        #expect(
            access.canRead(.secret("a/b")) && !access.canRead(.secret("a/c")) && access.canRead(.folder("team/other")))
    }

    /// With several KV mounts every path names its mount (`MOUNT:PATH`) in text, JSON and Mermaid:
    /// the same path in two mounts is two references, each readable only where the policy opens it.
    @Test func severalMountsNameEachPathsMount() throws {
        let text = """
            apiVersion: keyway.dev/v1alpha1
            kind: Environment
            metadata: {name: test}
            vault:
              server: https://vault.example.com
              kv: [{mount: kv}, {mount: legacy, version: 1}]
              auth:
                token: {period: 24h, secretRef: {name: vault-token, key: token, namespace: external-secrets}}
            apps:
              web:
                namespace: shop
                containers: {app: {image: alpine:3.20}}
                secrets:
                  api: {extract: dev/api}
                  old: {mount: legacy, extract: dev/api}
                  flags: {mount: legacy, find: {path: dev/flags}}
            """
        let explanation = Explanation(try compiled(text))
        let shop = try #require(explanation.namespaces.first)
        #expect(shop.reads.map(\.text) == ["kv:dev/api", "legacy:dev/api", "legacy:dev/flags/"])
        #expect(shop.canRead == shop.reads)
        #expect(shop.canReadUnder == ["legacy:dev/flags/"])
        #expect(ExplanationRenderer.text(explanation).contains("  reads           kv:dev/api\n"))
        #expect(ExplanationRenderer.json(explanation).contains("\"legacy:dev/flags/\""))
        #expect(ExplanationRenderer.mermaid(explanation).contains("[\"legacy:dev/api\"]"))
        // The exact policy opens 'dev/api' in each mount only because a secret reads it there.
        let one = PolicyAccess(
            policy: VaultPolicy(name: "p", rules: [PolicyRule(path: "kv/data/dev/api", capabilities: [.read])]),
            mounts: [KVMount(path: "kv", version: .v2), KVMount(path: "legacy", version: .v1)])
        #expect(one.canRead(.secret("dev/api", mount: "kv")) && !one.canRead(.secret("dev/api", mount: "legacy")))
    }

    /// A ClusterSecretStore's credential reads every namespace's paths; SecretStores only their own.
    @Test func sharedStoreShowsTheOtherNamespacesPaths() throws {
        let apps = """
              web:
                namespace: shop
                containers: {app: {image: alpine:3.20}}
                secrets:
                  api: {extract: dev/shop/api}
                  flags: {find: {path: dev/shop/flags}}
              ledger:
                namespace: finance
                containers: {app: {image: alpine:3.20}}
                secrets:
                  db: {keys: {PASSWORD: dev/finance/db#password, USER: dev/finance/db#user}, target: ledger-db}
            """
        let shared = Explanation(try compiled(spec(apps: apps)))
        #expect(shared.namespaces.map(\.namespace) == ["shop", "finance"])
        let shop = try #require(shared.namespaces.first)
        #expect(shop.store == "ClusterSecretStore/test" && shop.policy == "keyway-test")
        #expect(shop.reads.map(\.text) == ["dev/shop/api", "dev/shop/flags/"])
        #expect(shop.canRead.map(\.text) == ["dev/shop/api", "dev/shop/flags/", "dev/finance/db"])
        #expect(shop.canReadUnder == ["dev/shop/flags/"])
        #expect(
            shared.namespaces[1].secrets == [
                SecretAccess(externalSecret: "db", target: "ledger-db", consumers: ["Deployment/ledger"])
            ])

        let isolated = Explanation(
            try compiled(
                spec(apps: apps, extra: "secretStore: {kind: SecretStore}").replacingOccurrences(
                    of: ", namespace: external-secrets", with: "")))
        #expect(isolated.namespaces.map(\.policy) == ["keyway-test-shop", "keyway-test-finance"])
        #expect(
            isolated.namespaces.map { $0.canRead.map(\.text) } == [
                ["dev/shop/api", "dev/shop/flags/"], ["dev/finance/db"],
            ])
    }

    /// A prefix policy opens its prefix whole, and every referenced path below it.
    @Test func prefixScopeIsAFolder() throws {
        let vault = defaultVault.replacingOccurrences(
            of: "  kv:\n    mount: kv\n",
            with: "  kv: {mount: kv, version: 1}\n  policy: {scope: prefix, prefix: dev}\n")
        let explanation = Explanation(try compiled(spec(vault: vault)))
        #expect(explanation.namespaces.first?.canReadUnder == ["dev/"])
        #expect(explanation.namespaces.first?.canRead == [.secret("dev/api")])
    }

    /// A ClusterSecretStore with allNamespaces: explain shows that any namespace reads through it.
    @Test func allNamespacesIsShown() throws {
        let text = spec(extra: "secretStore: {name: test, allNamespaces: true}")
        let explanation = Explanation(try compiled(text))
        #expect(explanation.namespaces.map(\.namespace) == ["dev", "*"])
        let any = try #require(explanation.namespaces.last)
        #expect(any.reads.isEmpty && any.canRead == [.secret("dev/api")] && any.policy == "keyway-test")
        #expect(ExplanationRenderer.text(explanation).contains("namespace * (any namespace"))
        #expect(ExplanationRenderer.json(explanation).contains("\"*\": {"))
        #expect(ExplanationRenderer.mermaid(explanation).contains("[\"any namespace (allNamespaces)\"]"))
    }

    /// A find without a path opens the whole mount: `/` is under canReadUnder, and every path is
    /// readable; paths are where ESO reads them, relative to the mount.
    @Test func wholeMountAndESOPaths() throws {
        let apps = """
              web:
                namespace: dev
                containers: {app: {image: alpine:3.20}}
                secrets:
                  all: {find: {name: "^x"}}
                  api: {extract: kv/dev/api}
            """
        let access = try #require(Explanation(try compiled(spec(apps: apps))).namespaces.first)
        #expect(access.reads.map(\.text) == ["/", "dev/api"])
        #expect(access.canReadUnder == ["/"])
        #expect(access.canRead.map(\.text) == ["/", "dev/api"])
    }

    /// Explain's work grows linearly with the apps: at four times the namespaces (SecretStore
    /// mode, a policy each) it takes far less than the sixteen times quadratic work would.
    @Test func explainIsLinear() throws {
        func environment(_ count: Int) throws -> CompiledEnvironment {
            let apps = (0..<count).map { index in
                """
                  app\(index):
                    namespace: ns\(index)
                    containers: {app: {image: alpine:3.20}}
                    secrets:
                      s: {keys: {a: dev/app\(index)/db#a, b: {key: dev/app\(index)/meta, metadataPolicy: Fetch}}}
                      f: {find: {path: dev/app\(index)/flags}}
                """
            }.joined(separator: "\n")
            let text = spec(apps: apps, extra: "secretStore: {kind: SecretStore}").replacingOccurrences(
                of: ", namespace: external-secrets", with: "")
            return try compiled(text)
        }
        let ratio = try Self.explainRatio(small: environment(300), large: environment(1_200))
        #expect(ratio < 9, "explain at 4x the namespaces took \(ratio)x as long")
    }

    /// Many KV mounts, each read by a secret and a `find`: each policy rule is asked only of the
    /// mounts whose data root starts it, each reference only of its mount (not of every mount).
    @Test func explainOverManyMountsIsLinear() throws {
        func environment(_ count: Int) throws -> CompiledEnvironment {
            let mounts = (0..<count).map { "{mount: m\($0)}" }.joined(separator: ", ")
            let secrets = (0..<count).map { index in
                """
                      s\(index): {extract: dev/s, mount: m\(index)}
                      f\(index): {find: {path: dev/f}, mount: m\(index)}
                """
            }.joined(separator: "\n")
            let vault = defaultVault.replacingOccurrences(of: "kv:\n    mount: kv\n", with: "kv: [\(mounts)]\n")
            #expect(vault != defaultVault)
            let apps = "  web:\n    namespace: shop\n    containers: {app: {image: alpine:3.20}}\n    secrets:\n"
            return try compiled(spec(apps: apps + secrets, vault: vault))
        }
        let small = try environment(200)
        let shop = try #require(Explanation(small).namespaces.first)
        #expect(shop.canRead == shop.reads && shop.canReadUnder.count == 200)
        let ratio = try Self.explainRatio(small: small, large: environment(800))
        #expect(ratio < 9, "explain at 4x the mounts took \(ratio)x as long")
    }

    /// How many times as long explaining `large` takes as explaining `small`.
    ///
    /// In this thread's CPU time (explain runs on one thread): the tests running beside it on a
    /// loaded machine do not count, as they did in wall time. The best of three runs each.
    static func explainRatio(small: CompiledEnvironment, large: CompiledEnvironment) -> Double {
        func threadSeconds() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }
        func seconds(_ compiled: CompiledEnvironment) -> Double {
            (0..<3).map { _ in
                let start = threadSeconds()
                _ = ExplanationRenderer.json(Explanation(compiled))
                return threadSeconds() - start
            }.min() ?? 0
        }
        return seconds(large) / max(seconds(small), 1e-6)
    }

    /// Nested mounts: a rule under both data roots (`a/` of a KV v1 mount `a`, `a/b/data/` of a
    /// KV v2 mount `a/b`) opens a folder in each, as Vault's matching grants it in each.
    @Test func nestedMountsEachOpenTheirFolders() {
        let mounts = [
            KVMount(path: "a", version: .v1), KVMount(path: "a/b", version: .v2), KVMount(path: "c", version: .v2),
        ]
        #expect(MountRoots(mounts).mounts(startingWith: "a/b/data/x/") == [0, 1])
        #expect(MountRoots(mounts).mounts(startingWith: "a/b/data") == [0])
        #expect(MountRoots(mounts).mounts(startingWith: "c/metadata/x/").isEmpty)
        let access = PolicyAccess(
            policy: VaultPolicy(name: "p", rules: [PolicyRule(path: "a/b/data/x/*", capabilities: [.read])]),
            mounts: mounts)
        #expect(access.foldersReadWhole == ["a:b/data/x/", "a/b:x/"])
        #expect(access.canRead(.folder("x", mount: "a/b")) && access.canRead(.secret("b/data/x/y", mount: "a")))
        #expect(!access.canRead(.secret("x/y", mount: "c")))
    }

    /// Mermaid ids are injective: names that differ only in punctuation get different ids.
    @Test func mermaidIdsAndLabels() {
        #expect(Mermaid.id("path", "a-b") != Mermaid.id("path", "a_b"))
        #expect(Mermaid.id("path", "a/b") == "path_a_2fb")
        #expect(Mermaid.label(["x\"<y>", "z"]) == "\"x#quot;#lt;y#gt;<br/>z\"")
    }

    @Test func cliFormatsAndExitCodes() throws {
        let json = try runCompile(["explain", "specs/staging.yaml", "--format", "json"])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        #expect(object["environment"] as? String == "staging")
        let namespaces = try #require(object["namespaces"] as? [String: [String: Any]])
        #expect(
            namespaces["finance"]?["canRead"] as? [String] == [
                "staging/shop/checkout/api", "staging/shop/checkout/db", "staging/shop/flags/",
                "staging/finance/ledger/db",
            ])
        #expect(json.err.contains("[KW047]"), "warnings are printed as build prints them")

        let text = try runCompile(["explain", "specs/staging.yaml"])
        #expect(text.out.contains("  can read        staging/shop/checkout/api  (read by shop)\n"))
        let mermaid = try runCompile(["explain", "specs/prod.yaml", "--format", "mermaid"])
        #expect(
            mermaid.out.hasPrefix("flowchart LR\n")
                && mermaid.out.contains("ns_billing --> store_SecretStore_2fvault_7ceso_2dprod_2dbilling\n"))

        let dir = try temporaryDirectory()
        let bad = dir.appendingPathComponent("bad.yaml")
        try "apiVersion: nope\n".write(to: bad, atomically: true, encoding: .utf8)
        let invalid = try runCompile(["explain", bad.path])
        #expect(
            invalid.status == 1 && invalid.out.isEmpty && invalid.err.contains("error: unsupported apiVersion 'nope'"))
        #expect(try runCompile(["explain", "specs/staging.yaml", "--format", "dot"]).status == 64)
        #expect(try runCompile(["explain"]).status == 64)
    }
}

@Suite("explain in the README")
struct ExplainReadmeTests {
    /// The README's Mermaid picture is what `compile explain specs/staging.yaml --format mermaid` prints.
    @Test func readmePictureIsCurrent() throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let text = try Data(contentsOf: repositoryRoot.appendingPathComponent("specs/staging.yaml"))
        let compiled = try #require(Compiler.compile(Array(text)).environment)
        let picture = "```mermaid\n" + ExplanationRenderer.mermaid(Explanation(compiled)) + "```\n"
        #expect(
            readme.contains(picture),
            "README.md: paste the output of 'compile explain specs/staging.yaml --format mermaid'")
    }
}

@Suite("explain's reference index")
struct ReferenceIndexTests {
    /// Nested globs, exact rules, prefixes that are not folders and two mounts: the index answers
    /// what asking Vault's matching of every reference answers, in spec order.
    @Test func readableIsEveryReferenceThePolicyReads() {
        let mounts = [KVMount(path: "kv", version: .v2), KVMount(path: "old", version: .v1)]
        var references: [VaultReference] = []
        for depth in 0..<6 {
            let folder = (0..<depth).map { "n\($0)" }.joined(separator: "/")
            let base = folder.isEmpty ? "" : folder + "/"
            references += [
                .secret(base + "s"), .secret(base + "s2"), .folder(base + "f"), .metadata(base + "m"),
                .secret(base + "s", mount: "old"), .secret(base + "t", mount: "kv"),
            ]
        }
        let policy = VaultPolicy(
            name: "p",
            rules: [
                PolicyRule(path: "kv/data/n0/*", capabilities: [.read]),
                PolicyRule(path: "kv/data/n0/n1/n2/*", capabilities: [.read]),
                PolicyRule(path: "kv/data/n0/n1/*", capabilities: [.read]),
                PolicyRule(path: "kv/data/s", capabilities: [.read]),
                PolicyRule(path: "kv/data/s2", capabilities: [.read]),
                PolicyRule(path: "kv/metadata/n0/n1/m", capabilities: [.read]),
                PolicyRule(path: "kv/metadata/f/*", capabilities: [.list]),
                PolicyRule(path: "old/n0/n1/n2/n3/s", capabilities: [.read]),
                PolicyRule(path: "old/n0/n1/n2/n3/s*", capabilities: [.read]),
                PolicyRule(path: "kv/data/n0/n1/n2/n3/n4/s", capabilities: [.list]),
            ])
        let access = PolicyAccess(policy: policy, mounts: mounts)
        let index = ReferenceIndex(references: references, mounts: mounts)
        let expected = references.filter(access.canRead)
        #expect(index.readable(by: access) == expected)
        #expect(expected.count > 10)
    }
}
