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
    static func tokens(
        _ text: String, problems: inout [(message: String, range: SourceRange, isError: Bool)]
    ) -> [(token: HCLPolicyReader.Token, range: SourceRange)]? {
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

/// A position in HCL text that counts lines and columns as it moves.
struct HCLCursor {
    let characters: [Character]
    var index = 0
    var location = SourceLocation(line: 1, column: 1)

    func peek(_ offset: Int = 0) -> Character? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    mutating func advance() {
        guard let character = peek() else { return }
        index += 1
        if character == "\n" || character == "\r\n" {
            location = SourceLocation(line: location.line + 1, column: 1)
        } else {
            location.column += character.unicodeScalars.count
        }
    }

    mutating func skipBlockComment() -> Bool {
        advance()
        advance()
        while let character = peek() {
            if character == "*", peek(1) == "/" {
                advance()
                advance()
                return true
            }
            advance()
        }
        return false
    }

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
