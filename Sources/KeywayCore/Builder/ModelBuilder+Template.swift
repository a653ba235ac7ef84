/// A secret's `template` (ESO's `target.template`): its type, its Go templates checked against the
/// keys the secret declares, and the keys its type requires.
extension ModelBuilder {
    /// What a template's Go templates may name: the `keys:` names, or `nil` (extract and find:
    /// the fetched keys are not known, only the syntax is checked).
    struct TemplateScope {
        var declared: [String]?
        /// `declared` as a set, built once for every template value checked.
        let declaredSet: Set<String>?
        var context: String

        init(declared: [String]?, context: String) {
            self.declared = declared
            declaredSet = declared.map(Set.init)
            self.context = context
        }
    }

    mutating func secretTemplate(_ entry: SpecEntry, scope: TemplateScope) -> SecretTemplate? {
        let context = "'template' of \(scope.context)"
        guard
            let fields = reader.fields(
                entry.value, context, path: "template", anchor: entry.key.range, keys: SpecKey.Template.self)
        else { return nil }
        var typeEntry: SpecEntry?
        var mergePolicyEntry: SpecEntry?
        var dataEntry: SpecEntry?
        var labelsEntry: SpecEntry?
        var annotationsEntry: SpecEntry?
        for (key, entry) in fields.written {
            switch key {
            case .type: typeEntry = entry
            case .mergePolicy: mergePolicyEntry = entry
            case .data: dataEntry = entry
            case .labels: labelsEntry = entry
            case .annotations: annotationsEntry = entry
            }
        }
        // An invalid type is reported and left out; the rest is still checked against the keys.
        let type = typeEntry.flatMap { secretType($0, of: fields) }
        let mark = reader.errorCount
        let merge =
            mergePolicyEntry.map { reader.choice($0, .mergePolicy, of: fields, as: TemplateMergePolicy.self) }
            ?? .replace
        let data = dataEntry.flatMap { templateEntries($0, what: .data, scope: scope) } ?? []
        let labels = labelsEntry.flatMap { templateEntries($0, what: .labels, scope: scope) } ?? []
        let annotations = annotationsEntry.flatMap { templateEntries($0, what: .annotations, scope: scope) } ?? []
        guard !reader.reportedErrors(since: mark), let merge else { return nil }
        let template = SecretTemplate(
            type: type?.value, mergePolicy: merge, data: data, labels: labels, annotations: annotations)
        if let type, let keys = AppSecret.outputKeys(fetched: scope.declared, template: template) {
            guard checkRequiredKeys(of: type, among: keys) else { return nil }
        }
        return template
    }

    /// Where a template's entries go: each kind has its own rules for keys and values.
    enum TemplatePart: String {
        case data, labels, annotations
    }

    /// The `key: template` entries of a template's data, labels or annotations.
    mutating func templateEntries(_ entry: SpecEntry, what: TemplatePart, scope: TemplateScope) -> [TemplateEntry]? {
        guard case .mapping(let mapping) = entry.value else {
            reader.report(
                .wrongType, "expected a mapping for 'template.\(what.rawValue)', found \(entry.value.kindDescription)",
                at: entry.value.range,
                help: "write each entry as 'KEY: VALUE' below it")
            return nil
        }
        var entries: [TemplateEntry] = []
        let mark = reader.errorCount
        for item in mapping.entries {
            guard templateKey(item.key, what: what),
                let value = reader.string(item.value, "'template.\(what.rawValue).\(item.key.text)'"),
                case .scalar(let scalar) = item.value, checkGoTemplate(scalar, scope: scope),
                templateLabelValue(scalar, what: what)
            else {
                continue
            }
            entries.append(TemplateEntry(key: item.key.text, value: value.value))
        }
        return reader.reportedErrors(since: mark) ? nil : entries
    }

    /// A data key must be a Secret key; a label or annotation key a qualified name.
    mutating func templateKey(_ key: SpecScalar, what: TemplatePart) -> Bool {
        switch what {
        case .data:
            return reader.secretKey(.scalar(key), "template data key") != nil
        case .labels, .annotations:
            guard Syntax.isLabelKey(key.text) else {
                reader.report(
                    .invalidKubernetesName,
                    "\(what == .labels ? "label" : "annotation") key '\(key.text)' is not a valid Kubernetes key",
                    at: key.range,
                    help: "use an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' and '.'")
                return false
            }
            return true
        }
    }

    /// A label value without template actions must be a valid label value as written.
    mutating func templateLabelValue(_ scalar: SpecScalar, what: TemplatePart) -> Bool {
        guard what == .labels, !scalar.text.contains("{{"), !Syntax.isLabelName(scalar.text, allowEmpty: true) else {
            return true
        }
        reader.report(
            .invalidKubernetesName, "label value '\(scalar.text)' is not a valid Kubernetes label value",
            at: scalar.range,
            help: "use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit")
        return false
    }

    /// Checks one Go template: balanced actions, and every key it names declared.
    mutating func checkGoTemplate(_ scalar: SpecScalar, scope: TemplateScope) -> Bool {
        let scan = GoTemplateScan.scan(scalar.text)
        if let problem = scan.problem {
            reader.report(
                .templateSyntax, "invalid template: \(problem.message)",
                at: TextPlacement(scalar).range(offset: problem.offset, length: 2), help: problem.help)
            return false
        }
        // The value's scalars are counted once here, not again for every part placed.
        let placement = TextPlacement(scalar)
        var ok = checkFunctions(scan.functions, at: placement)
        guard let declared = scope.declared else { return ok }
        let keys = scope.declaredSet ?? Set(declared)
        for reference in scan.references where !keys.contains(reference.name) {
            ok = false
            reader.report(
                .templateUnknownKey, "template names key '\(reference.name)', which \(scope.context) does not declare",
                at: placement.range(offset: reference.offset, length: reference.name.unicodeScalars.count),
                help: Self.unknownKeyHelp(reference, declared: declared, keys: keys))
        }
        return ok
    }

    /// The help for a template key no key of the secret is: Go's reading of a dotted name, the
    /// closest key, or the keys (a bounded list).
    static func unknownKeyHelp(_ reference: GoTemplateScan.Reference, declared: [String], keys: Set<String>) -> String {
        if reference.written != reference.name, keys.contains(reference.written) {
            return
                "Go reads '.\(reference.written)' as '.\(reference.name)' and more; write {{ index . \"\(reference.written)\" }}"
        }
        return Syntax.didYouMean(reference.name, among: declared)
            ?? "the secret's keys are: " + Syntax.quotedNames(declared)
    }

    /// Every function a template calls must be one ESO's engine (v2) has, and none of those
    /// that reach the cluster or the controller (`ESOTemplateFunctions`).
    mutating func checkFunctions(_ functions: [GoTemplateScan.Reference], at placement: TextPlacement) -> Bool {
        var ok = true
        for function in functions {
            let range = placement.range(offset: function.offset, length: function.name.unicodeScalars.count)
            if let reason = ESOTemplateFunctions.refusal(function.name) {
                ok = false
                reader.report(
                    .templateRefusedFunction, "template calls '\(function.name)', which Keyway refuses", at: range,
                    help: reason)
            } else if !ESOTemplateFunctions.known.contains(function.name) {
                ok = false
                reader.report(
                    .templateUnknownFunction, "template calls '\(function.name)', which ESO's template engine lacks",
                    at: range,
                    help: Syntax.didYouMean(function.name, among: ESOTemplateFunctions.all)
                        ?? "use a function of ESO's engine v2 (Sprig's, ESO's own, Go's builtins)")
            }
        }
        return ok
    }

    /// The place of a part of a scalar's text: exact when the scalar is one line written without
    /// escapes (its source is its text, quoted or not), else the whole value.
    ///
    /// Whether it is exact is found once per scalar (counting its unicode scalars), so placing
    /// each of a long value's many parts costs nothing more.
    struct TextPlacement {
        /// The scalar's range: where every part is placed when the place is not exact.
        let whole: SourceRange
        /// The column of the text's first character, when parts are placed exactly.
        let firstColumn: Int?

        init(_ scalar: SpecScalar) {
            let quotes = scalar.style == .quoted ? 1 : 0
            let start = scalar.range.start
            let end = scalar.range.end
            whole = scalar.range
            let exact =
                scalar.style != .block && start.line == end.line
                && end.column - start.column == scalar.text.unicodeScalars.count + 2 * quotes
            firstColumn = exact ? start.column + quotes : nil
        }

        /// The range of `length` unicode scalars at `offset` in the text.
        func range(offset: Int, length: Int) -> SourceRange {
            guard let firstColumn else { return whole }
            let column = firstColumn + offset
            return SourceRange(
                start: SourceLocation(line: whole.start.line, column: column),
                end: SourceLocation(line: whole.start.line, column: column + length))
        }
    }
}

/// The Secret types Kubernetes defines, and the keys each requires.
enum BuiltInSecretType: String, CaseIterable {
    case opaque = "Opaque"
    case serviceAccountToken = "kubernetes.io/service-account-token"
    case dockercfg = "kubernetes.io/dockercfg"
    case dockerConfigJSON = "kubernetes.io/dockerconfigjson"
    case basicAuth = "kubernetes.io/basic-auth"
    case sshAuth = "kubernetes.io/ssh-auth"
    case tls = "kubernetes.io/tls"
    case bootstrapToken = "bootstrap.kubernetes.io/token"

    /// The keys a Secret of this type must hold (all of them), or at least one of (`anyOf`).
    var requiredKeys: (all: [String], anyOf: [String]) {
        switch self {
        case .opaque, .serviceAccountToken, .bootstrapToken: ([], [])
        case .dockercfg: ([".dockercfg"], [])
        case .dockerConfigJSON: ([".dockerconfigjson"], [])
        case .basicAuth: ([], ["username", "password"])
        case .sshAuth: (["ssh-privatekey"], [])
        case .tls: (["tls.crt", "tls.key"], [])
        }
    }

    /// Whether ESO refuses to write a Secret of this type (the API server's token controllers own them).
    var refusedByESO: Bool {
        switch self {
        case .serviceAccountToken, .bootstrapToken: true
        case .opaque, .dockercfg, .dockerConfigJSON, .basicAuth, .sshAuth, .tls: false
        }
    }
}

extension ModelBuilder {
    /// A template's `type`: a qualified name; under `kubernetes.io/` only the built-in types.
    ///
    /// `nil` when invalid (reported).
    mutating func secretType(_ entry: SpecEntry, of fields: KeyedFields<SpecKey.Template>) -> Located<String>? {
        guard let type = reader.text(entry, .type, of: fields) else { return nil }
        let builtIn = BuiltInSecretType(rawValue: type.value)
        let reserved = type.value.hasPrefix("kubernetes.io/") || type.value.hasPrefix("bootstrap.kubernetes.io/")
        if !Syntax.isLabelKey(type.value) || (reserved && builtIn == nil) {
            let names = BuiltInSecretType.allCases.filter { !$0.refusedByESO }.map(\.rawValue)
            reader.report(
                .invalidValue, "invalid Secret type '\(type.value)'", at: type.range,
                help: Syntax.didYouMean(type.value, among: names)
                    ?? "write a built-in type (\(names.map { "'\($0)'" }.joined(separator: ", "))) or your own as 'example.com/NAME'"
            )
            return nil
        }
        if let builtIn, builtIn.refusedByESO {
            reader.report(
                .invalidValue, "ESO does not write Secrets of type '\(type.value)'", at: type.range,
                help: "Kubernetes issues these tokens itself; use a service account token projection instead")
            return nil
        }
        return type
    }

    /// The keys the template's type requires must be among the Secret's keys.
    mutating func checkRequiredKeys(of type: Located<String>, among keys: [String]) -> Bool {
        guard let builtIn = BuiltInSecretType(rawValue: type.value) else { return true }
        let required = builtIn.requiredKeys
        let missing = required.all.filter { !keys.contains($0) }
        let noneOf = !required.anyOf.isEmpty && !required.anyOf.contains(where: keys.contains)
        guard !missing.isEmpty || noneOf else { return true }
        let names = (noneOf ? required.anyOf : missing).map { "'\($0)'" }.joined(separator: noneOf ? " or " : " and ")
        reader.report(
            .secretTypeMissingKey,
            "a Secret of type '\(type.value)' needs the key\(missing.count > 1 ? "s" : "") \(names)", at: type.range,
            help:
                "add \(names) under 'template.data' (e.g. '\((noneOf ? required.anyOf : missing)[0]): \"{{ .NAME }}\"')"
        )
        return false
    }
}
