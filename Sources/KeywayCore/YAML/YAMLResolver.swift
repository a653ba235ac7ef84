/// The type a plain (unquoted) YAML scalar resolves to.
public enum ResolvedScalarType: Sendable, Equatable {
    case string
    case null
    case bool(Bool)
    case int
    case float
    case timestamp
    /// `<<`, YAML 1.1's merge key.
    case merge

    var description: String {
        switch self {
        case .string: "a string"
        case .null: "null"
        case .bool: "a boolean"
        case .int: "an integer"
        case .float: "a floating-point number"
        case .timestamp: "a timestamp"
        case .merge: "a merge key"
        }
    }
}

/// YAML's implicit typing of plain scalars, as YAML 1.1 parsers (PyYAML, Go's yaml.v2, so Kubernetes)
/// and YAML 1.2 core parsers read them: whatever either reads as something other than a string
/// is not a string.
public enum YAMLResolver {
    private static let trueWords: [UInt64] = ["y", "yes", "true", "on"].map { packed(Array($0.utf8)[...]) }
    private static let falseWords: [UInt64] = ["n", "no", "false", "off"].map { packed(Array($0.utf8)[...]) }
    private static let nullWords: [UInt64] = ["~", "null"].map { packed(Array($0.utf8)[...]) }

    /// Up to seven bytes and their count in one integer, letters lower-cased: a word compared
    /// without an allocation.
    private static func packed<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var word = UInt64(bytes.count) << 56
        for (offset, byte) in bytes.prefix(7).enumerated() {
            word |= UInt64(isLetter(byte) ? byte | 0x20 : byte) << (8 * UInt64(offset))
        }
        return word
    }

    /// How a plain scalar with this text is typed.
    public static func resolve(plain text: String) -> ResolvedScalarType {
        var text = text
        return text.withUTF8 { resolve(plainUTF8: $0) }
    }

    static func resolve(plainUTF8 utf8: UnsafeBufferPointer<UInt8>) -> ResolvedScalarType {
        guard let first = utf8.first else { return .null }
        // Only scalars starting with these characters can resolve to anything but a string.
        let mayBeSpecial =
            isDigit(first) || first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
            || first == UInt8(ascii: ".") || first == UInt8(ascii: "~") || first == UInt8(ascii: "<")
            || isLetter(first)
        guard mayBeSpecial, utf8.count <= 32 else { return .string }
        if isLetter(first) || first == UInt8(ascii: "~") {
            guard utf8.count <= 5 else { return .string }
            // Case-insensitive on purpose: YAML 1.1 only knows three spellings, but a reader
            // of `nO` or `TrUe` should not have to know that.
            let lower = packed(utf8)
            if trueWords.contains(lower) { return .bool(true) }
            if falseWords.contains(lower) { return .bool(false) }
            if nullWords.contains(lower) { return .null }
            return .string
        }
        if utf8.count == 2, first == UInt8(ascii: "<"), utf8[1] == UInt8(ascii: "<") { return .merge }
        let bytes = Array(utf8)
        if isTimestamp(bytes) { return .timestamp }
        return numberType(bytes) ?? .string
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    private static func isHex(_ byte: UInt8) -> Bool {
        isDigit(byte) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66)
    }

    /// `YYYY-M-D` followed by nothing, or by a time.
    private static func isTimestamp(_ b: [UInt8]) -> Bool {
        var i = 0
        func digits(_ min: Int, _ max: Int) -> Bool {
            var n = 0
            while i < b.count, isDigit(b[i]), n < max {
                i += 1
                n += 1
            }
            return n >= min
        }
        guard digits(4, 4), i < b.count, b[i] == UInt8(ascii: "-") else { return false }
        i += 1
        guard digits(1, 2), i < b.count, b[i] == UInt8(ascii: "-") else { return false }
        i += 1
        guard digits(1, 2) else { return false }
        if i == b.count { return true }
        return b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == UInt8(ascii: " ")
            || b[i] == UInt8(ascii: "\t")
    }

    private static func numberType(_ all: [UInt8]) -> ResolvedScalarType? {
        var b = all[...]
        if let sign = b.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { b = b.dropFirst() }
        guard let first = b.first else { return nil }
        let lower = String(decoding: b, as: UTF8.self).lowercased()
        if lower == ".inf" || (lower == ".nan" && b.count == all.count) { return .float }
        if b.count > 2, first == UInt8(ascii: "0") {
            let rest = b.dropFirst(2)
            switch b[b.startIndex + 1] | 0x20 {
            case UInt8(ascii: "x"): if rest.allSatisfy({ isHex($0) || $0 == UInt8(ascii: "_") }) { return .int }
            case UInt8(ascii: "b"):
                if rest.allSatisfy({ $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") || $0 == UInt8(ascii: "_") }) {
                    return .int
                }
            case UInt8(ascii: "o"):
                if rest.allSatisfy({ $0 >= 0x30 && $0 <= 0x37 || $0 == UInt8(ascii: "_") }) { return .int }
            default: break
            }
        }
        // Sexagesimal (YAML 1.1): 1:30, 1:30:00, 1:30.5
        if b.contains(UInt8(ascii: ":")) { return sexagesimal(b) }
        // Decimal integers and floats of YAML 1.1 and 1.2 (1_000, 012, 1.5, .5, 1e3, 1.5e-3).
        var i = b.startIndex
        var mantissaDigits = 0
        while i < b.endIndex, isDigit(b[i]) || b[i] == UInt8(ascii: "_") {
            if isDigit(b[i]) { mantissaDigits += 1 }
            i += 1
        }
        var isFloat = false
        if i < b.endIndex, b[i] == UInt8(ascii: ".") {
            isFloat = true
            i += 1
            while i < b.endIndex, isDigit(b[i]) || b[i] == UInt8(ascii: "_") {
                if isDigit(b[i]) { mantissaDigits += 1 }
                i += 1
            }
        }
        guard mantissaDigits > 0 else { return nil }
        if i < b.endIndex, b[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < b.endIndex, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
            let exponentStart = i
            while i < b.endIndex, isDigit(b[i]) { i += 1 }
            guard i > exponentStart else { return nil }
            isFloat = true
        }
        guard i == b.endIndex else { return nil }
        return isFloat ? .float : .int
    }

    private static func sexagesimal(_ b: ArraySlice<UInt8>) -> ResolvedScalarType? {
        let parts = b.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard parts.count >= 2, let head = parts.first, !head.isEmpty,
            head.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: "_") })
        else { return nil }
        var isFloat = false
        for (index, part) in parts.dropFirst().enumerated() {
            var digits = part[...]
            if index == parts.count - 2, let dot = part.firstIndex(of: UInt8(ascii: ".")) {
                digits = part[part.startIndex..<dot]
                guard part[(dot + 1)...].allSatisfy({ isDigit($0) || $0 == UInt8(ascii: "_") }) else { return nil }
                isFloat = true
            }
            guard (1...2).contains(digits.count), digits.allSatisfy(isDigit),
                digits.count == 1 || digits[digits.startIndex] <= UInt8(ascii: "5")
            else { return nil }
        }
        return isFloat ? .float : .int
    }
}
