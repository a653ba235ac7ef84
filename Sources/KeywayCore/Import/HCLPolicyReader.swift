/// One `path "…" { capabilities = [...] }` block of an input policy, with its places.
struct InputPolicyRule {
    var path: String
    var pathRange: SourceRange
    var capabilities: [String]
    var capabilitiesRange: SourceRange
}

/// A Vault policy file as `import` reads it: its name (the file's, without `.hcl`) and rules.
struct InputPolicy {
    var file: Int
    var name: String
    var rules: [InputPolicyRule]

    /// The policy as Vault evaluates it, `deny` included.
    var acl: VaultACL { VaultACL(rules: rules.map { ($0.path, $0.capabilities) }) }
}

extension ImportContext {
    /// The ACL of a policy's text (no ACL of a policy that does not read).
    static func inputACL(_ text: String) -> VaultACL {
        VaultACL(rules: HCLPolicyReader.read(text).rules.map { ($0.path, $0.capabilities) })
    }
}

/// Reads the HCL1 subset a Vault ACL policy is written in.
///
/// That is `path "…" { capabilities = [...] }` blocks and `#`, `//` and `/* */` comments.
/// Anything else in the file is reported, located.
struct HCLPolicyReader {
    /// A token of HCL1, with its place.
    enum Token: Equatable {
        case word(String)
        case string(String)
        case symbol(Character)
    }

    private var tokens: [(token: Token, range: SourceRange)] = []
    private var position = 0
    private(set) var problems: [(message: String, range: SourceRange, isError: Bool)] = []

    /// A policy's rules and problems.
    typealias Reading = (rules: [InputPolicyRule], problems: [(message: String, range: SourceRange, isError: Bool)])

    /// Reads `text` into its rules and problems; no rules when a problem is an error (text this reader cannot parse).
    static func read(_ text: String) -> Reading {
        var reader = HCLPolicyReader()
        guard let tokens = HCLLexer.tokens(text, problems: &reader.problems) else { return ([], reader.problems) }
        reader.tokens = tokens
        var rules: [InputPolicyRule] = []
        while reader.position < reader.tokens.count, !reader.problems.contains(where: \.isError) {
            if let rule = reader.block() { rules.append(rule) }
        }
        return (reader.problems.contains(where: \.isError) ? [] : rules, reader.problems)
    }

    private var current: (token: Token, range: SourceRange)? { position < tokens.count ? tokens[position] : nil }
    private var endRange: SourceRange { tokens.last?.range ?? .fileStart }

    private mutating func fail(_ message: String) {
        problems.append((message, current?.range ?? endRange, true))
    }

    private mutating func expect(_ symbol: Character) -> Bool {
        guard current?.token == .symbol(symbol) else {
            fail("expected '\(symbol)' in the policy")
            return false
        }
        position += 1
        return true
    }

    /// One top-level block: a `path` rule, or anything else (skipped, reported).
    private mutating func block() -> InputPolicyRule? {
        guard let (token, range) = current, case .word(let keyword) = token else {
            fail("expected a 'path' block")
            return nil
        }
        position += 1
        guard keyword == "path", let (label, labelRange) = current, case .string(let path) = label else {
            problems.append(("'\(keyword)' is not imported: a Keyway policy holds only 'path' rules", range, false))
            skipBlock()
            return nil
        }
        position += 1
        guard expect("{") else { return nil }
        var capabilities: [String] = []
        var capabilitiesRange = labelRange
        while let (token, range) = current, token != .symbol("}") {
            guard case .word(let attribute) = token else {
                fail("expected an attribute such as 'capabilities'")
                return nil
            }
            position += 1
            if current?.token == .symbol("=") { position += 1 }
            if attribute == "capabilities" {
                guard let list = stringList() else {
                    if !problems.contains(where: \.isError) { fail("expected a list of quoted capabilities") }
                    return nil
                }
                capabilities = list.values
                capabilitiesRange = list.range
            } else {
                problems.append(
                    (
                        "'\(attribute)' of path \"\(path)\" is not imported: Keyway writes only capabilities", range,
                        false
                    ))
                skipValue()
            }
        }
        guard expect("}") else { return nil }
        return InputPolicyRule(
            path: path, pathRange: labelRange, capabilities: capabilities, capabilitiesRange: capabilitiesRange)
    }

    private mutating func stringList() -> (values: [String], range: SourceRange)? {
        guard let start = current?.range, current?.token == .symbol("[") else { return nil }
        position += 1
        var values: [String] = []
        while let (token, range) = current {
            position += 1
            switch token {
            case .string(let value): values.append(value)
            case .symbol(","): continue
            case .symbol("]"): return (values, SourceRange(start: start.start, end: range.end))
            case .word, .symbol:
                fail("expected a quoted capability")
                return nil
            }
        }
        fail("unclosed '[' in the policy")
        return nil
    }

    /// Skips a block's labels, then its body or `= value`.
    private mutating func skipBlock() {
        while case .string? = current?.token { position += 1 }
        if current?.token == .symbol("=") { position += 1 }
        skipValue()
    }

    /// Skips one value: a word, a string, or a bracketed list or body with all it nests.
    private mutating func skipValue() {
        guard let (token, _) = current else { return }
        position += 1
        guard token == .symbol("{") || token == .symbol("[") else { return }
        var depth = 1
        while depth > 0, let (token, _) = current {
            position += 1
            if token == .symbol("{") || token == .symbol("[") { depth += 1 }
            if token == .symbol("}") || token == .symbol("]") { depth -= 1 }
        }
    }
}

/// Splits HCL1 text into words, quoted strings and symbols, skipping comments.
enum HCLLexer {
    typealias Problems = [(message: String, range: SourceRange, isError: Bool)]
    typealias Tokens = [(token: HCLPolicyReader.Token, range: SourceRange)]

    /// The tokens of `text`: an ASCII text (nearly every policy) by its bytes
    /// (`HCLByteLexer`), any other by its `Character`s, with the same tokens and problems.
    static func tokens(_ text: String, problems: inout Problems) -> Tokens? {
        let bytes = Array(text.utf8)
        if bytes.allSatisfy({ $0 < 0x80 }) {
            var lexer = HCLByteLexer(bytes: bytes)
            return lexer.tokens(problems: &problems)
        }
        return characterTokens(text, problems: &problems)
    }

    /// The tokens of `text`, read `Character` by `Character`.
    static func characterTokens(_ text: String, problems: inout Problems) -> Tokens? {
        let characters = Array(text)
        var cursor = HCLCursor(characters: characters)
        var tokens: [(token: HCLPolicyReader.Token, range: SourceRange)] = []
        while let character = cursor.peek() {
            let start = cursor.location
            if character.isWhitespace {
                cursor.advance()
            } else if character == "#" || (character == "/" && cursor.peek(1) == "/") {
                while let next = cursor.peek(), next != "\n" { cursor.advance() }
            } else if character == "/" && cursor.peek(1) == "*" {
                guard cursor.skipBlockComment() else {
                    problems.append(("unclosed '/*' comment", SourceRange(start: start, end: start), true))
                    return nil
                }
            } else if character == "\"" {
                guard let value = cursor.quoted() else {
                    problems.append(("unclosed string", SourceRange(start: start, end: cursor.location), true))
                    return nil
                }
                tokens.append((.string(value), SourceRange(start: start, end: cursor.location)))
            } else if "{}[]=,".contains(character) {
                cursor.advance()
                tokens.append((.symbol(character), SourceRange(start: start, end: cursor.location)))
            } else if character.isLetter || character.isNumber || character == "_" || character == "-" {
                var word = ""
                while let next = cursor.peek(),
                    next.isLetter || next.isNumber || next == "_" || next == "-" || next == "."
                {
                    word.append(next)
                    cursor.advance()
                }
                tokens.append((.word(word), SourceRange(start: start, end: cursor.location)))
            } else {
                problems.append(
                    ("unexpected character '\(character)' in the policy", SourceRange(start: start, end: start), true))
                return nil
            }
        }
        return tokens
    }
}

/// What both HCL lexers move through: units (`Character`s, or an ASCII text's bytes) with their places.
protocol HCLUnits {
    /// Whether the unit `offset` units ahead is the ASCII character `ascii`.
    func isAt(_ ascii: Unicode.Scalar, _ offset: Int) -> Bool
    /// Whether no unit is left.
    var atEnd: Bool { get }
    /// Moves past one unit, counting lines and columns.
    mutating func advance()
}

extension HCLUnits {
    /// Skips a `/* … */` comment from its `/`: `false` when it is not closed.
    mutating func skipBlockComment() -> Bool {
        advance()
        advance()
        while !atEnd {
            if isAt("*", 0), isAt("/", 1) {
                advance()
                advance()
                return true
            }
            advance()
        }
        return false
    }
}

/// A position in HCL text that counts lines and columns as it moves.
struct HCLCursor: HCLUnits {
    let characters: [Character]
    var index = 0
    var location = SourceLocation(line: 1, column: 1)

    func peek(_ offset: Int = 0) -> Character? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    var atEnd: Bool { index >= characters.count }

    mutating func advance() {
        guard let character = peek() else { return }
        index += 1
        if character == "\n" || character == "\r\n" {
            location = SourceLocation(line: location.line + 1, column: 1)
        } else {
            location.column += character.unicodeScalars.count
        }
    }

    func isAt(_ ascii: Unicode.Scalar, _ offset: Int) -> Bool { peek(offset) == Character(ascii) }

    /// A double-quoted string with `\"` and `\\` escapes; the cursor ends after the closing quote.
    mutating func quoted() -> String? {
        advance()
        var value = ""
        while let character = peek() {
            advance()
            if character == "\"" { return value }
            if character == "\n" { return nil }
            if character == "\\", let escaped = peek() {
                advance()
                value.append(escaped == "n" ? "\n" : escaped == "t" ? "\t" : escaped)
            } else {
                value.append(character)
            }
        }
        return nil
    }
}

/// The HCL lexer over an ASCII text's bytes, giving what the `Character` lexer gives: one byte is
/// one `Character`, except CR LF, which is one (a line break, as LF is; a CR alone is not).
struct HCLByteLexer: HCLUnits {
    let bytes: [UInt8]
    var index = 0
    var location = SourceLocation(line: 1, column: 1)

    /// The unit `offset` units ahead: a byte, or `crlf`; `nil` past the end.
    func peek(_ offset: Int = 0) -> Int? {
        var at = index
        for _ in 0..<offset {
            guard at < bytes.count else { return nil }
            at += width(at)
        }
        guard at < bytes.count else { return nil }
        return width(at) == 2 ? Self.crlf : Int(bytes[at])
    }

    static let crlf = 0x100

    var atEnd: Bool { index >= bytes.count }

    private func width(_ at: Int) -> Int {
        bytes[at] == 0x0D && at + 1 < bytes.count && bytes[at + 1] == 0x0A ? 2 : 1
    }

    /// The unit of an ASCII character (a `Unicode.Scalar` literal: folded where it is compiled).
    @inline(__always) private static func ascii(_ scalar: Unicode.Scalar) -> Int { Int(scalar.value) }

    /// The unit as the `Character` it stands for.
    private static func character(_ unit: Int) -> Character {
        unit == crlf ? "\r\n" : Character(Unicode.Scalar(UInt8(unit)))
    }

    mutating func advance() {
        guard let unit = peek() else { return }
        index += unit == Self.crlf ? 2 : 1
        if unit == Self.ascii("\n") || unit == Self.crlf {
            location = SourceLocation(line: location.line + 1, column: 1)
        } else {
            location.column += 1
        }
    }

    /// `Character.isWhitespace` of an ASCII unit: tab to carriage return, space, and CR LF.
    private static func isWhitespace(_ unit: Int) -> Bool {
        (0x09...0x0D).contains(unit) || unit == 0x20 || unit == crlf
    }

    private static func isWordStart(_ unit: Int) -> Bool {
        (0x41...0x5A).contains(unit) || (0x61...0x7A).contains(unit) || (0x30...0x39).contains(unit)
            || unit == ascii("_") || unit == ascii("-")
    }

    mutating func tokens(problems: inout HCLLexer.Problems) -> HCLLexer.Tokens? {
        var tokens: HCLLexer.Tokens = []
        while let unit = peek() {
            let start = location
            if Self.isWhitespace(unit) {
                advance()
            } else if unit == Self.ascii("#") || (unit == Self.ascii("/") && peek(1) == Self.ascii("/")) {
                while let next = peek(), next != Self.ascii("\n") { advance() }
            } else if unit == Self.ascii("/") && peek(1) == Self.ascii("*") {
                guard skipBlockComment() else {
                    problems.append(("unclosed '/*' comment", SourceRange(start: start, end: start), true))
                    return nil
                }
            } else if unit == Self.ascii("\"") {
                guard let value = quoted() else {
                    problems.append(("unclosed string", SourceRange(start: start, end: location), true))
                    return nil
                }
                tokens.append((.string(value), SourceRange(start: start, end: location)))
            } else if "{}[]=,".utf8.contains(where: { Int($0) == unit }) {
                advance()
                tokens.append((.symbol(Self.character(unit)), SourceRange(start: start, end: location)))
            } else if Self.isWordStart(unit) {
                let first = index
                while let next = peek(), Self.isWordStart(next) || next == Self.ascii(".") { advance() }
                let word = String(decoding: bytes[first..<index], as: UTF8.self)
                tokens.append((.word(word), SourceRange(start: start, end: location)))
            } else {
                problems.append(
                    (
                        "unexpected character '\(Self.character(unit))' in the policy",
                        SourceRange(start: start, end: start), true
                    ))
                return nil
            }
        }
        return tokens
    }

    func isAt(_ ascii: Unicode.Scalar, _ offset: Int) -> Bool { peek(offset) == Self.ascii(ascii) }

    /// A double-quoted string with `\"` and `\\` escapes; the lexer ends after the closing quote.
    mutating func quoted() -> String? {
        advance()
        var value: [UInt8] = []
        while let unit = peek() {
            advance()
            if unit == Self.ascii("\"") { return String(decoding: value, as: UTF8.self) }
            if unit == Self.ascii("\n") { return nil }
            var appended = unit
            if unit == Self.ascii("\\"), let escaped = peek() {
                advance()
                appended =
                    escaped == Self.ascii("n")
                    ? Self.ascii("\n") : escaped == Self.ascii("t") ? Self.ascii("\t") : escaped
            }
            if appended == Self.crlf {
                value += [0x0D, 0x0A]
            } else {
                value.append(UInt8(appended))
            }
        }
        return nil
    }
}
