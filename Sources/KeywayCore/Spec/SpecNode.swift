/// How a scalar was written: plain scalars go through YAML's type resolution, the others are strings.
public enum ScalarStyle: Sendable, Equatable {
    case plain
    case quoted
    case block
}

/// A scalar of the spec file, exactly as written, with its place.
public struct SpecScalar: Sendable, Equatable {
    /// The scalar's text, as parsed: quotes and escapes resolved, nothing typed yet.
    public var text: String
    /// Whether the scalar was plain, quoted or a block scalar.
    public var style: ScalarStyle
    /// Where in the spec file the scalar was written.
    public var range: SourceRange

    /// Creates a scalar from its text, style and place.
    public init(text: String, style: ScalarStyle, range: SourceRange) {
        self.text = text
        self.style = style
        self.range = range
    }
}

/// One `key: value` entry of a mapping; keys are always scalars.
public struct SpecEntry: Sendable, Equatable {
    /// The entry's key.
    public var key: SpecScalar
    /// The entry's value.
    public var value: SpecNode
}

/// A mapping of the spec file, its entries in the order written, keys unique.
public struct SpecMapping: Sendable, Equatable {
    /// The entries, in the order written.
    public var entries: [SpecEntry]
    /// Where in the spec file the mapping was written.
    public var range: SourceRange
}

/// A sequence of the spec file.
public struct SpecSequence: Sendable, Equatable {
    /// The items, in the order written.
    public var items: [SpecNode]
    /// Where in the spec file the sequence was written.
    public var range: SourceRange
}

/// The surface tree of a spec: YAML's structure with every node's place, and no meaning yet.
///
/// Not `indirect`: mappings and sequences hold their children in arrays, so a node is stored
/// inline, with no box allocated per scalar.
public enum SpecNode: Sendable, Equatable {
    case scalar(SpecScalar)
    case mapping(SpecMapping)
    case sequence(SpecSequence)

    /// Where in the spec file the node was written.
    public var range: SourceRange {
        switch self {
        case .scalar(let scalar): scalar.range
        case .mapping(let mapping): mapping.range
        case .sequence(let sequence): sequence.range
        }
    }

    /// What the node is, for messages: "a mapping", "a list", "the string 'x'".
    var kindDescription: String {
        switch self {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let scalar):
            guard scalar.style == .plain else { return "a string" }
            return YAMLResolver.resolve(plain: scalar.text).description
        }
    }
}
