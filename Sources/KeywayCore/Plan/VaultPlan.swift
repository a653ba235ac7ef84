/// What the bootstrap script would change in a live Vault.
///
/// Computed from what plan read (values in) and the environment's `VaultSetup` (values out). No
/// I/O: the CLI reads Vault.
public struct VaultPlan: Sendable, Equatable {
    /// `metadata.name`.
    public var environment: String
    /// What would be created or updated, in the order the script writes it.
    public var changes: [PlanChange]
    /// What plan can say about each stored or bound credential (never a value); not a change.
    public var credentials: [PlanCredential]
}

/// One object the script would create or update.
public struct PlanChange: Sendable, Equatable {
    /// Whether the object is missing or differs.
    public enum Action: String, Sendable, Equatable {
        case create
        case update
    }

    /// The kind of Vault object, as the JSON output names it.
    public enum Kind: String, Sendable, Equatable {
        case policy
        case kvMount = "kv-mount"
        case authMount = "auth-mount"
        case role
        case user
    }

    /// `create` or `update`.
    public var action: Action
    /// What kind of object.
    public var kind: Kind
    /// Its Vault API path.
    public var path: String
    /// Each field that changes; for a policy, each rule path whose capabilities change.
    public var fields: [PlanField]
    /// What a reader must know beside the fields (a policy that narrows, a mount the script leaves alone).
    public var notes: [String] = []
}

/// One field's live value and the value the script writes; `nil` where there is none.
public struct PlanField: Sendable, Equatable {
    /// The field's name (for a policy, the rule's path).
    public var name: String
    /// The live value; `nil` when absent.
    public var from: ManifestValue?
    /// The value the script writes; `nil` when the script removes it (a policy rule).
    public var to: ManifestValue?
}

/// What Vault says about a credential: whether the object it logs in through exists.
public struct PlanCredential: Sendable, Equatable {
    /// The Vault API path plan looked at.
    public var path: String
    /// Whether Vault holds it; `nil` when Vault cannot tell.
    public var present: Bool?
    /// One sentence for a person.
    public var note: String
}

/// The values plan read from Vault: each read path's `data`, absent when Vault has nothing there.
public struct LiveVault: Sendable, Equatable {
    /// The `data` of each path that exists.
    public var data: [String: ManifestMap]
    /// The operator's settings for an auth mount's config (`KUBERNETES_HOST`, …), by config field:
    /// the values the script would write from the same environment; absent when not set.
    public var operatorConfig: ManifestMap

    /// Creates the live state from what was read.
    public init(data: [String: ManifestMap], operatorConfig: ManifestMap = [:]) {
        self.data = data
        self.operatorConfig = operatorConfig
    }
}

extension VaultPlan {
    /// Compares what the script writes for `compiled` with `live`.
    public init(_ compiled: CompiledEnvironment, live: LiveVault) {
        let setup = compiled.vault
        var changes: [PlanChange] = []
        var credentials: [PlanCredential] = []
        changes += compiled.model.vault.mounts.compactMap { PlanComparison.kvMount($0, live: live) }
        if let mount = setup.authMount { changes += PlanComparison.authMount(mount, live: live) }
        for grant in setup.grants {
            if let change = PlanComparison.policy(grant.policy, live: live) { changes.append(change) }
            let role = grant.credential.roleWrite(policy: grant.policy.name)
            var kind = PlanChange.Kind.role
            if case .userPass = grant.credential { kind = .user }
            for write in (role.map { [$0] } ?? []) + grant.credential.settingWrites {
                if let change = PlanComparison.write(write, kind: kind, live: live) { changes.append(change) }
            }
            credentials.append(PlanComparison.credential(grant.credential, role: role, live: live))
        }
        self.init(environment: compiled.name, changes: changes, credentials: credentials)
    }
}

extension LiveVault {
    /// The `data` of a Vault API response body (JSON, read with the spec's YAML parser, which reads
    /// JSON); `nil` when the body is not a JSON object with a `data` object.
    public static func responseData(_ body: [UInt8]) -> ManifestMap? {
        var diagnostics = DiagnosticCollector()
        guard let root = SpecParser.parse(body, limits: ParseLimits(), into: &diagnostics),
            case .map(let response)? = root.manifestValue, case .map(let data)? = response["data"]
        else { return nil }
        return data
    }
}

extension LiveVault {
    /// The `errors` of a Vault error response, for a message; empty when there are none.
    public static func responseErrors(_ body: [UInt8]) -> [String] {
        var diagnostics = DiagnosticCollector()
        guard let root = SpecParser.parse(body, limits: ParseLimits(), into: &diagnostics),
            case .map(let response)? = root.manifestValue, case .list(let errors)? = response["errors"]
        else { return [] }
        return errors.compactMap { if case .string(let text) = $0 { text } else { nil } }
    }
}
