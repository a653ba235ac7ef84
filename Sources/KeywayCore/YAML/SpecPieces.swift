import CLibYAML

/// A large spec read on every core: its `apps:` block cut at apps' first lines, each piece read by
/// libyaml alone, the trees joined into the one a single reading gives.
///
/// The cut is made only where it cannot change what is read. A line that starts with an app's
/// indentation and a name character ends every construct of the app before it in block YAML (a
/// block scalar's content, a plain scalar's continuation and a nested block are indented deeper),
/// so the pieces hold the same tokens at the same columns as the whole file; the lines before a
/// piece are added to its places. Where that argument does not hold, the cut is not made: a
/// quoted scalar or flow collection running over the cut leaves the piece before it unfinished,
/// which libyaml reports. Any report, duplicate name across pieces or unexpected shape, and any
/// line break libyaml counts other than `\n` (`\r`, NEL, LS, PS), gives the single reading
/// instead, so its diagnostics are always the ones of the whole file.
/// `SpecPiecesTests` checks the joined tree equal to the single reading at every possible cut of
/// every spec in the repository.
enum SpecPieces {
    /// Which top-level key's entries are cut, and how finely.
    struct Layout: Sendable {
        /// The top-level key whose block mapping is cut between its entries (a spec's `apps`).
        var key: String
        /// The smallest piece worth a core: below it, one reading is as fast.
        var pieceBytes = 64 * 1024
    }

    /// Where the text is cut: the pieces' byte ranges, the line each starts on (from 0), and
    /// whether the last one is the top-level keys after `apps:`.
    struct Cut: Equatable {
        var pieces: [Range<Int>]
        var firstLines: [Int]
        var hasTail: Bool
        /// The line of `apps:` (from 0), where the first piece's last key must be read.
        var appsLine: Int
        /// The key of that line.
        var key: String
        /// The apps' indentation: the column (from 0) of each app's name.
        var indent: Int

        /// Whether piece `index` holds apps only: neither the first piece nor the tail.
        func holdsApps(_ index: Int) -> Bool {
            index > 0 && !(hasTail && index == pieces.count - 1)
        }
    }

    /// The spec read in pieces, or `nil` where the single reading must be made.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, layout: Layout, limits: ParseLimits) -> SpecNode? {
        guard bytes.count >= 2 * layout.pieceBytes, let cut = cut(bytes, layout: layout) else { return nil }
        return parse(bytes, cut: cut, limits: limits)
    }

    /// The spec read in the pieces of `cut`, or `nil` where any piece reports a problem.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, cut: Cut, limits: ParseLimits) -> SpecNode? {
        let count = cut.pieces.count
        let text = SharedText(bytes: bytes)
        let roots = Concurrently.map(Array(0..<count)) { index -> SpecNode? in
            // The apps of a middle piece sit one level below the top: the depth limit counts it.
            var pieceLimits = limits
            if cut.holdsApps(index) { pieceLimits.maxDepth -= 1 }
            guard
                var tree = piece(text.bytes, cut.pieces[index], lineOffset: cut.firstLines[index], limits: pieceLimits)
            else { return nil }
            if index + 1 < count, cut.holdsApps(index + 1) {
                // What the piece leaves open at its end closes, in the whole file, at the next app's name.
                let line = cut.firstLines[index + 1] + 1
                moveEnds(
                    &tree, from: SourceLocation(line: line, column: 1),
                    to: SourceLocation(line: line, column: cut.indent + 1))
            }
            return tree
        }
        let trees = roots.compactMap { $0 }
        guard trees.count == count else { return nil }
        return join(trees, cut: cut)
    }

    /// The spec's bytes, read by every piece's thread while the caller holds them; none writes.
    private struct SharedText: @unchecked Sendable {
        let bytes: UnsafeBufferPointer<UInt8>
    }

    /// Moves the end of the collections that end at `old` (the last entry or item of each, from
    /// the root on: those libyaml closes at the end of the piece) to `new`.
    static func moveEnds(_ node: inout SpecNode, from old: SourceLocation, to new: SourceLocation) {
        guard node.range.end == old else { return }
        switch node {
        case .scalar:
            // A block scalar ends where the whole file ends it too: before the next line's indentation.
            return
        case .mapping(var mapping):
            node = .sequence(SpecSequence(items: [], range: mapping.range))  // releases the entries: no copy
            mapping.range.end = new
            if !mapping.entries.isEmpty {
                moveEnds(&mapping.entries[mapping.entries.count - 1].value, from: old, to: new)
            }
            node = .mapping(mapping)
        case .sequence(var sequence):
            node = .sequence(SpecSequence(items: [], range: sequence.range))
            sequence.range.end = new
            if !sequence.items.isEmpty { moveEnds(&sequence.items[sequence.items.count - 1], from: old, to: new) }
            node = .sequence(sequence)
        }
    }

    /// One piece read alone: its single mapping, or `nil` on any report.
    private static func piece(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, lineOffset: Int, limits: ParseLimits
    ) -> SpecNode? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        yaml_parser_set_input_string(&parser, slice.baseAddress, slice.count)
        var builder = TreeBuilder(limits: limits, manyDocuments: false)
        builder.lineOffset = lineOffset
        builder.run(&parser, text: slice)
        guard !builder.failed, builder.diagnostics.isEmpty, builder.roots.count == 1,
            case .mapping = builder.roots[0]
        else { return nil }
        return builder.roots[0]
    }

    /// The pieces' trees as one, or `nil` where a name repeats across pieces.
    ///
    /// The first piece's last entry is `apps`, which the middle pieces' apps continue; the tail's
    /// keys follow it.
    private static func join(_ trees: [SpecNode], cut: Cut) -> SpecNode? {
        let hasTail = cut.hasTail
        guard case .mapping(var root) = trees[0], let last = root.entries.last, last.key.text == cut.key,
            last.key.style == .plain, last.key.range.start == SourceLocation(line: cut.appsLine + 1, column: 1),
            case .mapping(var apps) = last.value
        else { return nil }
        let middle = hasTail ? trees[1..<(trees.count - 1)] : trees[1...]
        var names = Set<String>(minimumCapacity: apps.entries.count * trees.count)
        for entry in apps.entries { names.insert(entry.key.text) }
        for case .mapping(let piece) in middle {
            for entry in piece.entries where !names.insert(entry.key.text).inserted { return nil }
            apps.entries.append(contentsOf: piece.entries)
            apps.range.end = piece.range.end
        }
        root.entries.removeLast()
        if hasTail, case .mapping(let tail) = trees[trees.count - 1] {
            var keys = Set(root.entries.map(\.key.text))
            keys.insert(cut.key)
            for entry in tail.entries where !keys.insert(entry.key.text).inserted { return nil }
            root.entries.append(SpecEntry(key: last.key, value: .mapping(apps)))
            root.entries.append(contentsOf: tail.entries)
            root.range.end = tail.range.end
        } else {
            root.entries.append(SpecEntry(key: last.key, value: .mapping(apps)))
            root.range.end = apps.range.end
        }
        return .mapping(root)
    }
}

extension SpecPieces {
    /// The lines of the text: each line's first byte, in order (the last line may lack its `\n`).
    ///
    /// `nil` where the text holds a line break other than `\n`, which libyaml counts as well.
    static func lineStarts(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int]? {
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32)
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x0E {
                if byte == 0x0A, index + 1 < count { starts.append(index + 1) }
                if byte == 0x0D { return nil }
            } else if byte == 0xC2 {
                if index + 1 < count, bytes[index + 1] == 0x85 { return nil }
            } else if byte == 0xE2 {
                if index + 2 < count, bytes[index + 1] == 0x80, bytes[index + 2] & 0xFE == 0xA8 { return nil }
            }
            index += 1
        }
        return starts
    }

    /// How a line starts: its indentation and the byte after it (`nil` for a blank or comment line).
    private static func shape(of line: Int, _ starts: [Int], _ bytes: UnsafeBufferPointer<UInt8>) -> (Int, UInt8)? {
        var index = starts[line]
        while index < bytes.count, bytes[index] == 0x20 { index += 1 }
        guard index < bytes.count, bytes[index] != 0x0A, bytes[index] != UInt8(ascii: "#") else { return nil }
        return (index - starts[line], bytes[index])
    }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")
    }

    /// The line `KEY:` at the left margin, nothing after it but spaces and a comment.
    private static func isKeyLine(
        _ line: Int, key: String, _ starts: [Int], _ bytes: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        var index = starts[line]
        for byte in (key + ":").utf8 {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
        }
        while index < bytes.count, bytes[index] == 0x20 { index += 1 }
        return index == bytes.count || bytes[index] == 0x0A || bytes[index] == UInt8(ascii: "#")
    }

    /// Where the text can be cut, in pieces of at least `layout.pieceBytes`; `nil` where it cannot.
    static func cut(_ bytes: UnsafeBufferPointer<UInt8>, layout: Layout) -> Cut? {
        guard let starts = lineStarts(bytes),
            let appsLine = starts.indices.first(where: { isKeyLine($0, key: layout.key, starts, bytes) })
        else { return nil }
        var firstLines = [0]
        var tailLine: Int?
        var indent: Int?
        var appsInPiece = 0
        for line in (appsLine + 1)..<starts.count {
            guard let (depth, first) = shape(of: line, starts, bytes) else { continue }
            if depth == 0 {
                guard isLetter(first), indent != nil else { return nil }
                tailLine = line
                break
            }
            let appIndent = indent ?? depth
            indent = appIndent
            guard depth >= appIndent else { return nil }
            guard depth == appIndent, isNameStart(first) else { continue }
            if appsInPiece > 0, starts[line] - starts[firstLines[firstLines.count - 1]] >= layout.pieceBytes {
                firstLines.append(line)
                appsInPiece = 0
            }
            appsInPiece += 1
        }
        guard firstLines.count > 1 else { return nil }
        if let tailLine { firstLines.append(tailLine) }
        let bounds = firstLines.map { starts[$0] } + [bytes.count]
        return Cut(
            pieces: firstLines.indices.map { bounds[$0]..<bounds[$0 + 1] }, firstLines: firstLines,
            hasTail: tailLine != nil, appsLine: appsLine, key: layout.key, indent: indent ?? 0)
    }
}
