/// The stable code of each kind of diagnostic; `docs/diagnostics.md` documents every one.
public enum DiagnosticCode: String, Sendable, CaseIterable {
    /// The text is not valid YAML.
    case yamlSyntax = "KW001"
    /// A YAML feature a spec has no use for: aliases, anchors, tags, merge keys, complex keys.
    case yamlUnsupported = "KW002"
    /// The spec exceeds a limit: file size, nesting depth, number of apps.
    case limitExceeded = "KW003"
    /// The file is empty, holds several documents, or its top level is not a mapping.
    case documentShape = "KW004"
    /// A key that is not part of the spec language at that place.
    case unknownKey = "KW010"
    /// A required key is missing.
    case missingKey = "KW011"
    /// A value of the wrong type (a list where a string belongs, an unquoted `no`).
    case wrongType = "KW012"
    /// The same key twice in one mapping.
    case duplicateKey = "KW013"
    /// A value outside the allowed set (an enum, a number out of range).
    case invalidValue = "KW014"
    /// Keys that exclude each other, or none of a required choice.
    case conflictingKeys = "KW015"
    /// A name Kubernetes would refuse (DNS-1123 label or subdomain, label syntax).
    case invalidKubernetesName = "KW020"
    /// A Vault path that cannot be a KV path.
    case invalidVaultPath = "KW021"
    /// A duration that is not a Go duration.
    case invalidDuration = "KW022"
    /// A Vault server address that is not an http(s) URL.
    case invalidURL = "KW023"
    /// A Vault policy, role or mount name outside the safe character set.
    case invalidVaultName = "KW024"
    /// A name or mount Vault keeps for itself: the `default` and `root` policies, the `sys`,
    /// `auth`, `identity` and `cubbyhole` mounts, the `token` auth mount.
    case reservedVaultName = "KW025"
    /// An ExternalSecret whose target is the Secret holding its store's own Vault credential.
    case targetIsCredential = "KW026"
    /// Two specs in one call write the same Vault policy or role.
    case vaultNameCollision = "KW027"
    /// A Vault path outside the policy's `prefix`.
    case pathOutsidePrefix = "KW030"
    /// A secret names a container the app does not have.
    case unknownContainer = "KW031"
    /// `expose: env` on a secret without `keys:`.
    case exposeNeedsKeys = "KW032"
    /// A `deletionPolicy` that ESO refuses with the secret's `creationPolicy`.
    case deletionPolicyConflict = "KW033"
    /// Two secrets write the same Kubernetes Secret in one namespace.
    case duplicateTarget = "KW034"
    /// An app's `patch` touches what the compiler owns.
    case patchTouchesOwnedField = "KW035"
    /// A token period too short to be renewed by a CronJob.
    case periodTooShort = "KW036"
    /// Two specs in one call with the same `metadata.name`.
    case duplicateEnvironment = "KW037"
    /// Two environment variables with the same name in one container.
    case duplicateEnvVar = "KW038"
    /// Two volumes mounted at the same path in one container.
    case duplicateMountPath = "KW039"
    /// Warning: policy `scope: prefix` grants more than the apps read.
    case broadPolicy = "KW040"
    /// Warning: token auth needs a renewed long-lived credential.
    case tokenAuth = "KW041"
    /// Warning: `reload: none` on an app that reads secrets.
    case noReload = "KW042"
    /// Warning: a `refreshInterval` under one minute.
    case fastRefresh = "KW043"
    /// Warning: a ClusterSecretStore open to every namespace.
    case storeOpenToAll = "KW044"
    /// Warning: a Reloader name with `.`, which Reloader reads as a regular expression.
    case reloaderRegex = "KW045"
    /// Warning: a Vault server reached over plain `http://`.
    case plainTextServer = "KW046"
    /// Warning: one ClusterSecretStore credential serving several namespaces.
    case sharedStore = "KW047"
    /// Warning: a credential that stays valid for very long (a token period over 768h, a secret-id TTL of 0).
    case longLivedCredential = "KW048"
}
