import Testing

@testable import KeywayCore

@Suite("YAML 1.1 resolver")
struct ResolverTests {
    @Test(arguments: [
        ("no", ResolvedScalarType.bool(false)), ("On", .bool(true)), ("y", .bool(true)), ("FALSE", .bool(false)),
        ("~", .null), ("null", .null), ("", .null), ("012", .int), ("0x1F", .int), ("1_000", .int), ("-3", .int),
        ("1:30", .int), ("1e3", .float), ("1.5", .float), (".inf", .float), ("-.inf", .float), (".NaN", .float),
        ("2001-12-14", .timestamp), ("2001-12-14t21:59:43.10-05:00", .timestamp), ("<<", .merge),
    ])
    func nonStrings(text: String, type: ResolvedScalarType) {
        #expect(YAMLResolver.resolve(plain: text) == type)
    }

    @Test(arguments: ["1m", "24h", "alpine:3.20", "-c", "dev/apps/api", "1.2.3", "yes-please", "8080:80", "v1", "noon"])
    func strings(text: String) {
        #expect(YAMLResolver.resolve(plain: text) == .string)
    }
}

@Suite("YAML renderer")
struct YAMLRendererTests {
    static let hostile = [
        "no", "on", "yes", "off", "y", "n", "~", "null", "012", "1e3", "0x10", "1:30", "2001-12-14", ".5", "+1", "-1",
        "true", "True", "", " leading", "trailing ", "a: b", "a #b", "#comment", "- item", "-", "--flag", "key:",
        "\"quoted\"", "'single'", "back\\slash", "tab\there", "line\nbreak", "two\n\nlines\n", "keep\n\n\n",
        "\n leading newline", " indented\nblock", "trailing space \nline", "ünïcödé", "emoji 🙂", "bom\u{FEFF}",
        "nul\u{0}", "bell\u{7}", "del\u{7F}", "nel\u{85}", "ls\u{2028}", "{flow}", "[list]", "*alias", "&anchor",
        "!tag",
        "%percent", "@at", "`tick`", "|pipe", ">fold", "? key", "<<", "=", "a,b", "echo \"$(id)\"; rm -rf /",
    ]

    /// Every hostile string survives a render and a parse by libyaml, as the same string.
    @Test func roundTrip() throws {
        var map = ManifestMap()
        for (index, text) in Self.hostile.enumerated() {
            map["k\(index)"] = .string(text)
            map[text.isEmpty ? "empty" : text] = .list([.string(text)])
        }
        let yaml = YAMLRenderer.render(map)
        var diagnostics = DiagnosticCollector()
        let root = try #require(
            SpecParser.parse(Array(yaml.utf8), limits: ParseLimits(), into: &diagnostics), "\(diagnostics.diagnostics)")
        guard case .mapping(let parsed) = root else {
            Issue.record("not a mapping")
            return
        }
        #expect(parsed.entries.count == map.entries.count)
        for (entry, expected) in zip(parsed.entries, map.entries) {
            #expect(entry.key.text == expected.key)
            switch (entry.value, expected.value) {
            case (.scalar(let scalar), .string(let text)):
                #expect(scalar.text == text)
                // A plain scalar must also resolve to a string, or YAML 1.1 readers see another type.
                if scalar.style == .plain { #expect(YAMLResolver.resolve(plain: scalar.text) == .string, "\(text)") }
            case (.sequence(let sequence), .list(let items)):
                if case .scalar(let scalar)? = sequence.items.first, case .string(let text)? = items.first {
                    #expect(scalar.text == text)
                    if scalar.style == .plain {
                        #expect(YAMLResolver.resolve(plain: scalar.text) == .string, "\(text)")
                    }
                } else {
                    Issue.record("list item of \(expected.key) did not read back")
                }
            default:
                Issue.record("\(expected.key) read back as another shape")
            }
        }
    }

    @Test func styles() {
        #expect(YAMLRenderer.render(["a": "no"]) == "a: \"no\"\n")
        #expect(YAMLRenderer.render(["a": "012"]) == "a: \"012\"\n")
        #expect(YAMLRenderer.render(["a": "plain text"]) == "a: plain text\n")
        #expect(YAMLRenderer.render(["a": "x\ny\n"]) == "a: |\n  x\n  y\n")
        #expect(YAMLRenderer.render(["a": "x\ny"]) == "a: |-\n  x\n  y\n")
        #expect(YAMLRenderer.render(["a": ["b", ["c": 1]]]) == "a:\n  - b\n  - c: 1\n")
        #expect(YAMLRenderer.render(["a": [:], "b": []]) == "a: {}\nb: []\n")
        #expect(YAMLRenderer.renderStream([["a": 1], ["b": true]]) == "---\na: 1\n---\nb: true\n")
    }
}

@Suite("Shell and HCL quoting")
struct QuotingTests {
    @Test func shell() {
        #expect(ShellRenderer.quote("vault-token") == "vault-token")
        #expect(ShellRenderer.quote("a b") == "'a b'")
        #expect(ShellRenderer.quote("it's") == "'it'\\''s'")
        #expect(ShellRenderer.quote("$(id)") == "'$(id)'")
        #expect(ShellRenderer.quote("") == "''")
    }

    @Test func hcl() {
        #expect(HCLRenderer.quoteHCL1("kv/data/dev/*") == "\"kv/data/dev/*\"")
        #expect(HCLRenderer.quoteHCL1("a\"b\\c\nd") == "\"a\\\"b\\\\c\\nd\"")
    }

    @Test func script() {
        let script = ShellScript(
            fileName: "x.sh",
            header: ["h"],
            statements: [
                .capture(variable: "token", commands: [ShellCommand(["vault", "read", "-field=x", "a b"])]),
                .pipeline([ShellCommand(["printf", "%s", .variable("token")]), ShellCommand(["cat"])]),
            ]
        )
        #expect(
            ShellRenderer.render(script)
                == "#!/bin/sh\n# h\nset -eu\ntoken=$(vault read -field=x 'a b')\nprintf %s \"${token}\" \\\n  | cat\n"
        )
    }
}
