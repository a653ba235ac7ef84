/// The entries of one spec mapping, looked up by key, with what the messages call it.
struct Fields {
    /// What the mapping is, for messages: "secret 'api'".
    let context: String
    /// The key naming the mapping, which messages put before each of its keys (`token` for
    /// `'token.period'`); `nil` for an item of a named map (an app, a container, a secret), whose
    /// keys are named alone.
    let path: String?
    /// Where a missing key is reported: the key that names this mapping, or the mapping itself.
    let anchor: SourceRange
    let entries: [SpecEntry]
    /// Where each key sits, only for mappings longer than `scanLimit`: a short one (almost every
    /// mapping of a spec) is searched in place, cheaper than hashing its keys.
    private let index: [String: Int]?

    static let scanLimit = 12

    init(context: String, path: String? = nil, anchor: SourceRange, entries: [SpecEntry]) {
        self.context = context
        self.path = path
        self.anchor = anchor
        self.entries = entries
        guard entries.count > Self.scanLimit else {
            self.index = nil
            return
        }
        var index: [String: Int] = [:]
        index.reserveCapacity(entries.count)
        for (offset, entry) in entries.enumerated() { index[entry.key.text] = offset }
        self.index = index
    }

    private func offset(of key: String) -> Int? {
        if let index { return index[key] }
        return entries.firstIndex { $0.key.text == key }
    }

    subscript(key: String) -> SpecEntry? { offset(of: key).map { entries[$0] } }

    func has(_ key: String) -> Bool { offset(of: key) != nil }
}

/// Typed reads of surface nodes; each problem becomes a located diagnostic and a `nil`.
///
/// `what` (how a message names the value) is an autoclosure: the text is built only when a
/// message is, not for every value read.
struct SpecReader {
    var diagnostics = DiagnosticCollector()

    /// Reports a problem; its code decides whether it is an error or a warning.
    mutating func report(
        _ code: DiagnosticCode, _ message: String, at range: SourceRange, help: @autoclosure () -> String? = nil,
        notes: [DiagnosticNote] = []
    ) {
        diagnostics.report(code, message, at: range, help: help(), notes: notes)
    }

    // The verbs of round two, renamed so that a branch written against them fails to build with a
    // fix-it instead of choosing a severity its code does not have. Remove once round three has merged.
    @available(*, unavailable, renamed: "report", message: "the code decides the severity")
    mutating func error(_: DiagnosticCode, _: String, at _: SourceRange, help _: String? = nil) {}
    @available(*, unavailable, renamed: "report", message: "the code decides the severity")
    mutating func warning(_: DiagnosticCode, _: String, at _: SourceRange, help _: String? = nil) {}

    /// Reads a mapping whose keys are drawn from `allowed`; unknown and missing keys are reported.
    mutating func fields(
        _ node: SpecNode,
        _ context: String,
        path: String? = nil,
        anchor: SourceRange? = nil,
        allowed: [String],
        required: [String] = []
    ) -> Fields? {
        guard case .mapping(let mapping) = node else {
            report(
                .wrongType,
                "expected a mapping for \(context), found \(node.kindDescription)",
                at: node.range,
                help: "write its keys indented below it: \(allowed.prefix(3).map { "'\($0)'" }.joined(separator: ", "))"
            )
            return nil
        }
        let fields = Fields(context: context, path: path, anchor: anchor ?? mapping.range, entries: mapping.entries)
        for entry in mapping.entries where !allowed.contains(entry.key.text) {
            let key = entry.key.text
            report(
                .unknownKey, "unknown key '\(key)' in \(context)", at: entry.key.range,
                help: Syntax.didYouMean(key, among: allowed)
                    ?? "expected one of: " + allowed.map { "'\($0)'" }.joined(separator: ", "))
        }
        for key in required where !fields.has(key) {
            report(
                .missingKey, "missing key '\(key)' in \(context)", at: fields.anchor,
                help: "add '\(key):' to \(context)")
        }
        return fields
    }

    /// A string value; unquoted scalars that YAML reads as another type are refused.
    mutating func string(_ node: SpecNode, _ what: @autoclosure () -> String) -> Located<String>? {
        guard case .scalar(let scalar) = node else {
            report(.wrongType, "expected a string for \(what()), found \(node.kindDescription)", at: node.range)
            return nil
        }
        if scalar.style == .plain {
            let type = YAMLResolver.resolve(plain: scalar.text)
            if type != .string {
                let help =
                    type == .null
                    ? "give it a value"
                    : "YAML reads an unquoted \(scalar.text) as \(type.description); write it quoted: \"\(scalar.text)\""
                report(
                    .wrongType, "expected a string for \(what()), found \(type.description)", at: scalar.range,
                    help: help)
                return nil
            }
        }
        return Located(scalar.text, at: scalar.range)
    }

    /// A string that must be one line of printable text.
    mutating func line(_ node: SpecNode, _ what: @autoclosure () -> String) -> Located<String>? {
        guard let value = string(node, what()) else { return nil }
        return checkLine(value, what())
    }

    /// Checks an already read string as one line of printable text.
    mutating func checkLine(_ value: Located<String>, _ what: @autoclosure () -> String) -> Located<String>? {
        guard !value.value.isEmpty else {
            report(.invalidValue, "\(what()) is empty", at: value.range)
            return nil
        }
        // Printable ASCII, the usual case, needs no look-up of Unicode properties.
        guard Self.isPrintableASCII(value.value) || Syntax.isSingleLinePrintable(value.value) else {
            report(
                .invalidValue, "\(what()) contains control characters or line breaks", at: value.range,
                help: "write it on one line")
            return nil
        }
        return value
    }

    static func isPrintableASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// A string from a fixed set of values.
    mutating func choice<T: RawRepresentable>(_ node: SpecNode, _ what: @autoclosure () -> String, _ cases: [T]) -> T?
    where T.RawValue == String {
        guard let value = string(node, what()) else { return nil }
        if let match = cases.first(where: { $0.rawValue == value.value }) { return match }
        refuseChoice(value, what(), among: cases.map(\.rawValue))
        return nil
    }

    /// A string that is one of `names`.
    mutating func choice(_ node: SpecNode, _ what: @autoclosure () -> String, among names: [String])
        -> Located<String>?
    {
        guard let value = string(node, what()) else { return nil }
        if names.contains(value.value) { return value }
        refuseChoice(value, what(), among: names)
        return nil
    }

    private mutating func refuseChoice(_ value: Located<String>, _ what: String, among names: [String]) {
        report(
            .invalidValue, "invalid \(what) '\(value.value)'", at: value.range,
            help: Syntax.didYouMean(value.value, among: names)
                ?? "expected one of: " + names.map { "'\($0)'" }.joined(separator: ", "))
    }

    /// A whole number within `range`.
    mutating func int(_ node: SpecNode, _ what: @autoclosure () -> String, in bounds: ClosedRange<Int>) -> Int? {
        // Decimal only: YAML 1.1 reads 012 as octal and 1_000 as a thousand, and a spec need not care.
        guard case .scalar(let scalar) = node, scalar.style == .plain, !scalar.text.isEmpty,
            scalar.text.utf8.dropFirst(scalar.text.hasPrefix("-") ? 1 : 0).allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            scalar.text == "0" || !scalar.text.hasPrefix("0"),
            let value = Int(scalar.text)
        else {
            report(
                .wrongType, "expected a whole number for \(what()), found \(node.kindDescription)", at: node.range,
                help: "write it unquoted, e.g. \(bounds.lowerBound)")
            return nil
        }
        guard bounds.contains(value) else {
            report(
                .invalidValue, "\(what()) must be from \(bounds.lowerBound) to \(bounds.upperBound), found \(value)",
                at: node.range)
            return nil
        }
        return value
    }

    /// `true` or `false`.
    mutating func bool(_ node: SpecNode, _ what: @autoclosure () -> String) -> Bool? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, scalar.text == "true" || scalar.text == "false"
        else {
            report(
                .wrongType, "expected true or false for \(what()), found \(node.kindDescription)", at: node.range,
                help: "write true or false, unquoted")
            return nil
        }
        return scalar.text == "true"
    }

    /// A list of strings.
    mutating func strings(_ node: SpecNode, _ what: @autoclosure () -> String) -> [Located<String>]? {
        guard case .sequence(let sequence) = node else {
            report(
                .wrongType, "expected a list of strings for \(what()), found \(node.kindDescription)", at: node.range,
                help: "write it as [\"a\", \"b\"]")
            return nil
        }
        var values: [Located<String>] = []
        var ok = true
        for item in sequence.items {
            if let value = string(item, "an item of \(what())") { values.append(value) } else { ok = false }
        }
        return ok ? values : nil
    }

    /// A Go duration.
    mutating func duration(_ node: SpecNode, _ what: @autoclosure () -> String) -> Located<GoDuration>? {
        guard let text = string(node, what()) else { return nil }
        guard let seconds = Syntax.goDurationSeconds(text.value) else {
            report(
                .invalidDuration,
                "invalid duration '\(text.value)' for \(what())",
                at: text.range,
                help: "write a Go duration: a number and a unit (ns, us, ms, s, m, h), e.g. 90s, 15m, 1h30m"
            )
            return nil
        }
        return Located(GoDuration(text: text.value, seconds: seconds), at: text.range)
    }

    /// A name Kubernetes requires to be a DNS-1123 label (a namespace, an app); not a `Label`.
    mutating func dnsLabel(_ node: SpecNode, _ what: @autoclosure () -> String) -> Located<String>? {
        guard let name = string(node, what()) else { return nil }
        return checkDNSLabel(name, what())
    }

    /// Checks an already read name (a mapping key) as a DNS-1123 label.
    mutating func checkDNSLabel(_ name: Located<String>, _ what: @autoclosure () -> String) -> Located<String>? {
        guard Syntax.isDNSLabel(name.value) else {
            report(
                .invalidKubernetesName,
                "\(what()) '\(name.value)' is not a valid Kubernetes name",
                at: name.range,
                help: "use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit"
            )
            return nil
        }
        return name
    }

    /// A name Kubernetes requires to be a DNS-1123 subdomain.
    mutating func subdomain(_ node: SpecNode, _ what: @autoclosure () -> String) -> Located<String>? {
        guard let name = string(node, what()) else { return nil }
        return checkSubdomain(name, what())
    }

    mutating func checkSubdomain(_ name: Located<String>, _ what: @autoclosure () -> String) -> Located<String>? {
        guard Syntax.isDNSSubdomain(name.value) else {
            report(
                .invalidKubernetesName,
                "\(what()) '\(name.value)' is not a valid Kubernetes name",
                at: name.range,
                help:
                    "use at most 253 lowercase letters, digits, '-' and '.', each part starting and ending with a letter or digit"
            )
            return nil
        }
        return name
    }

    /// A key of a Kubernetes Secret.
    mutating func secretKey(_ node: SpecNode, _ what: @autoclosure () -> String) -> Located<String>? {
        guard let key = string(node, what()) else { return nil }
        return checkSecretKey(key, what())
    }

    /// Checks an already read string as a key of a Kubernetes Secret.
    mutating func checkSecretKey(_ key: Located<String>, _ what: @autoclosure () -> String) -> Located<String>? {
        guard Syntax.isSecretKey(key.value) else {
            report(
                .invalidKubernetesName, "\(what()) '\(key.value)' is not a valid Secret key", at: key.range,
                help: "use letters, digits, '-', '_' and '.'")
            return nil
        }
        return key
    }

    /// A Vault policy, role or auth mount name.
    mutating func vaultName(_ node: SpecNode, _ what: @autoclosure () -> String) -> Located<String>? {
        guard let name = string(node, what()) else { return nil }
        return checkVaultName(name, what())
    }

    /// Checks an already read string as a Vault policy, role or auth mount name.
    mutating func checkVaultName(_ name: Located<String>, _ what: @autoclosure () -> String) -> Located<String>? {
        guard Syntax.isVaultName(name.value) else {
            report(
                .invalidVaultName,
                "\(what()) '\(name.value)' has characters outside the safe set",
                at: name.range,
                help: "use letters, digits, '-', '_' and '.', starting with a letter or digit"
            )
            return nil
        }
        return name
    }

    /// A path inside Vault, relative to a mount (or a mount path itself).
    mutating func vaultPath(_ node: SpecNode, _ what: @autoclosure () -> String) -> Located<String>? {
        guard let path = string(node, what()) else { return nil }
        return checkVaultPath(path, what())
    }

    /// A remote key or `find.path` as ESO accepts it: a Vault path, optionally after one leading
    /// `/` (which ESO's Vault client drops); where ESO then reads it is `ESOVaultPaths`' to say.
    mutating func remoteKey(_ node: SpecNode, _ what: @autoclosure () -> String) -> Located<String>? {
        guard let path = string(node, what()) else { return nil }
        return checkRemoteKey(path, what())
    }

    /// `checkVaultPath` after one leading `/`, kept in the value.
    mutating func checkRemoteKey(_ path: Located<String>, _ what: @autoclosure () -> String) -> Located<String>? {
        checkVaultPath(path, what(), allowingLeadingSlash: true)
    }

    mutating func checkVaultPath(
        _ path: Located<String>, _ what: @autoclosure () -> String, allowingLeadingSlash: Bool = false
    ) -> Located<String>? {
        let checked = allowingLeadingSlash && path.value.hasPrefix("/") ? String(path.value.dropFirst()) : path.value
        if let problem = Syntax.vaultPathProblem(checked) {
            report(
                .invalidVaultPath,
                "invalid Vault path '\(path.value)' for \(what()): \(problem)",
                at: path.range,
                help:
                    "write it relative to the KV mount, e.g. dev/apps/api; segments use letters, digits, '-', '_' and '.'"
            )
            return nil
        }
        return path
    }
}
