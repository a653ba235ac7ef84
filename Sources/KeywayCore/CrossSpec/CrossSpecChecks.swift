/// A spec that compiled without error, as the cross-spec checks see it.
public struct CrossSpecEntry: Sendable {
    /// Its position in the input of `Compiler.compile(specs:)`.
    public var index: Int
    /// Its path or display name.
    public var name: String
    /// Its own result; `environment` is never `nil` here.
    public var result: CompileResult
}

/// A problem found across specs: the diagnostic and the spec (by input index) it is reported in.
public struct CrossSpecFinding: Sendable, Equatable {
    /// The input index of the spec the diagnostic is reported in.
    public var spec: Int
    /// The problem, located in that spec.
    public var diagnostic: Diagnostic

    /// Creates a finding reported in the spec at input index `spec`.
    public init(spec: Int, diagnostic: Diagnostic) {
        self.spec = spec
        self.diagnostic = diagnostic
    }
}

/// Where a value is first claimed by a spec: the spec's name and the range in it.
public struct CrossSpecPlace: Sendable, Equatable {
    /// The name (usually the path) of the spec that first claims the value.
    public var spec: String
    /// Where in that spec the value is written.
    public var range: SourceRange
}

/// The checks that need every spec of a run at once.
///
/// Each is one function from the compiled specs to findings; adding a check is adding it to `all`.
public enum CrossSpecChecks {
    /// One check over the specs of a run.
    public typealias Check = @Sendable ([CrossSpecEntry]) -> [CrossSpecFinding]

    /// Every cross-spec check, run in this order.
    public static let all: [Check] = [duplicateEnvironmentNames, vaultNames, kubernetesObjects]

    /// Two specs with the same `metadata.name` would write the same folder: an error at the later one.
    @Sendable public static func duplicateEnvironmentNames(_ specs: [CrossSpecEntry]) -> [CrossSpecFinding] {
        collisions(in: specs) { entry -> [(value: String, range: SourceRange)] in
            guard let name = entry.result.environment?.name, let range = entry.result.nameRange else { return [] }
            return [(name, range)]
        } report: { name, first, range in
            Diagnostic(
                .duplicateEnvironment,
                "environment '\(name)' is also defined in '\(first.spec)'",
                at: range,
                help: "give each spec its own 'metadata.name': it names the output folder",
                notes: [DiagnosticNote("'\(name)' is first defined here", at: first.range, file: first.spec)]
            )
        }
    }

    /// Finds every value claimed by two specs (a folder, a Vault policy or role name, …).
    ///
    /// The first claim wins and each later claim is reported, in the spec that makes it, by `report`
    /// with the value, the first place and the later range. Claims within one spec are that spec's
    /// business.
    public static func collisions<Claim: Hashable>(
        in specs: [CrossSpecEntry],
        claims: (CrossSpecEntry) -> [(value: Claim, range: SourceRange)],
        report: (_ value: Claim, _ first: CrossSpecPlace, _ range: SourceRange) -> Diagnostic
    ) -> [CrossSpecFinding] {
        var first: [Claim: (index: Int, place: CrossSpecPlace)] = [:]
        var findings: [CrossSpecFinding] = []
        for entry in specs {
            for claim in claims(entry) {
                guard let earlier = first[claim.value] else {
                    first[claim.value] = (entry.index, CrossSpecPlace(spec: entry.name, range: claim.range))
                    continue
                }
                if earlier.index == entry.index { continue }
                findings.append(
                    CrossSpecFinding(spec: entry.index, diagnostic: report(claim.value, earlier.place, claim.range)))
            }
        }
        return findings
    }
}
