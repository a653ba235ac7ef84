/// A position in a spec file: 1-based line and column, columns counted in Unicode scalars.
///
/// Stored in 32 bits each (a spec is at most 16 MiB): every scalar of a parsed tree holds a range,
/// and the tree of a large manifest stream is most of import's memory.
public struct SourceLocation: Hashable, Sendable, Comparable {
    private var storedLine: Int32
    private var storedColumn: Int32

    /// The line, from 1.
    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = Int32(clamping: newValue) }
    }
    /// The column, from 1, counted in Unicode scalars.
    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = Int32(clamping: newValue) }
    }

    /// Creates a location at a 1-based line and column.
    public init(line: Int, column: Int) {
        storedLine = Int32(clamping: line)
        storedColumn = Int32(clamping: column)
    }

    /// Orders locations as they appear in the file: by line, then by column.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// The span of text a value was read from: from `start` up to, not including, `end`.
public struct SourceRange: Hashable, Sendable {
    /// The first position of the span.
    public var start: SourceLocation
    /// The position just after the span.
    public var end: SourceLocation

    /// Creates the span from `start` up to, not including, `end`.
    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }

    /// The start of the file, for problems that belong to the file as a whole.
    public static let fileStart = SourceRange(
        start: SourceLocation(line: 1, column: 1),
        end: SourceLocation(line: 1, column: 1)
    )
}

/// A value read from the spec together with where it was written.
public struct Located<Value> {
    /// The value read.
    public var value: Value
    /// Where in the spec the value was written.
    public var range: SourceRange

    /// Pairs a value with the range it was read from.
    public init(_ value: Value, at range: SourceRange) {
        self.value = value
        self.range = range
    }
}

extension Located: Sendable where Value: Sendable {}
extension Located: Equatable where Value: Equatable {}
