/// What `import` takes from shell commands (the guide's, or a bootstrap script).
///
/// Only values the manifests do not hold are taken; nothing else in the file is read.
struct ShellFacts {
    /// `vault token create … -period=24h`: the token's period, and where it is written.
    var period: (value: String, file: Int, range: SourceRange)?
    /// `vault write auth/MOUNT/role/NAME …`: role names by auth mount.
    var roles: [(mount: String, name: String)] = []
    /// `-display-name=keyway-NAME` of Keyway's bootstrap script: the environment's name.
    var environmentName: String?
    /// The JSON a role is written with (`printf %s '{…}' | vault write auth/MOUNT/role/NAME -`), by `MOUNT/NAME`.
    var roleJSON: [String: String] = [:]
    /// Whether Keyway's bootstrap script says the auth mount is Keyway's (`ownsMount: true`): its
    /// own comment is the only place that setting appears outside the spec.
    var ownsMount = false

    /// Reads the commands of one file, joining lines continued with `\`.
    mutating func read(_ text: String, file: Int) {
        var lineNumber = 0
        var pending: [(words: [Substring], line: Int)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.trimmingSuffix { $0 == " " || $0 == "\r" }
            if ScriptMarker.isOwnsMount(trimmed) { ownsMount = true }
            pending.append((trimmed.split(separator: " "), lineNumber))
            if trimmed.hasSuffix("\\") { continue }
            command(pending, file: file)
            pending = []
        }
        command(pending, file: file)
    }

    private mutating func command(_ lines: [(words: [Substring], line: Int)], file: Int) {
        let words = lines.flatMap { line in line.words.map { (word: Self.unquoted($0), line: line.line) } }
        let texts = words.map(\.word)
        // `vault …`, also inside a command substitution: `token=$(vault token create …)`.
        guard let vault = texts.firstIndex(where: { $0 == "vault" || $0.hasSuffix("(vault") }), vault + 2 < texts.count
        else { return }
        if texts[vault + 1] == "token", texts[vault + 2] == "create" {
            for (index, word) in words.enumerated() {
                var value: String?
                if word.word.hasPrefix("-period=") { value = String(word.word.dropFirst("-period=".count)) }
                if word.word == "-period", index + 1 < words.count { value = words[index + 1].word }
                if word.word.hasPrefix("-display-name="), environmentName == nil {
                    environmentName = SpecDefaults.environment(
                        ofObjectName: String(word.word.dropFirst("-display-name=".count)))
                }
                if let value, period == nil {
                    let start = SourceLocation(line: word.line, column: 1)
                    period = (value, file, SourceRange(start: start, end: start))
                }
            }
        }
        if texts[vault + 1] == "write" {
            for word in texts.dropFirst(vault + 2) {
                let parts = word.split(separator: "/").map(String.init)
                guard parts.count == 4, parts[0] == "auth", parts[2] == "role" else { continue }
                roles.append((parts[1], parts[3]))
                let raw = lines.flatMap(\.words).first { $0.hasPrefix("'{") && $0.hasSuffix("}'") }
                if let raw { roleJSON["\(parts[1])/\(parts[3])"] = String(raw.dropFirst().dropLast()) }
            }
        }
    }

    /// The string value of the first `"key":"value"` of a role's JSON (Keyway writes it without spaces).
    func roleValue(mount: String, role: String, _ key: String) -> String? {
        guard let json = roleJSON["\(mount)/\(role)"] else { return nil }
        let marker = Array("\"\(key)\":\"")
        let characters = Array(json)
        guard let start = characters.indices.first(where: { characters[$0...].starts(with: marker) }) else {
            return nil
        }
        return String(characters[(start + marker.count)...].prefix { $0 != "\"" })
    }

    /// A shell word without the quotes around it.
    static func unquoted(_ word: Substring) -> String {
        var text = String(word)
        text.removeAll { $0 == "\"" || $0 == "'" }
        return text
    }
}

extension Substring {
    func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}
