/// What `import` takes from shell commands (the guide's, or a bootstrap script).
///
/// Only values the manifests do not hold are taken, and only from the commands' structure: the
/// words of a `vault` command, the JSON a role is written with (parsed), whether a command runs
/// unconditionally. Nothing is taken from comments or from text a user could have written otherwise.
struct ShellFacts {
    /// `vault token create … -period=24h`: the token's period, and where it is written.
    var period: (value: String, file: Int, range: SourceRange)?
    /// `vault write auth/MOUNT/role/NAME …`: the roles, with their fields, in input order.
    var roles: [ShellRole] = []
    /// `-display-name=keyway-NAME` of Keyway's bootstrap script: the environment's name.
    var environmentName: String?
    /// The auth mounts whose config (`vault write auth/MOUNT/config …`) is written on every run,
    /// outside any `if`: Keyway's script does that only for a mount it owns (`ownsMount: true`).
    var ownedMounts: Set<String> = []
    /// The limits of a credential no spec key carries (`-explicit-max-ttl`, `secret_id_num_uses`, …),
    /// each where it is written.
    var droppedLimits: [(message: String, file: Int, range: SourceRange)] = []

    /// The flags of `vault token create` that limit the token and that a spec does not carry.
    static let tokenLimitFlags = ["-explicit-max-ttl", "-use-limit"]
    /// The fields of an auth role that limit its credentials and that a spec does not carry.
    static let roleLimitFields = [
        "token_max_ttl", "token_explicit_max_ttl", "token_num_uses", "token_bound_cidrs", "bound_cidrs",
        "secret_id_num_uses", "secret_id_bound_cidrs",
    ]

    /// Reads the commands of one file, joining lines continued with `\`.
    mutating func read(_ text: String, file: Int) {
        var lineNumber = 0
        var depth = 0
        var pending: [InputShellWord] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.trimmingSuffix { $0 == " " || $0 == "\r" }
            let continued = trimmed.hasSuffix("\\")
            pending += InputShellWord.words(of: continued ? trimmed.dropLast() : trimmed, line: lineNumber)
            if continued { continue }
            command(pending, file: file, conditional: depth > 0)
            depth = max(0, depth + InputShellWord.nesting(pending))
            pending = []
        }
        command(pending, file: file, conditional: depth > 0)
    }

    private mutating func command(_ words: [InputShellWord], file: Int, conditional: Bool) {
        let texts = words.map(\.text)
        // `vault …`, also inside a command substitution: `token=$(vault token create …)`.
        guard let vault = texts.firstIndex(where: { $0 == "vault" || $0.hasSuffix("(vault") }), vault + 2 < texts.count
        else { return }
        let guarded =
            conditional || words[..<vault].contains { InputShellWord.conditions.contains($0.text) && !$0.quoted }
        if texts[vault + 1] == "token", texts[vault + 2] == "create" {
            tokenCreate(Array(words[(vault + 3)...]), file: file)
        }
        guard texts[vault + 1] == "write" else { return }
        for (index, word) in words.enumerated().dropFirst(vault + 2) {
            let parts = word.text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            if parts.count == 3, parts[0] == "auth", parts[2] == "config", !guarded { ownedMounts.insert(parts[1]) }
            // A role, or a userpass user (`auth/MOUNT/users/NAME`), with its JSON.
            guard parts.count == 4, parts[0] == "auth", parts[2] == "role" || parts[2] == "users", !parts[1].isEmpty,
                !parts[3].isEmpty
            else { continue }
            var role = ShellRole(mount: parts[1], name: parts[3])
            if let json = Self.jsonBody(words[..<vault]) { role.read(json: json) }
            role.read(assignments: words[(index + 1)...])
            roles.append(role)
            noteDroppedLimits(of: role, file: file)
            break
        }
    }

    /// The JSON a `printf %s '{…' "${VALUE}" '…}' | vault write … -` writes, as one word: the
    /// quoted parts after the first that opens a JSON object, an expansion (a generated password)
    /// read as the empty string, so the body parses and the values around it are read.
    static func jsonBody(_ words: ArraySlice<InputShellWord>) -> InputShellWord? {
        guard let start = words.firstIndex(where: { $0.quoted && $0.text.hasPrefix("{") }) else { return nil }
        var body = words[start]
        for word in words[(start + 1)...] {
            guard word.quoted else { break }
            body.text += word.text.hasPrefix("$") ? "" : word.text
        }
        return body
    }

    private mutating func tokenCreate(_ words: [InputShellWord], file: Int) {
        for (index, word) in words.enumerated() {
            let (flag, inline) = word.flag
            let value =
                inline
                ?? (index + 1 < words.count && !words[index + 1].text.hasPrefix("-") ? words[index + 1].text : nil)
            guard let value else { continue }
            if flag == "-period", period == nil { period = (value, file, word.range) }
            if flag == "-display-name", environmentName == nil {
                environmentName = SpecDefaults.environment(ofObjectName: value)
            }
            if Self.tokenLimitFlags.contains(flag), !ShellRole.isUnlimited(value) {
                droppedLimits.append(
                    (
                        "'\(flag)=\(value)' of 'vault token create' is not imported: the spec's token has no such limit",
                        file, word.range
                    ))
            }
        }
    }

    private mutating func noteDroppedLimits(of role: ShellRole, file: Int) {
        for (key, value, range) in role.fields where Self.roleLimitFields.contains(key) {
            guard let shown = ShellRole.limitText(value) else { continue }
            droppedLimits.append(
                (
                    "'\(key)' (\(shown)) of role '\(role.name)' on mount '\(role.mount)' is not imported: the spec's role has no such limit",
                    file, range
                ))
        }
    }

    /// A string field of the role `MOUNT/NAME`'s last write, as written.
    func roleValue(mount: String, role: String, _ key: String) -> String? {
        roles.last { $0.mount == mount && $0.name == role }?.value(key)?.text
    }

    /// The policy a role (a userpass user) grants: its `token_policies`, a word or a one-item list.
    func rolePolicy(mount: String, role: String) -> String? {
        let policies = roles.last { $0.mount == mount && $0.name == role }?.value("token_policies")
        if let text = policies?.text { return text.split(separator: ",").first.map(String.init) }
        return policies?.items.first?.text
    }

    /// The one service account a kubernetes role binds (`bound_service_account_names` and
    /// `…_namespaces`, each a one-item list or a word), or `nil`.
    func boundServiceAccount(mount: String, role: String) -> (namespace: String, name: String)? {
        let found = roles.last { $0.mount == mount && $0.name == role }
        let one = { (key: String) -> String? in
            guard let value = found?.value(key) else { return nil }
            if let text = value.text { return text.contains(",") || text.contains("*") ? nil : text }
            let items = value.items.compactMap(\.text)
            return items.count == 1 && items[0] != "*" ? items[0] : nil
        }
        guard let name = one("bound_service_account_names"), let namespace = one("bound_service_account_namespaces")
        else { return nil }
        return (namespace, name)
    }

    /// The issuer a jwt role binds: `bound_claims.iss`, as Keyway writes it (a single-item list too).
    func boundIssuer(mount: String, role: String) -> String? {
        let claim = roles.last { $0.mount == mount && $0.name == role }?.value("bound_claims")?["iss"]
        if let text = claim?.text { return text }
        guard let items = claim?.items, items.count == 1 else { return nil }
        return items[0].text
    }
}

/// One role an input script writes (`vault write auth/MOUNT/role/NAME`), with its fields: the
/// JSON it is written with, parsed (JSON is YAML's flow syntax), and `key=value` words.
struct ShellRole {
    var mount: String
    var name: String
    var fields: [(key: String, value: SpecNode, range: SourceRange)] = []

    /// The last value written for `key`.
    func value(_ key: String) -> SpecNode? { fields.last { $0.key == key }?.value }

    /// Reads the role's JSON (a single-quoted shell word on one line), each field placed in the script.
    mutating func read(json word: InputShellWord) {
        var collector = DiagnosticCollector()
        guard let node = SpecParser.parse(Array(word.text.utf8), limits: ParseLimits(), into: &collector) else {
            return
        }
        for entry in node.entries {
            // The word's text starts one column after its quote; the JSON is one line.
            let column = word.range.start.column + entry.key.range.start.column
            let start = SourceLocation(line: word.range.start.line, column: column)
            fields.append((entry.key.text, entry.value, SourceRange(start: start, end: start)))
        }
    }

    /// Reads `key=value` words (`vault write auth/approle/role/NAME token_ttl=20m …`).
    mutating func read(assignments words: ArraySlice<InputShellWord>) {
        for word in words {
            guard let equals = word.text.firstIndex(of: "="), equals != word.text.startIndex else { continue }
            let value = SpecScalar(
                text: String(word.text[word.text.index(after: equals)...]), style: .quoted, range: word.range)
            fields.append((String(word.text[..<equals]), .scalar(value), word.range))
        }
    }

    /// A limit's value as a message shows it; `nil` when it limits nothing (`0`, empty).
    static func limitText(_ value: SpecNode) -> String? {
        if let text = value.text { return isUnlimited(text) ? nil : "'\(text)'" }
        let items = value.items.compactMap(\.text).filter { !$0.isEmpty }
        return items.isEmpty ? nil : items.map { "'\($0)'" }.joined(separator: ", ")
    }

    /// Whether a limit's text is Vault's "no limit": empty, `0`, `0s`.
    static func isUnlimited(_ text: String) -> Bool {
        text.isEmpty || text.allSatisfy { $0 == "0" || $0 == "s" } && text.first == "0"
    }
}

/// A word of a shell command, without its quotes, with its place.
struct InputShellWord {
    var text: String
    /// Whether any part of it was quoted: then it is never a reserved word or operator.
    var quoted: Bool
    var range: SourceRange

    /// The words that make the next command conditional.
    static let conditions: Set = ["if", "elif", "then", "else", "while", "until", "&&", "||", "do"]
    /// The words after which a new command starts.
    static let commandStarters: Set = [
        ";", "then", "do", "else", "elif", "&&", "||", "|", "!", "{", "if", "while", "until",
    ]

    /// `-flag=value` as (`-flag`, value), `-flag` as (`-flag`, nil).
    var flag: (String, String?) {
        guard let equals = text.firstIndex(of: "=") else { return (text, nil) }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }

    /// The words of one line, split at unquoted blanks; quotes removed (`'…'` literal, `"…"` with `\` escapes).
    static func words(of line: Substring, line number: Int) -> [InputShellWord] {
        var words: [InputShellWord] = []
        var current: InputShellWord?
        var quote: Character?
        var column = 0
        var escaped = false
        for character in line {
            column += character.unicodeScalars.count
            let here = SourceLocation(line: number, column: column)
            if quote == nil, !escaped, character == " " || character == "\t" || character == ";" {
                if let word = current { words.append(word) }
                current = nil
                // `;` ends a command: it is a word of its own.
                if character == ";" {
                    words.append(InputShellWord(text: ";", quoted: false, range: SourceRange(start: here, end: here)))
                }
                continue
            }
            if current == nil {
                current = InputShellWord(text: "", quoted: false, range: SourceRange(start: here, end: here))
            }
            current?.range.end = here
            if escaped {
                escaped = false
                current?.text.append(character)
            } else if character == "\\", quote != "'" {
                escaped = true
            } else if let open = quote, character == open {
                quote = nil
            } else if quote == nil, character == "'" || character == "\"" {
                quote = character
                current?.quoted = true
            } else {
                current?.text.append(character)
            }
        }
        if let word = current { words.append(word) }
        return words
    }

    /// How much deeper a command leaves the script: `if`, `while`, `until`, `for`, `case` open a
    /// compound command, `fi`, `done`, `esac` close one (reserved words only where a command starts).
    static func nesting(_ words: [InputShellWord]) -> Int {
        var depth = 0
        var commandStart = true
        for word in words {
            let text = word.text
            if commandStart, !word.quoted {
                if ["if", "while", "until", "for", "case"].contains(text) { depth += 1 }
                if ["fi", "done", "esac"].contains(text) { depth -= 1 }
            }
            commandStart = !word.quoted && Self.commandStarters.contains(text)
        }
        return depth
    }
}

extension Substring {
    func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}
