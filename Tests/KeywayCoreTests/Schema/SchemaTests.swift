import Foundation
import Testing

@testable import KeywayCore

@Suite("JSON Schema")
struct SchemaTests {
    /// `schema/keyway.schema.json` is exactly what `compile schema` prints; `KEYWAY_REGENERATE=1`
    /// rewrites it (and fails the run, as for every golden).
    @Test func committedSchemaMatchesTheGenerator() throws {
        let generated = SpecSchema.document()
        if Regeneration.isOn {
            try Regeneration.write(generated, to: "schema/keyway.schema.json")
            return
        }
        let committed = try String(
            contentsOf: repositoryRoot.appendingPathComponent("schema/keyway.schema.json"), encoding: .utf8)
        #expect(
            committed == generated, "schema/keyway.schema.json is stale (regenerate: scripts/regenerate-goldens.sh)")
    }

    @Test func schemaIsJSONWithEveryTopLevelKey() throws {
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(SpecSchema.document().utf8)) as? [String: Any])
        #expect(object["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        let properties = try #require(object["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(SpecKey.Top.allowed))
        #expect(object["required"] as? [String] == SpecKey.Top.required.map(\.rawValue))
        #expect(object["additionalProperties"] as? Bool == false)
    }

    /// Exactly one auth method, exactly one Vault source (or a `use` of another app's secret): the
    /// tables' groups reach the schema.
    @Test func exactlyOneGroups() throws {
        let auth = SpecKey.Auth.objectSchema()
        #expect(auth["minProperties"] == 1 && auth["maxProperties"] == 1)
        let secret = SpecKey.Secret.objectSchema()
        #expect(
            secret["oneOf"]
                == .list([
                    ["required": ["extract"]], ["required": ["keys"]], ["required": ["find"]], ["required": ["use"]],
                ]))
    }

    /// Enum values come from the enums the builder chooses from.
    @Test func enumerationsFollowTheModel() {
        #expect(SpecKey.Secret.creationPolicy.valueShape.enumerated == CreationPolicy.allCases.map(\.rawValue))
        #expect(SpecKey.App.reload.valueShape.enumerated == ["named", "auto", "search", "none"])
        #expect(SpecKey.SecretStore.kind.valueShape.enumerated == ["ClusterSecretStore", "SecretStore"])
    }

    /// A key only a ClusterSecretStore requires is not required by the schema, and says so.
    @Test func clusterStoreRequirementsAreLeftToTheCompiler() throws {
        let ref = SpecKey.SecretRef.objectSchema()
        #expect(ref["required"] == ["name", "key"])
        #expect(SpecKey.SecretRef.namespace.describedForSchema.contains("the compiler checks this"))
    }

    @Test func prettyJSONQuotesThroughJSONString() {
        let value: ManifestValue = ["a\"b": ["x\n", 1, true], "empty": .list([]), "m": .map(ManifestMap())]
        #expect(
            JSONRenderer.pretty(value)
                == "{\n  \"a\\\"b\": [\n    \"x\\n\",\n    1,\n    true\n  ],\n  \"empty\": [],\n  \"m\": {}\n}\n")
    }

    @Test func cliPrintsTheSchema() throws {
        let run = try runCompile(["schema"])
        #expect(run.status == 0)
        #expect(run.out == SpecSchema.document())
        #expect(try runCompile(["schema", "extra"]).status == 64)
    }
}

extension ValueShape {
    /// The values of an enumeration shape, for tests.
    var enumerated: [String]? {
        if case .enumeration(let values) = self { return values }
        return nil
    }
}
