import Testing

@testable import KeywayCore

/// A spec with one app whose one secret is `secret` (indented under the secret's name, `db`).
func shapedSpec(_ secret: String, kvVersion: Int = 2) -> String {
    let vault = defaultVault.replacingOccurrences(of: "    mount: kv", with: "    mount: kv\n    version: \(kvVersion)")
    let apps = """
          web:
            namespace: dev
            containers:
              app:
                image: alpine:3.20
            secrets:
              db:

        """
    let body = secret.split(separator: "\n", omittingEmptySubsequences: false).map { "        " + $0 }.joined(
        separator: "\n")
    return spec(apps: apps + body, vault: vault)
}

/// The spec's line of the secret's first line (after the 'version:' line the KV gets).
let secretLine = 23

@Suite("ESO shaping: templates, policies, strategies")
struct SecretShapeTests {
    @Test func templateNamingAnUndeclaredKeyPointsAtTheName() {
        let text = shapedSpec(
            """
            keys: {user: dev/db#username, password: dev/db#password}
            template:
              data:
                URL: postgres://{{ .user }}:{{ .pasword }}@db/shop
            """)
        // Line 4 of the secret; the name starts after 'URL: postgres://{{ .user }}:{{ .' (plain scalar).
        let column = 8 + "    URL: postgres://{{ .user }}:{{ .".count + 1
        #expect(
            errors(text) == [
                "KW080 \(secretLine + 3):\(column) template names key 'pasword', which secret 'db' does not declare"
            ])
        let diagnostic = Compiler.compile(bytes(text)).diagnostics.first { $0.severity == .error }
        #expect(diagnostic?.help == "did you mean 'password'?")
        #expect(diagnostic.map { $0.range.end.column - $0.range.start.column } == 7)
    }

    @Test func quotedTemplatesPointInsideTheQuotesAndBlockScalarsAtTheValue() {
        let quoted = shapedSpec(
            """
            keys: {user: dev/db#username}
            template:
              data:
                A: "x {{- .usr -}}"
            """)
        #expect(
            errors(quoted) == [
                "KW080 \(secretLine + 3):\(8 + "    A: \"x {{- .".count + 1) template names key 'usr', which secret 'db' does not declare"
            ])
        let escaped = shapedSpec(
            """
            keys: {user: dev/db#username}
            template:
              data:
                A: "\\t{{ .usr }}"
            """)
        #expect(
            errors(escaped) == [
                "KW080 \(secretLine + 3):\(8 + "    A: ".count + 1) template names key 'usr', which secret 'db' does not declare"
            ])
        let block = shapedSpec(
            """
            keys: {user: dev/db#username}
            template:
              data:
                A: |
                  {{ .usr }}
            """)
        #expect(
            errors(block) == [
                "KW080 \(secretLine + 3):\(8 + "    A: ".count + 1) template names key 'usr', which secret 'db' does not declare"
            ])
    }

    @Test func commonTemplateFormsAreRead() {
        #expect(
            GoTemplateScan.scan("{{ .a }}{{ .b | b64enc }}{{- .c -}}{{ $.d }}{{ index . \"e.f\" }}").references.map(
                \.name) == ["a", "b", "c", "d", "e.f"])
        // Fields of something else, strings, and the dot inside range/with are not keys.
        #expect(
            GoTemplateScan.scan(
                "{{ .a.b }}{{ $x.y }}{{ printf \"%s.z\" .w }}{{ range .l }}{{ .item }}{{ $.top }}{{ end }}"
            ).references.map(\.name) == [
                "a", "w", "l", "top",
            ])
        #expect(GoTemplateScan.scan(#"{"auths":{"r":{"auth":"{{ .a }}"}}}"#).problem == nil)
        #expect(GoTemplateScan.scan("{{/* a }} comment */}}{{ .a }}").references.map(\.name) == ["a"])
    }

    @Test func aKeyWithADotNeedsIndex() {
        let text = shapedSpec(
            """
            keys: {tls.crt: dev/tls#crt}
            template:
              data:
                cert: "{{ .tls.crt }}"
            """)
        #expect(
            errors(text) == [
                "KW080 \(secretLine + 3):\(8 + "    cert: \"{{ .".count + 1) template names key 'tls', which secret 'db' does not declare"
            ])
        #expect(
            Compiler.compile(bytes(text)).diagnostics.first { $0.severity == .error }?.help
                == "Go reads '.tls.crt' as '.tls' and more; write {{ index . \"tls.crt\" }}")
    }

    @Test func unbalancedActionsAreLocated() {
        let unclosed = shapedSpec(
            """
            keys: {user: dev/db#username}
            template:
              data:
                A: x{{ .user }
            """)
        #expect(
            errors(unclosed) == [
                "KW081 \(secretLine + 3):\(8 + "    A: x".count + 1) invalid template: '{{' is never closed"
            ])
        let nested = shapedSpec(
            """
            extract: dev/db
            template:
              data:
                A: "{{ .a {{ .b }}"
            """)
        #expect(
            errors(nested) == [
                "KW081 \(secretLine + 3):\(8 + "    A: \"".count + 1) invalid template: '{{' is never closed"
            ])
        let block = shapedSpec(
            """
            extract: dev/db
            template:
              data:
                A: "{{ if .a }}yes"
                B: "{{ end }}"
            """)
        #expect(
            errors(block) == [
                "KW081 \(secretLine + 3):\(8 + "    A: \"".count + 1) invalid template: '{{ if }}' is never closed",
                "KW081 \(secretLine + 4):\(8 + "    B: \"".count + 1) invalid template: '{{ end }}' without an opening block",
            ])
    }

    @Test func extractAndFindTemplatesAreCheckedForSyntaxOnly() {
        let text = shapedSpec(
            """
            extract: dev/db
            template:
              data:
                URL: "{{ .anything }}"
            expose: env
            """)
        #expect(errors(text).isEmpty)
    }

    @Test func typesNeedTheirKeys() {
        let docker = shapedSpec(
            """
            keys: {auth: dev/registry#auth}
            template:
              type: kubernetes.io/dockerconfigjson
              data:
                config.json: "{{ .auth }}"
            """)
        #expect(
            errors(docker) == [
                "KW082 \(secretLine + 2):\(8 + "  type: ".count + 1) a Secret of type 'kubernetes.io/dockerconfigjson' needs the key '.dockerconfigjson'"
            ])
        let tls = shapedSpec(
            """
            keys: {crt: dev/tls#crt, key: dev/tls#key}
            template:
              type: kubernetes.io/tls
              data:
                tls.crt: "{{ .crt }}"
            """)
        #expect(
            errors(tls) == [
                "KW082 \(secretLine + 2):\(8 + "  type: ".count + 1) a Secret of type 'kubernetes.io/tls' needs the key 'tls.key'"
            ])
        // Without template data the fetched keys are the Secret's: named right, they pass.
        let fetched = shapedSpec(
            """
            keys: {tls.crt: dev/tls#crt, tls.key: dev/tls#key}
            template: {type: kubernetes.io/tls}
            """)
        #expect(errors(fetched).isEmpty)
    }

    @Test func secretTypesAreCheckedForShape() {
        #expect(
            errors(shapedSpec("extract: dev/db\ntemplate: {type: kubernetes.io/tsl}")) == [
                "KW014 \(secretLine + 1):\(8 + "template: {type: ".count + 1) invalid Secret type 'kubernetes.io/tsl'"
            ])
        #expect(
            errors(shapedSpec("extract: dev/db\ntemplate: {type: \"two words\"}")).first?.hasPrefix("KW014") == true)
        #expect(
            errors(shapedSpec("extract: dev/db\ntemplate: {type: bootstrap.kubernetes.io/token}")).first?.contains(
                "ESO does not write") == true)
        #expect(errors(shapedSpec("extract: dev/db\ntemplate: {type: example.com/custom}")).isEmpty)
    }

    @Test func versionTagsAndMetadataNeedKVv2() {
        let text = shapedSpec(
            """
            keys:
              a: {key: dev/db, property: p, version: 2}
              b: {key: dev/db, property: owner, metadataPolicy: Fetch}
            """, kvVersion: 1)
        #expect(
            errors(text) == [
                "KW083 \(secretLine + 1):\(8 + "  a: {key: dev/db, property: p, ".count + 1) 'version' needs a KV version 2 mount, but the mount is version 1",
                "KW083 \(secretLine + 2):\(8 + "  b: {key: dev/db, property: owner, metadataPolicy: ".count + 1) 'metadataPolicy: Fetch' needs a KV version 2 mount, but the mount is version 1",
            ])
        #expect(
            errors(shapedSpec("find: {path: dev/flags, tags: {team: a}}", kvVersion: 1)).first?.hasPrefix("KW083")
                == true)
        #expect(errors(shapedSpec("extract: {key: dev/db, version: 3}")).isEmpty)
    }

    @Test func invalidEnumValuesAreLocated() {
        // Each enumeration is read through its key's table: the message names the key by its path.
        #expect(
            markedDiagnostics(shapedSpec("extract: dev/db\nrefreshPolicy: ⟨KW014⟩Sometimes"))
                == ["KW014 invalid 'refreshPolicy' 'Sometimes'"])
        #expect(
            markedDiagnostics(shapedSpec("extract: {key: dev/db, decodingStrategy: ⟨KW014⟩base64}"))
                == ["KW014 invalid 'extract.decodingStrategy' 'base64'"])
        #expect(
            markedDiagnostics(shapedSpec("find: {path: dev/f, conversionStrategy: ⟨KW014⟩Unicod}"))
                == ["KW014 invalid 'find.conversionStrategy' 'Unicod'"])
        #expect(
            markedDiagnostics(shapedSpec("keys: {a: {key: dev/db, metadataPolicy: ⟨KW014⟩fetch}}"))
                == ["KW014 invalid 'metadataPolicy' 'fetch'"])
        #expect(
            markedDiagnostics(shapedSpec("extract: dev/db\ntemplate: {mergePolicy: ⟨KW014⟩Append}"))
                == ["KW014 invalid 'template.mergePolicy' 'Append'"])
        #expect(
            errors(shapedSpec("extract: dev/db\nimmutable: yes")) == [
                "KW012 \(secretLine + 1):20 expected true or false for 'immutable', found a boolean"
            ])
    }

    @Test func rewritesAndFindsAreChecked() {
        #expect(
            errors(shapedSpec("keys: {a: dev/db#a}\nrewrite: [{regexp: {source: a, target: b}}]")).first?.hasPrefix(
                "KW015 \(secretLine + 1):9 'rewrite' renames") == true)
        #expect(
            errors(shapedSpec("extract: dev/db\nrewrite: [{regexp: {source: \"\", target: b}}]")) == [
                "KW014 \(secretLine + 1):37 'rewrite.regexp.source' is empty"
            ])
        #expect(
            errors(shapedSpec("extract: dev/db\nrewrite: [{regexp: {source: a, target: b}, transform: {template: x}}]"))
                .first?.hasPrefix("KW015") == true)
        #expect(
            errors(shapedSpec("find: {path: dev/f, name: a, tags: {t: v}}")).first?.hasPrefix(
                "KW015 \(secretLine):38 'find' of secret 'db' has both") == true)
        #expect(
            warnings(shapedSpec("find: {tags: {team: a}}")).filter { $0.hasPrefix("KW084") } == [
                "KW084 \(secretLine):9 'find' without 'path' searches the whole KV mount"
            ])
    }

    @Test func envFollowsTheTemplatesKeys() throws {
        let text = shapedSpec(
            """
            keys: {user: dev/db#username, password: dev/db#password}
            template:
              data:
                DATABASE_URL: "postgres://{{ .user }}:{{ .password }}@db:5432/shop"
            expose: env
            """)
        let compiled = try compiled(text)
        let deployment = try #require(compiled.objects.first { $0.kind == "Deployment" })
        let rendered = YAMLRenderer.render(deployment.document)
        #expect(rendered.contains("name: DATABASE_URL") && !rendered.contains("name: user"))
        #expect(rendered.contains("secret.reloader.stakater.com/reload: db"))
    }

    @Test func policyGrantsExactlyTheMetadataReads() throws {
        let text = shapedSpec(
            """
            keys:
              owner: {key: dev/owned, property: owner, metadataPolicy: Fetch}
              pinned: {key: dev/pinned, property: p, version: 4}
            """)
        let policy = try #require(try compiled(text).policies.first)
        #expect(policy.rules.map(\.path).prefix(2) == ["kv/metadata/dev/owned", "kv/data/dev/pinned"])
        let tags = try #require(try compiled(shapedSpec("find: {path: dev/shared, tags: {team: a}}")).policies.first)
        #expect(tags.rules.first { $0.path == "kv/metadata/dev/shared/*" }?.capabilities == [.read, .list])
        let whole = try #require(try compiled(shapedSpec("find: {tags: {team: a}}")).policies.first)
        #expect(whole.rules.map(\.path).prefix(3) == ["kv/data/*", "kv/metadata/", "kv/metadata/*"])
    }
}
