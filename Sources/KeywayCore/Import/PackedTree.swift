import Dispatch

/// A parsed input object packed into bytes while the imported spec compiles, and unpacked again,
/// one object at a time, when the comparison reaches it.
///
/// The parsed trees of a large input are about four times its text (80 bytes a mapping entry, a
/// range on every key and scalar) and were import's peak beside the verifying compile. Packed, a
/// node is its kind, its range as small deltas and its text: about the size of the input.
/// Unpacking gives the same tree, texts, styles and ranges alike.
enum PackedTree {
    private enum Tag: UInt8 {
        case mapping, sequence, plain, quoted, block
    }

    /// Packs trees one after another, writing each into one reused buffer first.
    struct Packer {
        private var writer = Writer()

        /// The bytes of `mapping` and everything below it, in an array of their size.
        mutating func pack(_ mapping: SpecMapping) -> [UInt8] {
            writer.bytes.removeAll(keepingCapacity: true)
            writer.line = 0
            writer.mapping(mapping)
            return writer.bytes.withUnsafeBufferPointer { Array($0) }
        }
    }

    /// The bytes of `mapping` and everything below it.
    static func pack(_ mapping: SpecMapping) -> [UInt8] {
        var packer = Packer()
        return packer.pack(mapping)
    }

    /// The mapping `pack` was given.
    static func unpack(_ bytes: [UInt8]) -> SpecMapping {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = Reader(bytes: buffer)
            guard case .mapping(let mapping) = reader.node() else {
                preconditionFailure("a packed tree starts with its mapping")
            }
            return mapping
        }
    }

    private struct Writer {
        var bytes: [UInt8] = []
        /// The line of the last range written: lines are written as the difference from it.
        var line = 0

        mutating func unsigned(_ value: Int) {
            var rest = UInt64(truncatingIfNeeded: value)
            while rest >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
                rest >>= 7
            }
            bytes.append(UInt8(rest))
        }

        mutating func signed(_ value: Int) { unsigned(value >= 0 ? value << 1 : (~value << 1) | 1) }

        mutating func range(_ range: SourceRange) {
            signed(range.start.line - line)
            unsigned(range.start.column)
            signed(range.end.line - range.start.line)
            unsigned(range.end.column)
            line = range.start.line
        }

        mutating func scalar(_ scalar: SpecScalar) {
            let tag: Tag =
                switch scalar.style {
                case .plain: .plain
                case .quoted: .quoted
                case .block: .block
                }
            bytes.append(tag.rawValue)
            range(scalar.range)
            unsigned(scalar.text.utf8.count)
            bytes.append(contentsOf: scalar.text.utf8)
        }

        mutating func mapping(_ mapping: SpecMapping) {
            bytes.append(Tag.mapping.rawValue)
            range(mapping.range)
            unsigned(mapping.entries.count)
            for entry in mapping.entries {
                scalar(entry.key)
                node(entry.value)
            }
        }

        mutating func node(_ node: SpecNode) {
            switch node {
            case .scalar(let value): scalar(value)
            case .mapping(let value): mapping(value)
            case .sequence(let sequence):
                bytes.append(Tag.sequence.rawValue)
                range(sequence.range)
                unsigned(sequence.items.count)
                for item in sequence.items { self.node(item) }
            }
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var offset = 0
        var line = 0

        mutating func unsigned() -> Int {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let byte = bytes[offset]
                offset += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return Int(truncatingIfNeeded: value) }
                shift += 7
            }
        }

        mutating func signed() -> Int {
            let value = unsigned()
            return value & 1 == 0 ? value >> 1 : ~(value >> 1)
        }

        mutating func range() -> SourceRange {
            let startLine = line + signed()
            let startColumn = unsigned()
            let endLine = startLine + signed()
            let endColumn = unsigned()
            line = startLine
            return SourceRange(
                start: SourceLocation(line: startLine, column: startColumn),
                end: SourceLocation(line: endLine, column: endColumn))
        }

        mutating func node() -> SpecNode {
            let tag = Tag(rawValue: bytes[offset])
            offset += 1
            let range = range()
            let count = unsigned()
            switch tag {
            case .mapping:
                var entries: [SpecEntry] = []
                entries.reserveCapacity(count)
                for _ in 0..<count {
                    guard case .scalar(let key) = node() else { preconditionFailure("a packed key is a scalar") }
                    entries.append(SpecEntry(key: key, value: node()))
                }
                return .mapping(SpecMapping(entries: entries, range: range))
            case .sequence:
                var items: [SpecNode] = []
                items.reserveCapacity(count)
                for _ in 0..<count { items.append(node()) }
                return .sequence(SpecSequence(items: items, range: range))
            case .plain, .quoted, .block, nil:
                let text = String(
                    decoding: UnsafeBufferPointer(rebasing: bytes[offset..<offset + count]), as: UTF8.self)
                offset += count
                let style: ScalarStyle = tag == .plain ? .plain : tag == .quoted ? .quoted : .block
                return .scalar(SpecScalar(text: text, style: style, range: range))
            }
        }
    }
}

/// Packs the objects' trees on another core while the imported spec compiles on this one, each
/// tree released as soon as it is packed.
final class PackingJob: @unchecked Sendable {
    private var roots: [SpecMapping]
    /// Each tree's bytes, in the order of the trees given; complete once `run` returned.
    private(set) var packed: [[UInt8]] = []

    init(roots: [SpecMapping]) { self.roots = roots }

    func run() {
        var packer = PackedTree.Packer()
        packed.reserveCapacity(roots.count)
        for index in roots.indices {
            let root = roots[index]
            roots[index].entries = []
            packed.append(packer.pack(root))
        }
        roots = []
    }
}

/// Unpacks packed trees in chunks on another core, one chunk ahead of the comparison that reads
/// them; the chunk the comparison is done with is released there too.
final class UnpackingJob: @unchecked Sendable {
    static let chunkSize = 128

    private let packed: [[UInt8]]
    private let chunks: Int
    private let trees: UnsafeMutableBufferPointer<[SpecMapping]>
    private let groups: [DispatchGroup]

    init(packed: [[UInt8]]) {
        self.packed = packed
        chunks = (packed.count + Self.chunkSize - 1) / Self.chunkSize
        trees = .allocate(capacity: chunks)
        trees.initialize(repeating: [])
        groups = (0..<chunks).map { _ in DispatchGroup() }
    }

    deinit {
        _ = trees.deinitialize()
        trees.deallocate()
    }

    /// Starts unpacking chunk `chunk` (nothing past the last), releasing `done` first.
    func start(_ chunk: Int, releasing done: [SpecMapping] = []) {
        guard chunk < chunks else { return }
        groups[chunk].enter()
        DispatchQueue.global().async { [done] in
            _ = done
            let range = chunk * Self.chunkSize..<min((chunk + 1) * Self.chunkSize, self.packed.count)
            self.trees[chunk] = range.map { PackedTree.unpack(self.packed[$0]) }
            self.groups[chunk].leave()
        }
    }

    /// The trees of chunk `chunk`, once unpacked.
    func take(_ chunk: Int) -> [SpecMapping] {
        groups[chunk].wait()
        defer { trees[chunk] = [] }
        return trees[chunk]
    }
}
