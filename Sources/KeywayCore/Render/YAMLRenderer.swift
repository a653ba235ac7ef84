/// Renders Kubernetes objects as block-style YAML that reads back identically under YAML 1.1
/// and 1.2 parsers.
///
/// Keyway emits a small subset of YAML: block mappings and sequences, `{}` and `[]` for empty
/// ones, and scalars that are plain, double-quoted or literal blocks. Which of the three a string
/// gets is decided in one place, `scalar(_:indent:)`.
///
/// Everything is written into one growing byte buffer: no string is built per line or per value.
public struct YAMLRenderer {
    private(set) var out: [UInt8] = []

    public init() {}

    /// A renderer whose buffer starts with room for `capacity` bytes.
    init(capacity: Int) { out.reserveCapacity(capacity) }

    /// One document, without a `---` marker.
    public static func render(_ document: ManifestMap) -> String {
        var renderer = YAMLRenderer(capacity: 1024)
        renderer.write(document)
        return renderer.text
    }

    /// A multi-document stream: every document starts with `---`.
    public static func renderStream(_ documents: [ManifestMap]) -> String {
        String(decoding: streamBytes(documents[...]), as: UTF8.self)
    }

    /// The UTF-8 of a multi-document stream of `documents`, each starting with `---`.
    static func streamBytes(_ documents: ArraySlice<ManifestMap>) -> [UInt8] {
        var renderer = YAMLRenderer(capacity: documents.count * 1024)
        for document in documents { renderer.appendDocument(document) }
        return renderer.out
    }

    public mutating func appendDocument(_ document: ManifestMap) {
        append("---\n")
        write(document)
    }

    public var text: String { String(decoding: out, as: UTF8.self) }

    public mutating func write(_ document: ManifestMap) {
        if document.isEmpty {
            append("{}\n")
        } else {
            mapping(document, indent: 0, continuing: false)
        }
    }

    /// Appends a string's UTF-8 in one copy.
    private mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    private static let blanks = [UInt8](repeating: UInt8(ascii: " "), count: 64)

    private mutating func spaces(_ count: Int) {
        var left = count
        while left > 0 {
            let run = min(left, Self.blanks.count)
            Self.blanks.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<run])) }
            left -= run
        }
    }

    /// Writes a non-empty mapping; `continuing` when its first key follows a `- ` already written.
    private mutating func mapping(_ map: ManifestMap, indent: Int, continuing: Bool) {
        var first = true
        for entry in map.entries {
            if !first || !continuing { spaces(indent) }
            first = false
            scalarText(entry.key, indent: indent, allowBlock: false)
            out.append(UInt8(ascii: ":"))
            value(entry.value, indent: indent, nested: indent + 2)
        }
    }

    private mutating func sequence(_ items: [ManifestValue], indent: Int) {
        for item in items {
            spaces(indent)
            out.append(UInt8(ascii: "-"))
            if case .map(let map) = item, !map.isEmpty {
                out.append(UInt8(ascii: " "))
                mapping(map, indent: indent + 2, continuing: true)
            } else {
                value(item, indent: indent, nested: indent + 2)
            }
        }
    }

    /// Writes what follows a `key:` or `-`: a space and a scalar, or a newline and a nested block.
    private mutating func value(_ value: ManifestValue, indent: Int, nested: Int) {
        switch value {
        case .string(let text):
            out.append(UInt8(ascii: " "))
            scalarText(text, indent: indent + 2, allowBlock: true)
            out.append(UInt8(ascii: "\n"))
        case .int(let number):
            out.append(UInt8(ascii: " "))
            append(String(number))
            out.append(UInt8(ascii: "\n"))
        case .bool(let flag):
            append(flag ? " true\n" : " false\n")
        case .map(let map):
            if map.isEmpty {
                append(" {}\n")
            } else {
                out.append(UInt8(ascii: "\n"))
                mapping(map, indent: nested, continuing: false)
            }
        case .list(let items):
            if items.isEmpty {
                append(" []\n")
            } else {
                out.append(UInt8(ascii: "\n"))
                sequence(items, indent: nested)
            }
        }
    }

    /// Writes a string in the style `YAMLScalarStyle.choose` picks; a literal block ends with its
    /// last line's newline removed, so that every caller appends exactly one newline.
    private mutating func scalarText(_ text: String, indent: Int, allowBlock: Bool) {
        switch YAMLScalarStyle.choose(for: text, allowBlock: allowBlock) {
        case .plain:
            append(text)
        case .doubleQuoted:
            YAMLScalarStyle.writeDoubleQuoted(text, into: &out)
        case .literal(let chomping):
            append("|\(chomping)")
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            // The text's final newline(s) are the block's chomping, not lines of their own.
            while lines.last?.isEmpty == true { lines.removeLast() }
            let extra = chomping == "+" ? text.reversed().prefix { $0 == "\n" }.count - 1 : 0
            for line in lines {
                out.append(UInt8(ascii: "\n"))
                if !line.isEmpty {
                    spaces(indent)
                    append(String(line))
                }
            }
            for _ in 0..<max(0, extra) { out.append(UInt8(ascii: "\n")) }
        }
    }
}

/// How one string is written, and the rules that decide it.
enum YAMLScalarStyle: Equatable {
    case plain
    case doubleQuoted
    /// A literal block with its chomping indicator: `-` (no final newline), `` (one), `+` (more).
    case literal(String)

    /// Plain only where every YAML 1.1 and 1.2 reader takes the text back as this same string;
    /// a literal block for multi-line text that fits one; double quotes for everything else.
    static func choose(for text: String, allowBlock: Bool) -> YAMLScalarStyle {
        if isPlainSafe(text) { return .plain }
        if allowBlock, let chomping = literalChomping(text) { return .literal(chomping) }
        return .doubleQuoted
    }

    static func isPlainSafe(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { isPlainSafe(utf8: $0) }
    }

    /// Whether a byte may not start a plain scalar: YAML's indicators, which start other syntax.
    private static func isIndicator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"),
            UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "*"),
            UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""),
            UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"):
            return true
        default:
            return false
        }
    }

    /// The rules on the first and last byte: no indicator, number, sign or surrounding space.
    private static func edgesArePlainSafe(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        // Indicators that start other YAML syntax; `-` is fine before a letter (`-c`).
        if isIndicator(first) { return false }
        if first == UInt8(ascii: "-") {
            guard bytes.count > 1, (bytes[1] | 0x20) >= 0x61 && (bytes[1] | 0x20) <= 0x7A else { return false }
        }
        if first == UInt8(ascii: " ") || last == UInt8(ascii: " ") || last == UInt8(ascii: ":") { return false }
        // Numbers of any reader's flavour start with a digit, or a sign or dot before one.
        if first >= 0x30 && first <= 0x39 { return false }
        return first != UInt8(ascii: "+") && first != UInt8(ascii: ".")
    }

    /// One pass over the bytes, no allocation: printable ASCII only (no tabs, line breaks or
    /// characters some readers treat specially), no `: ` or ` #`, and read back as a string.
    static func isPlainSafe(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard edgesArePlainSafe(bytes) else { return false }
        var previous = bytes[0]
        guard previous >= 0x20 && previous < 0x7F else { return false }
        for index in 1..<bytes.count {
            let byte = bytes[index]
            guard byte >= 0x20 && byte < 0x7F else { return false }
            if previous == UInt8(ascii: ":") && byte == UInt8(ascii: " ") { return false }
            if previous == UInt8(ascii: " ") && byte == UInt8(ascii: "#") { return false }
            previous = byte
        }
        return YAMLResolver.resolve(plainUTF8: bytes) == .string
    }

    /// The chomping indicator if `text` can be a literal block that reads back exactly.
    static func literalChomping(_ text: String) -> String? {
        guard text.contains("\n") else { return nil }
        var trailingNewlines = 0
        for character in text.reversed() {
            guard character == "\n" else { break }
            trailingNewlines += 1
        }
        guard trailingNewlines < text.count else { return nil }
        let body = text.dropLast(trailingNewlines)
        // The first line sets the block's indentation: it may not start with a space or be empty.
        guard let first = body.first, first != " ", first != "\t", first != "\n" else { return nil }
        for scalar in body.unicodeScalars {
            let value = scalar.value
            let printable =
                value == 0x0A || value == 0x09 || (value >= 0x20 && value <= 0x7E)
                || (value >= 0xA0 && value <= 0xD7FF && value != 0x2028 && value != 0x2029)
                || (value >= 0xE000 && value <= 0xFFFD && value != 0xFEFF) || value >= 0x10000
            guard printable else { return nil }
        }
        // Trailing white space on a line is not kept the same way by every reader.
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.last == " " || line.last == "\t" { return nil }
        }
        switch trailingNewlines {
        case 0: return "-"
        case 1: return ""
        default: return "+"
        }
    }

    /// The one quoting function for YAML: double quotes, escaping what YAML 1.1 would not read back.
    static func writeDoubleQuoted(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x22: out.append(contentsOf: "\\\"".utf8)
            case 0x5C: out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x00: out.append(contentsOf: "\\0".utf8)
            case 0x85: out.append(contentsOf: "\\N".utf8)
            case 0x2028: out.append(contentsOf: "\\L".utf8)
            case 0x2029: out.append(contentsOf: "\\P".utf8)
            case 0..<0x20, 0x7F...0x9F:
                out.append(contentsOf: "\\x".utf8)
                out.append(contentsOf: String(value, radix: 16, uppercase: true).zeroPadded(to: 2).utf8)
            case 0xFEFF, 0xFFFE, 0xFFFF:
                out.append(contentsOf: "\\u".utf8)
                out.append(contentsOf: String(value, radix: 16, uppercase: true).utf8)
            default:
                UTF8.encode(scalar) { out.append($0) }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
