/// Renders Kubernetes objects as block-style YAML that reads back identically under YAML 1.1
/// and 1.2 parsers.
///
/// Keyway emits a small subset of YAML: block mappings and sequences, `{}` and `[]` for empty
/// ones, and scalars that are plain, double-quoted or literal blocks. Which of the three a string
/// gets is decided in one place, `scalar(_:indent:)`.
public struct YAMLRenderer {
    private var out: [UInt8] = []

    public init() {}

    /// One document, without a `---` marker.
    public static func render(_ document: ManifestMap) -> String {
        var renderer = YAMLRenderer()
        renderer.write(document)
        return renderer.text
    }

    /// A multi-document stream: every document starts with `---`.
    public static func renderStream(_ documents: [ManifestMap]) -> String {
        var renderer = YAMLRenderer()
        for document in documents { renderer.appendDocument(document) }
        return renderer.text
    }

    public mutating func appendDocument(_ document: ManifestMap) {
        out.append(contentsOf: "---\n".utf8)
        write(document)
    }

    public var text: String { String(decoding: out, as: UTF8.self) }

    public mutating func write(_ document: ManifestMap) {
        if document.isEmpty {
            out.append(contentsOf: "{}\n".utf8)
        } else {
            mapping(document, indent: 0, continuing: false)
        }
    }

    private mutating func spaces(_ count: Int) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count))
    }

    /// Writes a non-empty mapping; `continuing` when its first key follows a `- ` already written.
    private mutating func mapping(_ map: ManifestMap, indent: Int, continuing: Bool) {
        for (index, entry) in map.entries.enumerated() {
            if index > 0 || !continuing { spaces(indent) }
            scalarText(entry.key, indent: indent, allowBlock: false)
            out.append(UInt8(ascii: ":"))
            value(entry.value, indent: indent, nested: indent + 2)
        }
    }

    private mutating func sequence(_ items: [ManifestValue], indent: Int) {
        for item in items {
            spaces(indent)
            out.append(contentsOf: "-".utf8)
            switch item {
            case .map(let map) where !map.isEmpty:
                out.append(UInt8(ascii: " "))
                mapping(map, indent: indent + 2, continuing: true)
            default:
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
            out.append(contentsOf: " \(number)\n".utf8)
        case .bool(let flag):
            out.append(contentsOf: (flag ? " true\n" : " false\n").utf8)
        case .map(let map):
            if map.isEmpty {
                out.append(contentsOf: " {}\n".utf8)
            } else {
                out.append(UInt8(ascii: "\n"))
                mapping(map, indent: nested, continuing: false)
            }
        case .list(let items):
            if items.isEmpty {
                out.append(contentsOf: " []\n".utf8)
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
            out.append(contentsOf: text.utf8)
        case .doubleQuoted:
            YAMLScalarStyle.writeDoubleQuoted(text, into: &out)
        case .literal(let chomping):
            out.append(contentsOf: "|\(chomping)".utf8)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            // The text's final newline(s) are the block's chomping, not lines of their own.
            while lines.last?.isEmpty == true { lines.removeLast() }
            let extra = chomping == "+" ? text.reversed().prefix { $0 == "\n" }.count - 1 : 0
            for line in lines {
                out.append(UInt8(ascii: "\n"))
                if !line.isEmpty {
                    spaces(indent)
                    out.append(contentsOf: line.utf8)
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

    private static let indicators: [UInt8] = Array("?:,[]{}#&*!|>'\"%@`".utf8)

    static func isPlainSafe(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { isPlainSafe(utf8: $0) }
    }

    private static func isPlainSafe(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        // Printable ASCII only: no tabs, line breaks or characters some readers treat specially.
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return false }
        // Indicators that start other YAML syntax; `-` is fine before a letter (`-c`).
        if indicators.contains(first) { return false }
        if first == UInt8(ascii: "-") {
            guard bytes.count > 1, (bytes[1] | 0x20) >= 0x61 && (bytes[1] | 0x20) <= 0x7A else { return false }
        }
        if first == UInt8(ascii: " ") || last == UInt8(ascii: " ") || last == UInt8(ascii: ":") { return false }
        // Numbers of any reader's flavour start with a digit, or a sign or dot before one.
        if first >= 0x30 && first <= 0x39 { return false }
        if first == UInt8(ascii: "+") || first == UInt8(ascii: ".") { return false }
        for index in 0..<(bytes.count - 1) {
            if bytes[index] == UInt8(ascii: ":") && bytes[index + 1] == UInt8(ascii: " ") { return false }
            if bytes[index] == UInt8(ascii: " ") && bytes[index + 1] == UInt8(ascii: "#") { return false }
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
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
