/// The syntax rules for every name and value that leaves the compiler: what the API server,
/// Vault and ESO would refuse is refused here first, with its place.
enum Syntax {
    private static func isLowerAlnum(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) }
    private static func isAlnum(_ c: UInt8) -> Bool { isLowerAlnum(c) || (c >= 0x41 && c <= 0x5A) }

    /// A DNS-1123 label: lowercase letters, digits and `-`, starting and ending alphanumeric, at most 63.
    static func isDNSLabel(_ s: String) -> Bool {
        let b = s.utf8
        guard let first = b.first, let last = b.last, b.count <= 63 else { return false }
        return isLowerAlnum(first) && isLowerAlnum(last) && b.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    /// A DNS-1123 subdomain: DNS labels joined by `.`, at most 253.
    static func isDNSSubdomain(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 253 else { return false }
        // Each label, byte by byte: 1 to 63 of `a-z0-9-`, starting and ending alphanumeric.
        var length = 0
        var previous: UInt8 = 0
        for byte in s.utf8 {
            if byte == UInt8(ascii: ".") {
                guard length > 0, isLowerAlnum(previous) else { return false }
                length = 0
            } else {
                guard isLowerAlnum(byte) || (length > 0 && byte == UInt8(ascii: "-")) else { return false }
                length += 1
                guard length <= 63 else { return false }
            }
            previous = byte
        }
        return length > 0 && isLowerAlnum(previous)
    }

    /// A key of a Secret or ConfigMap: letters, digits, `-`, `_`, `.`, at most 253.
    static func isSecretKey(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 253 && s != "." && s != ".."
            && s.utf8.allSatisfy {
                isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            }
    }

    /// An environment variable name as Kubernetes accepts it.
    static func isEnvVarName(_ s: String) -> Bool {
        guard let first = s.utf8.first, !isDigit(first) else { return false }
        return isSecretKey(s)
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// The name part of a label key, or a label value: at most 63 of letters, digits, `-_.`,
    /// starting and ending alphanumeric.
    static func isLabelName(_ s: String, allowEmpty: Bool) -> Bool {
        let b = Array(s.utf8)
        guard let first = b.first, let last = b.last else { return allowEmpty }
        return b.count <= 63 && isAlnum(first) && isAlnum(last)
            && b.allSatisfy {
                isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            }
    }

    /// A label or annotation key: an optional DNS subdomain prefix and `/`, then a name.
    static func isLabelKey(_ s: String) -> Bool {
        let parts = s.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2 {
            return isDNSSubdomain(String(parts[0])) && isLabelName(String(parts[1]), allowEmpty: false)
        }
        return isLabelName(s, allowEmpty: false)
    }

    /// A Vault name (policy, role): letters, digits, `-`, `_`, `.`, starting with a letter or digit
    /// (a leading `-` would reach the vault CLI as an option).
    static func isVaultName(_ s: String) -> Bool {
        guard let first = s.utf8.first, isAlnum(first), s.utf8.count <= 128 else { return false }
        return s.utf8.allSatisfy {
            isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
        }
    }

    /// Why a Vault path (relative to a mount, or a mount path) is refused, or `nil` when it is fine.
    ///
    /// Each `/`-separated segment is a Vault name; no empty segments, no `.` or `..`, no leading
    /// or trailing `/`. Glob characters (`*`, `+`), quotes and control characters are outside the set,
    /// so a path cannot change the meaning of the policy or script it is written into.
    static func vaultPathProblem(_ s: String) -> String? {
        if isPlainVaultPath(s) { return nil }
        if s.isEmpty { return "the path is empty" }
        if s.hasPrefix("/") { return "the path starts with '/'" }
        if s.hasSuffix("/") { return "the path ends with '/'" }
        if s.utf8.count > 512 { return "the path is longer than 512 bytes" }
        for segment in s.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty { return "the path has an empty segment ('//')" }
            if segment == "." || segment == ".." { return "the path has a '\(segment)' segment" }
            if let bad = segment.unicodeScalars.first(where: { scalar in
                !(scalar.isASCII && (isAlnum(UInt8(scalar.value)) || "-_.".unicodeScalars.contains(scalar)))
            }) {
                return "the path contains \(describe(bad))"
            }
        }
        return nil
    }

    /// Whether a path passes every check of `vaultPathProblem`, the common case.
    ///
    /// One pass over its bytes, nothing allocated. When not, `vaultPathProblem` finds the problem.
    private static func isPlainVaultPath(_ s: String) -> Bool {
        guard s.utf8.count <= 512 else { return false }
        var length = 0
        var onlyDots = true
        for byte in s.utf8 {
            if byte == UInt8(ascii: "/") {
                guard length > 0, !(onlyDots && length <= 2) else { return false }
                length = 0
                onlyDots = true
            } else {
                guard
                    isAlnum(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
                else { return false }
                length += 1
                onlyDots = onlyDots && byte == UInt8(ascii: ".")
            }
        }
        return length > 0 && !(onlyDots && length <= 2)
    }

    /// A character for a message: printable ones quoted, others by code point.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        if scalar.properties.generalCategory == .control || scalar == " " || scalar.value > 0x7E {
            return "U+" + String(scalar.value, radix: 16, uppercase: true).zeroPadded(to: 4)
        }
        return "'\(scalar)'"
    }

    /// A Go duration (`300ms`, `1.5h`, `2h45m`) in seconds, or `nil` when Go's time.ParseDuration refuses it.
    ///
    /// Negative durations are refused too: none is meaningful in a spec.
    static func goDurationSeconds(_ s: String) -> Double? {
        if s == "0" { return 0 }
        var scalars = Array(s.unicodeScalars)[...]
        if scalars.first == "+" { scalars = scalars.dropFirst() }
        guard !scalars.isEmpty else { return nil }
        var total = 0.0
        while !scalars.isEmpty {
            var number = ""
            while let c = scalars.first, ("0"..."9").contains(c) || c == "." {
                number.unicodeScalars.append(c)
                scalars = scalars.dropFirst()
            }
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1, let value = Double(number)
            else { return nil }
            var unit = ""
            while let c = scalars.first, !("0"..."9").contains(c), c != "." {
                unit.unicodeScalars.append(c)
                scalars = scalars.dropFirst()
            }
            let factor: Double
            switch unit {
            case "ns": factor = 1e-9
            case "us", "µs", "μs": factor = 1e-6
            case "ms": factor = 1e-3
            case "s": factor = 1
            case "m": factor = 60
            case "h": factor = 3600
            default: return nil
            }
            total += value * factor
        }
        return total
    }

    /// Why a Vault server address is refused, or `nil`: an http(s) URL with a host, no credentials,
    /// query or fragment.
    static func serverURLProblem(_ s: String) -> String? {
        let lower = s.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            rest = s.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            rest = s.dropFirst(7)
        } else {
            return "the address must start with 'https://' or 'http://'"
        }
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        if authority.isEmpty { return "the address has no host" }
        if authority.contains("@") { return "the address must not carry credentials" }
        var host = Substring(authority)
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            let port = authority[authority.index(after: colon)...]
            guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCII), port.allSatisfy(\.isNumber),
                let number = Int(port), (1...65535).contains(number)
            else { return "the port is not a number from 1 to 65535" }
            host = authority[..<colon]
        }
        let hostOK: Bool
        if host.hasPrefix("[") && host.hasSuffix("]") {
            hostOK = host.dropFirst().dropLast().allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        } else {
            hostOK =
                !host.isEmpty
                && host.unicodeScalars.allSatisfy { $0.isASCII && (isAlnum(UInt8($0.value)) || $0 == "-" || $0 == ".") }
        }
        if !hostOK { return "the host '\(host)' is not a DNS name or IP address" }
        if path.contains(where: { $0 == "?" || $0 == "#" }) { return "the address must not have a query or fragment" }
        if path.unicodeScalars.contains(where: {
            !$0.isASCII || $0.value <= 0x20 || "\"'`\\<>{}|^$".unicodeScalars.contains($0)
        }) {
            return "the address's path has characters a URL does not allow"
        }
        return nil
    }

    /// One spelling for every address that names the same Vault server, for comparing servers.
    ///
    /// The scheme and host in lower case, the host's trailing dots dropped, the port as a number and
    /// left out when it is the scheme's default (443, 80; `:0443` is 443), the path's trailing `/`
    /// dropped. `s` is an address `serverURLProblem` accepts; anything else is compared as written.
    static func serverIdentity(_ s: String) -> String {
        guard serverURLProblem(s) == nil else { return s }
        let secure = s.lowercased().hasPrefix("https://")
        let rest = s.dropFirst(secure ? 8 : 7)
        let authority = rest.prefix { $0 != "/" }
        var path = rest.dropFirst(authority.count)
        while path.hasSuffix("/") { path = path.dropLast() }
        var host = authority.lowercased()
        var port = secure ? 443 : 80
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") {
            port = Int(host[host.index(after: colon)...]) ?? port
            host = String(host[..<colon])
        }
        while host.hasSuffix(".") && host.count > 1 { host.removeLast() }
        let shownPort = port == (secure ? 443 : 80) ? "" : ":\(port)"
        return (secure ? "https://" : "http://") + host + shownPort + path
    }

    /// Whether text contains a whitespace character (`Character.isWhitespace`).
    ///
    /// ASCII text, nearly every value, is scanned as bytes: there the whitespace characters are
    /// exactly tab to carriage return and space. Other text is read character by character.
    static func containsWhitespace(_ s: String) -> Bool {
        guard isASCII(s) else { return s.contains(where: \.isWhitespace) }
        return s.utf8.contains { $0 == 0x20 || (0x09...0x0D).contains($0) }
    }

    /// Whether text is ASCII, where each byte is a character (but for `\r\n`, one character).
    static func isASCII(_ s: String) -> Bool { s.utf8.allSatisfy { $0 < 0x80 } }

    /// The first place of an ASCII character other than `\r` and `\n`: found among the bytes of
    /// ASCII text, nearly every value, and among the characters of other text.
    static func firstIndex(ofASCII byte: UInt8, in s: String) -> String.Index? {
        isASCII(s) ? s.utf8.firstIndex(of: byte) : s.firstIndex(of: Character(Unicode.Scalar(byte)))
    }

    /// Whether text has no control characters (tabs and newlines included) and no line separators.
    ///
    /// Printable ASCII, nearly every value, is accepted from its bytes.
    static func isSingleLinePrintable(_ s: String) -> Bool {
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return true }
        return s.unicodeScalars.allSatisfy { scalar in
            scalar.properties.generalCategory != .control && scalar != "\u{2028}" && scalar != "\u{2029}"
                && scalar != "\u{FEFF}"
        }
    }

    /// The longest word a suggestion is looked for, in Unicode scalars.
    static let suggestionWordLength = 64
    /// The most candidates one suggestion compares the word with.
    static let suggestionCandidates = 1000
    /// The most names a help line lists; the rest are counted.
    static let listedNames = 10

    /// `did you mean 'NAME'?` for a misspelt word: the one helper every "did you mean" uses.
    ///
    /// The closest candidate within a few edits (a third of the word's length, 1 to 3), the first
    /// of equals; `nil` when none is that close. The work is bounded whatever the input: no
    /// suggestion for a word over `suggestionWordLength` scalars, only candidates whose length is
    /// within the allowed edits are compared, at most `suggestionCandidates` of them, and each
    /// comparison stops as soon as it cannot be close enough.
    static func didYouMean(_ word: String, among candidates: some Sequence<String>) -> String? {
        suggestion(for: word, among: candidates).map { "did you mean '\($0)'?" }
    }

    /// The candidate `didYouMean` names.
    static func suggestion(for word: String, among candidates: some Sequence<String>) -> String? {
        guard word.utf8.count <= 4 * suggestionWordLength else { return nil }
        let target = Array(word.lowercased().unicodeScalars)
        guard !target.isEmpty, target.count <= suggestionWordLength else { return nil }
        let limit = max(1, min(3, target.count / 3))
        var best: (name: String, distance: Int)?
        var compared = 0
        for candidate in candidates where candidate.utf8.count <= 4 * (target.count + limit) {
            let scalars = Array(candidate.lowercased().unicodeScalars)
            guard abs(scalars.count - target.count) <= limit else { continue }
            compared += 1
            if compared > suggestionCandidates { break }
            let bound = min(limit, (best?.distance ?? limit + 1) - 1)
            if let distance = editDistance(target, scalars, atMost: bound) { best = (candidate, distance) }
            if best?.distance == 0 { break }
        }
        return best?.name
    }

    /// The edit distance of two short words, or `nil` as soon as it must exceed `bound`.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], atMost bound: Int) -> Int? {
        guard bound >= 0, abs(a.count - b.count) <= bound else { return nil }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            // Every later row is at least this row's minimum.
            if current.allSatisfy({ $0 > bound }) { return nil }
            swap(&previous, &current)
        }
        return previous[b.count] <= bound ? previous[b.count] : nil
    }

    /// Names for a help line, each quoted: at most `listedNames`, then how many more there are.
    static func quotedNames(_ names: some Collection<String>) -> String {
        let shown = names.prefix(listedNames).map { "'\($0)'" }.joined(separator: ", ")
        return names.count > listedNames ? "\(shown) and \(names.count - listedNames) more" : shown
    }
}

extension String {
    /// The string with `0`s in front up to `width` characters: hex digits of an escape.
    func zeroPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
