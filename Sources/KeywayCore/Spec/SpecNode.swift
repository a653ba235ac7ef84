/// How a scalar was written: plain scalars go through YAML's type resolution, the others are strings.
public enum ScalarStyle: Sendable, Equatable {
    case plain
    case quoted
    case block
}

/// A scalar of the spec file, exactly as written, with its place.
public struct SpecScalar: Sendable, Equatable {
    public var text: String
    public var style: ScalarStyle
    public var range: SourceRange

    public init(text: String, style: ScalarStyle, range: SourceRange) {
        self.text = text
        self.style = style
        self.range = range
    }
}

/// One `key: value` entry of a mapping; keys are always scalars.
public struct SpecEntry: Sendable, Equatable {
    public var key: SpecScalar
    public var value: SpecNode
}

/// A mapping of the spec file, its entries in the order written, keys unique.
public struct SpecMapping: Sendable, Equatable {
    public var entries: [SpecEntry]
    public var range: SourceRange
}

/// A sequence of the spec file.
public struct SpecSequence: Sendable, Equatable {
    public var items: [SpecNode]
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
