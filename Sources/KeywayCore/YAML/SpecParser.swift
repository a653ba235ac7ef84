import CLibYAML

/// Limits that keep hostile input from costing more than a real spec would.
public struct ParseLimits: Sendable {
    /// The largest spec file read, in bytes.
    public var maxBytes: Int = 16 * 1024 * 1024
    /// The deepest nesting of mappings and lists.
    public var maxDepth: Int = 64

    /// Creates the default limits: 16 MiB and a nesting depth of 64.
    public init() {}
}

/// Reads spec text through libyaml's event parser into the surface tree, keeping every node's place.
///
/// Refuses what a spec has no use for and what can expand without bound: aliases, anchors,
/// tags, merge keys, complex keys, and more than one document.
enum SpecParser {
    /// The tree of one spec, or `nil` with the problems reported.
    ///
    /// With a `pieces` layout, a spec of at least two of its pieces is read on every core wherever
    /// that gives the same tree (`SpecPieces`); without one, it is read once.
    static func parse(
        _ bytes: [UInt8], limits: ParseLimits, into diagnostics: inout DiagnosticCollector,
        pieces: SpecPieces.Layout? = nil
    ) -> SpecNode? {
        if let pieces, bytes.count <= limits.maxBytes,
            let root = bytes.withUnsafeBufferPointer({ SpecPieces.parse($0, layout: pieces, limits: limits) })
        {
            return root
        }
        guard let roots = parse(bytes, limits: limits, manyDocuments: false, into: &diagnostics) else { return nil }
        if roots.isEmpty {
            diagnostics.report(
                .documentShape, "spec is empty", at: .fileStart, help: "start from specs/dev.yaml, or see docs/spec.md")
        }
        return roots.first
    }

    /// Every document of a multi-document stream (Kubernetes manifests), each with its own places.
    ///
    /// Empty documents are left out. `nil` when the text cannot be read.
    static func parseDocuments(_ bytes: [UInt8], limits: ParseLimits, into diagnostics: inout DiagnosticCollector)
        -> [SpecNode]?
    {
        parse(bytes, limits: limits, manyDocuments: true, into: &diagnostics)
    }

    private static func parse(
        _ bytes: [UInt8], limits: ParseLimits, manyDocuments: Bool, into diagnostics: inout DiagnosticCollector
    ) -> [SpecNode]? {
        guard bytes.count <= limits.maxBytes else {
            diagnostics.report(
                .limitExceeded,
                "spec is \(bytes.count) bytes, more than the limit of \(limits.maxBytes)",
                at: .fileStart,
                help: "split the environment into several specs"
            )
            return nil
        }
        return bytes.withUnsafeBufferPointer { buffer in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                diagnostics.report(.yamlSyntax, "cannot start the YAML parser", at: .fileStart)
                return nil
            }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var builder = TreeBuilder(limits: limits, manyDocuments: manyDocuments)
            builder.run(&parser, text: buffer)
            diagnostics.append(contentsOf: builder.diagnostics)
            if builder.failed { return nil }
            return builder.roots
        }
    }
}

struct TreeBuilder {
    /// What the next value of a mapping belongs to.
    enum PendingKey {
        case none
        case key(SpecScalar)
        /// The value of a duplicate key: parsed, then dropped.
        case discard
    }

    /// A mapping or sequence being built; mutated in place at the top of the stack.
    ///
    /// Its children are kept on the builder's `entries` or `items`, from `first` on, and copied
    /// into an array of exactly their count when it ends: no array per collection grown by
    /// doubling, whose spare capacity was most of a large tree's memory.
    struct Frame {
        var isMapping: Bool
        /// Where this collection's children start in `entries` (a mapping) or `items` (a sequence).
        var first: Int
        var pendingKey = PendingKey.none
        /// Where each key sits in `entries`, built only once a mapping grows past `scanLimit`:
        /// a small one is searched in place, with no hashing and no dictionary per mapping.
        var index: [String: Int]?
        var start: SourceLocation

        static let scanLimit = 16
    }

    /// The entries of the mappings being built, each frame's above its parent's.
    var entries: [SpecEntry] = []
    /// The items of the sequences being built, likewise.
    var items: [SpecNode] = []

    /// The range of the key the mapping at the top of the stack already has with this text, if any.
    mutating func earlierKey(_ text: String, top: Int) -> SourceRange? {
        let first = stack[top].first
        if stack[top].index == nil, entries.count - first > Frame.scanLimit {
            var built: [String: Int] = [:]
            built.reserveCapacity((entries.count - first) * 2)
            for offset in first..<entries.count { built[entries[offset].key.text] = offset }
            stack[top].index = built
        }
        if let index = stack[top].index { return index[text].map { entries[$0].key.range } }
        return entries[first...].first { $0.key.text == text }?.key.range
    }

    /// Ends the collection at the top of the stack: its node, its children moved out of the stacks.
    mutating func close(_ frame: Frame, range: SourceRange) -> SpecNode {
        guard frame.isMapping else {
            let children = Self.copy(items, from: frame.first)
            items.removeLast(items.count - frame.first)
            return .sequence(SpecSequence(items: children, range: range))
        }
        let children = Self.copy(entries, from: frame.first)
        entries.removeLast(entries.count - frame.first)
        return .mapping(SpecMapping(entries: children, range: range))
    }

    /// A new array of `stack[first...]`: copied through a pointer, since an array made from a
    /// slice that starts at 0 shares the stack's buffer (all of its spare capacity) instead.
    static func copy<Element>(_ stack: [Element], from first: Int) -> [Element] {
        stack.withUnsafeBufferPointer { Array(UnsafeBufferPointer(rebasing: $0[first...])) }
    }

    let limits: ParseLimits
    /// Whether a stream of several documents is read (manifests), or refused (a spec).
    let manyDocuments: Bool
    /// The lines of the file before the text read: a piece of a spec (`SpecPieces`) is read alone,
    /// with its nodes placed where they are in the whole file.
    var lineOffset = 0
    var stack: [Frame] = []
    /// The documents read, without the empty ones.
    var roots: [SpecNode] = []
    var documents = 0
    var failed = false
    var diagnostics: [Diagnostic] = []

    init(limits: ParseLimits, manyDocuments: Bool) {
        self.limits = limits
        self.manyDocuments = manyDocuments
    }

    /// The place of a libyaml mark in the file.
    func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(line: Int(mark.line) + 1 + lineOffset, column: Int(mark.column) + 1)
    }

    /// The span of an event in the file.
    func range(_ event: yaml_event_t) -> SourceRange {
        SourceRange(start: location(event.start_mark), end: location(event.end_mark))
    }

    mutating func fail(_ code: DiagnosticCode, _ message: String, at range: SourceRange, help: String? = nil) {
        diagnostics.append(Diagnostic(code, message, at: range, help: help))
        failed = true
    }

    mutating func run(_ parser: inout yaml_parser_t, text: UnsafeBufferPointer<UInt8>) {
        var event = yaml_event_t()
        while !failed {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                reportParserError(parser, text: text)
                return
            }
            let done = handle(event)
            yaml_event_delete(&event)
            if done { return }
        }
    }

    mutating func reportParserError(_ parser: yaml_parser_t, text: UnsafeBufferPointer<UInt8>) {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        if parser.error == YAML_READER_ERROR {
            // The reader reports a byte offset, not a line: find the line and column of it.
            let at = Self.byteLocation(ofByte: parser.problem_offset, in: text)
            fail(
                .yamlSyntax, "spec is not valid UTF-8 text: \(problem)", at: SourceRange(start: at, end: at),
                help: "save the file as UTF-8")
            return
        }
        var message = "invalid YAML: \(problem)"
        if let context = parser.context.map({ String(cString: $0) }) { message += " \(context)" }
        let at = location(parser.problem_mark)
        fail(.yamlSyntax, message, at: SourceRange(start: at, end: at))
    }

    /// The line and column of a byte offset, columns counted in UTF-8 lead bytes.
    static func byteLocation(ofByte offset: Int, in text: UnsafeBufferPointer<UInt8>) -> SourceLocation {
        var line = 1
        var column = 1
        for byte in text.prefix(max(0, min(offset, text.count))) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return SourceLocation(line: line, column: column)
    }

    /// Handles one event; returns true at the end of the stream.
    mutating func handle(_ event: yaml_event_t) -> Bool {
        switch event.type {
        case YAML_STREAM_END_EVENT:
            return true
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1, !manyDocuments {
                fail(
                    .documentShape, "spec holds more than one YAML document", at: range(event),
                    help: "write one environment per file")
            }
        case YAML_ALIAS_EVENT:
            fail(
                .yamlUnsupported, "YAML aliases are not supported in a spec", at: range(event),
                help: "write the value out in full")
        case YAML_SCALAR_EVENT:
            scalar(event)
        case YAML_MAPPING_START_EVENT, YAML_SEQUENCE_START_EVENT:
            startCollection(event)
        case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
            guard let frame = stack.popLast() else { return false }
            add(close(frame, range: SourceRange(start: frame.start, end: location(event.end_mark))))
        default:
            break
        }
        return false
    }

    mutating func scalar(_ event: yaml_event_t) {
        let data = event.data.scalar
        if data.anchor != nil {
            fail(
                .yamlUnsupported, "YAML anchors are not supported in a spec", at: range(event),
                help: "remove the '&' anchor")
            return
        }
        if data.tag != nil, data.plain_implicit == 0, data.quoted_implicit == 0 {
            fail(
                .yamlUnsupported,
                "YAML tags are not supported in a spec",
                at: range(event),
                help: "remove the '!' tag; quote the value to make it a string"
            )
            return
        }
        let text =
            data.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: data.length), as: UTF8.self) } ?? ""
        let style: ScalarStyle
        switch data.style {
        case YAML_PLAIN_SCALAR_STYLE: style = .plain
        case YAML_LITERAL_SCALAR_STYLE, YAML_FOLDED_SCALAR_STYLE: style = .block
        default: style = .quoted
        }
        add(.scalar(SpecScalar(text: text, style: style, range: range(event))))
    }

    mutating func startCollection(_ event: yaml_event_t) {
        let isMapping = event.type == YAML_MAPPING_START_EVENT
        let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
        let tag = isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag
        let implicit = isMapping ? event.data.mapping_start.implicit : event.data.sequence_start.implicit
        if anchor != nil {
            fail(
                .yamlUnsupported, "YAML anchors are not supported in a spec", at: range(event),
                help: "remove the '&' anchor")
            return
        }
        if tag != nil, implicit == 0 {
            fail(
                .yamlUnsupported, "YAML tags are not supported in a spec", at: range(event), help: "remove the '!' tag")
            return
        }
        if stack.count >= limits.maxDepth {
            fail(.limitExceeded, "spec nests deeper than \(limits.maxDepth) levels", at: range(event))
            return
        }
        let start = location(event.start_mark)
        stack.append(Frame(isMapping: isMapping, first: isMapping ? entries.count : items.count, start: start))
    }

    /// Attaches a finished node to the collection being built, or makes it the root.
    mutating func add(_ node: SpecNode) {
        let top = stack.count - 1
        guard top >= 0 else {
            // In a stream, an empty document (an empty plain scalar) holds nothing to read.
            if manyDocuments, case .scalar(let scalar) = node, scalar.style == .plain, scalar.text.isEmpty { return }
            roots.append(node)
            return
        }
        guard stack[top].isMapping else {
            items.append(node)
            return
        }
        switch stack[top].pendingKey {
        case .key(let key):
            stack[top].index?[key.text] = entries.count
            entries.append(SpecEntry(key: key, value: node))
            stack[top].pendingKey = .none
            return
        case .discard:
            stack[top].pendingKey = .none
            return
        case .none:
            break
        }
        guard case .scalar(let key) = node else {
            fail(.yamlUnsupported, "a mapping key must be a plain name", at: node.range, help: "use a name as the key")
            return
        }
        if key.style == .plain, key.text == "<<" {
            fail(
                .yamlUnsupported, "YAML merge keys ('<<') are not supported in a spec", at: key.range,
                help: "write the keys out in full")
            return
        }
        if let first = earlierKey(key.text, top: top) {
            diagnostics.append(
                Diagnostic(
                    .duplicateKey,
                    "duplicate key '\(key.text)'",
                    at: key.range,
                    help: "each name may appear once; merge the two entries or rename one",
                    notes: [DiagnosticNote("'\(key.text)' first defined here", at: first)]
                )
            )
            stack[top].pendingKey = .discard
        } else {
            stack[top].pendingKey = .key(key)
        }
    }
}
