/// What a field of a Kubernetes object holds, as far as a patch check needs to know.
enum SchemaField: Sendable, Equatable {
    /// A string, number or boolean (or a quantity, a time, an int-or-string).
    case value
    /// An object of the named type.
    case object(String)
    /// A list of objects of the named type.
    case list(String)
    /// A list of values.
    case values
    /// A map whose keys are free (labels, annotations, resource limits).
    case map
}

/// The field-name tree of the workload kinds a `patch` may shape, generated from the Kubernetes
/// JSON schemas (`KubernetesSchema+Generated.swift`, written by `scripts/generate-k8s-schema.py`).
enum KubernetesSchema {
    /// The object type of a workload kind's root, or `nil` for a kind without a vendored schema.
    static func rootType(of kind: WorkloadKind) -> String? { roots[kind.kind] }

    /// What `field` of an object of type `type` holds, or `nil` when that type has no such field.
    static func field(_ field: String, of type: String) -> SchemaField? { types[type]?[field] }

    /// The fields of a type, for "did you mean" help.
    static func fieldNames(of type: String) -> [String] { (types[type] ?? [:]).keys.sorted() }
}
