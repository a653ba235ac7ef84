/// The stable code of each kind of diagnostic.
///
/// A code names one kind of problem, never two unrelated ones, and is never reused;
/// `docs/diagnostics.md` documents every one (a test checks that each code's row there starts
/// with its `title`).
public enum DiagnosticCode: String, Sendable, CaseIterable {
    case yamlSyntax = "KW001"
    case yamlUnsupported = "KW002"
    case limitExceeded = "KW003"
    case documentShape = "KW004"
    case diagnosticsOmitted = "KW005"
    case unknownKey = "KW010"
    case missingKey = "KW011"
    case wrongType = "KW012"
    case duplicateKey = "KW013"
    case invalidValue = "KW014"
    case conflictingKeys = "KW015"
    case containerPatchNeedsName = "KW016"
    case invalidKubernetesName = "KW020"
    case invalidVaultPath = "KW021"
    case invalidDuration = "KW022"
    case invalidURL = "KW023"
    case invalidVaultName = "KW024"
    case reservedVaultName = "KW025"
    case targetIsCredential = "KW026"
    case vaultNameCollision = "KW027"
    case pathOutsidePrefix = "KW030"
    case unknownContainer = "KW031"
    case exposeNeedsKeys = "KW032"
    case deletionPolicyConflict = "KW033"
    case duplicateTarget = "KW034"
    case patchTouchesOwnedField = "KW035"
    case periodTooShort = "KW036"
    case duplicateEnvironment = "KW037"
    case duplicateEnvVar = "KW038"
    case duplicateMountPath = "KW039"
    case broadPolicy = "KW040"
    case tokenAuth = "KW041"
    case noReload = "KW042"
    case fastRefresh = "KW043"
    case storeOpenToAll = "KW044"
    case reloaderRegex = "KW045"
    case plainTextServer = "KW046"
    case sharedStore = "KW047"
    case longLivedCredential = "KW048"
    case duplicateExternalSecret = "KW050"
    case settingOfAnotherKind = "KW060"
    case ownedWorkloadKey = "KW061"
    case useUnknownSecret = "KW062"
    case useOtherNamespace = "KW063"
    case patchUnknownField = "KW064"
    case patchNameCollision = "KW065"
    case reloadOptionConflict = "KW066"
    case exposeNeedsContainers = "KW067"
    case pullSecretType = "KW068"
    case templateUnknownKey = "KW080"
    case templateSyntax = "KW081"
    case secretTypeMissingKey = "KW082"
    case needsKVv2 = "KW083"
    case findWholeMount = "KW084"
    case invalidCABundle = "KW090"
    case invalidVaultNamespace = "KW091"
    case caOverPlainHTTP = "KW092"
    case secretsOnlyKey = "KW180"
    case envKeyUnknown = "KW181"
    case hardeningNone = "KW182"
    case selectorLabelConflict = "KW183"
    case importUnsupportedKind = "KW110"
    case importUnsupportedWorkload = "KW111"
    case importFieldDropped = "KW112"
    case importFieldChanged = "KW113"
    case importObjectDropped = "KW114"
    case importReloadChanged = "KW115"
    case importValueAssumed = "KW116"
    case importPolicyChanged = "KW117"
    case importNotAnObject = "KW120"
    case importPolicySyntax = "KW121"
    case importIncomplete = "KW122"
    case importSpecRefused = "KW123"
    case importLimitDropped = "KW170"
    case importPolicyWidened = "KW171"
    case containerPatchedTwice = "KW172"
    case remoteKeyForm = "KW150"
    case mountNamedFolder = "KW151"
    case metadataKeyElsewhere = "KW152"
    case findReadsElsewhere = "KW153"
    case templateUnknownFunction = "KW154"
    case templateRefusedFunction = "KW155"
    case importFileSkipped = "KW130"
    case importMeaningChanged = "KW131"
    case importAuthUnsupported = "KW132"
    case importDuplicateObject = "KW133"
    case importScopeNarrowed = "KW134"
    case importNotHardened = "KW135"
    case importOwnedElsewhere = "KW136"
    case reloadPlaceUnseen = "KW138"
    case objectCollision = "KW160"
    case patchRelaxesHardening = "KW161"
    case patchAddsContainerEverywhere = "KW162"
    case clientReviewerForTenants = "KW163"
    case defaultJWTIssuer = "KW164"
    case operatorAccountNamespaced = "KW190"
    case operatorAccountShared = "KW191"
    case storeConditions = "KW192"
    case namespaceNameUnused = "KW193"
    case namespaceNameCollision = "KW194"
    case unknownMount = "KW195"
    case mountStore = "KW196"
    case planPolicyName = "KW200"

    /// The severity every diagnostic with this code has.
    public var severity: Severity {
        switch self {
        case .diagnosticsOmitted: .note
        case .broadPolicy, .tokenAuth, .noReload, .fastRefresh, .storeOpenToAll, .reloaderRegex, .plainTextServer,
            .sharedStore, .longLivedCredential,
            .findWholeMount, .caOverPlainHTTP, .hardeningNone,
            .importUnsupportedKind, .importUnsupportedWorkload, .importFieldDropped, .importFieldChanged,
            .importObjectDropped, .importReloadChanged,
            .importValueAssumed, .importPolicyChanged, .importLimitDropped, .importFileSkipped, .importScopeNarrowed,
            .importNotHardened, .importOwnedElsewhere, .reloadPlaceUnseen,
            .patchRelaxesHardening, .patchAddsContainerEverywhere, .clientReviewerForTenants, .defaultJWTIssuer,
            .operatorAccountShared, .storeConditions, .remoteKeyForm, .mountNamedFolder:
            .warning
        case .yamlSyntax, .yamlUnsupported, .limitExceeded, .documentShape, .unknownKey, .missingKey, .wrongType,
            .duplicateKey, .invalidValue,
            .conflictingKeys, .containerPatchNeedsName, .invalidKubernetesName, .invalidVaultPath, .invalidDuration,
            .invalidURL, .invalidVaultName,
            .reservedVaultName, .targetIsCredential, .vaultNameCollision,
            .pathOutsidePrefix, .unknownContainer, .exposeNeedsKeys, .deletionPolicyConflict, .duplicateTarget,
            .patchTouchesOwnedField, .periodTooShort,
            .duplicateEnvironment, .duplicateEnvVar, .duplicateMountPath, .duplicateExternalSecret, .templateUnknownKey,
            .templateSyntax,
            .secretTypeMissingKey, .needsKVv2,
            .invalidCABundle, .invalidVaultNamespace,
            .settingOfAnotherKind, .ownedWorkloadKey,
            .useUnknownSecret, .useOtherNamespace, .patchUnknownField, .patchNameCollision, .reloadOptionConflict,
            .exposeNeedsContainers,
            .pullSecretType, .secretsOnlyKey, .envKeyUnknown, .selectorLabelConflict,
            .containerPatchedTwice,
            .importNotAnObject, .importPolicySyntax, .importIncomplete, .importSpecRefused, .importPolicyWidened,
            .importMeaningChanged, .importAuthUnsupported, .importDuplicateObject,
            .operatorAccountNamespaced, .namespaceNameUnused, .namespaceNameCollision, .unknownMount, .mountStore,
            .objectCollision, .planPolicyName, .metadataKeyElsewhere, .findReadsElsewhere, .templateUnknownFunction,
            .templateRefusedFunction:
            .error
        }
    }

    /// What the code names, in one sentence: the row of `docs/diagnostics.md` and of `--explain`-like
    /// tools; each message with this code is one instance of it.
    public var title: String {
        switch self {
        case .yamlSyntax: "The text is not valid YAML."
        case .yamlUnsupported: "A YAML feature a spec has no use for: aliases, anchors, tags, merge keys, complex keys."
        case .limitExceeded:
            "The spec exceeds a limit: file size, nesting depth, number of apps, entries the secrets add to containers."
        case .documentShape: "The file is empty, holds several documents, or its top level is not a mapping."
        case .diagnosticsOmitted:
            "More than 100 errors or 100 warnings: the first 100 of each are shown, the rest counted in this note."
        case .unknownKey: "A key that is not part of the spec language at that place."
        case .missingKey: "A required key is missing."
        case .wrongType: "A value of the wrong type (a list where a string belongs, an unquoted `no`)."
        case .duplicateKey: "The same key twice in one mapping."
        case .invalidValue: "A value outside the allowed set (an enum, a number out of range)."
        case .conflictingKeys: "Keys that exclude each other, or none of a required choice."
        case .containerPatchNeedsName:
            "A container in an app's `patch` without the `name` of a container the app declares."
        case .invalidKubernetesName: "A name Kubernetes would refuse (DNS-1123 label or subdomain, label syntax)."
        case .invalidVaultPath: "A Vault path that cannot be a KV path."
        case .invalidDuration: "A duration that is not a Go duration."
        case .invalidURL: "A Vault server address that is not an http(s) URL."
        case .invalidVaultName: "A Vault policy, role or mount name outside the safe character set."
        case .reservedVaultName:
            "A name or mount Vault keeps for itself: the `default` and `root` policies, the `sys`, `auth`, `identity` and `cubbyhole` mounts, the `token` auth mount."
        case .targetIsCredential:
            "An ExternalSecret whose target is the Secret holding its store's own Vault credential."
        case .vaultNameCollision:
            "Two specs in one call write the same Vault policy, the same role of one auth mount, or the config of one owned auth mount, on one Vault server."
        case .pathOutsidePrefix: "A Vault path outside the policy's `prefix`."
        case .unknownContainer: "A secret or a patch names a container the app does not have."
        case .exposeNeedsKeys: "`expose: env` on a secret without `keys:`."
        case .deletionPolicyConflict: "A `deletionPolicy` that ESO refuses with the secret's `creationPolicy`."
        case .duplicateTarget: "Two secrets write the same Kubernetes Secret in one namespace."
        case .patchTouchesOwnedField: "An app's `patch` changes a field the compiler owns."
        case .periodTooShort: "A token period too short to be renewed by a CronJob."
        case .duplicateEnvironment: "Two specs in one call with the same `metadata.name`."
        case .duplicateEnvVar: "Two environment variables with the same name in one container."
        case .duplicateMountPath: "Two volumes mounted at the same path in one container."
        case .broadPolicy: "Policy `scope: prefix` grants more than the apps read."
        case .tokenAuth: "Token auth needs a renewed long-lived credential."
        case .noReload: "`reload: none` on an app that reads secrets."
        case .fastRefresh: "A `refreshInterval` under one minute."
        case .storeOpenToAll: "A ClusterSecretStore open to every namespace."
        case .reloaderRegex: "A Reloader name with `.`, which Reloader reads as a regular expression."
        case .plainTextServer:
            "A Vault server reached over plain `http://`: credentials and secrets cross the network unencrypted."
        case .sharedStore:
            "One ClusterSecretStore credential serving several namespaces: each can read the paths the others reference."
        case .longLivedCredential:
            "A credential that stays valid very long: a token period over 768h, a secret-id TTL of 0."
        case .duplicateExternalSecret: "Two secrets with the same name, so the same ExternalSecret, in one namespace."
        case .settingOfAnotherKind:
            "A workload setting of another kind: `serviceName` outside a StatefulSet, `schedule` outside a CronJob, `replicas` on a DaemonSet or CronJob."
        case .ownedWorkloadKey:
            "A key that shapes a workload Keyway writes, on an app whose workload is owned elsewhere (`workload:`)."
        case .useUnknownSecret: "A `use` of an app that does not exist or does not define that secret itself."
        case .useOtherNamespace: "A `use` of an app in another namespace: a Secret is read only in its own namespace."
        case .patchUnknownField:
            "A `patch` field the Kubernetes schema of the workload's kind does not have, or of the wrong shape."
        case .patchNameCollision:
            "A `patch` entry (variable, mount, volume) whose name collides with one the secrets generate."
        case .reloadOptionConflict:
            "A `reloadOptions` entry that contradicts `reload` or does nothing for the workload's kind."
        case .exposeNeedsContainers:
            "A secret read by containers of a workload owned elsewhere, without `workload.containers` naming them."
        case .pullSecretType:
            "An `expose: imagePullSecret` secret whose template does not make it a `kubernetes.io/dockerconfigjson` Secret."
        case .templateUnknownKey:
            "A secret's template names a key (`{{ .NAME }}`) the secret does not declare under `keys:`."
        case .templateSyntax:
            "A secret's template is not a valid Go template: an unclosed `{{`, a stray `}}`, an unbalanced `{{ end }}`."
        case .secretTypeMissingKey:
            "A template's Secret `type` without the keys Kubernetes requires of it (`.dockerconfigjson`, `tls.crt` and `tls.key`, ...)."
        case .needsKVv2:
            "A remote `version`, `find.tags` or `metadataPolicy: Fetch` on a KV version 1 mount, which has no versions or metadata."
        case .findWholeMount: "A `find` without `path`: ESO lists and the policy opens the whole KV mount."
        case .invalidCABundle: "A `caBundle` that is not one or more PEM `CERTIFICATE` blocks."
        case .invalidVaultNamespace:
            "A Vault namespace that is not a path of namespace names, or uses a name Vault reserves."
        case .caOverPlainHTTP: "A CA for a Vault server reached over plain `http://`: nothing uses it."
        case .secretsOnlyKey:
            "A key that wires or acts on a workload, on an app with secrets only (neither `containers` nor `workload`)."
        case .envKeyUnknown: "`expose: {env: {VAR: KEY}}` reads a key the Secret does not have."
        case .hardeningNone: "`hardening: none`: the pods run without Keyway's hardened defaults."
        case .selectorLabelConflict: "A `selector` label that `defaults.labels` gives another value."
        case .importUnsupportedKind:
            "`import`: an object of a kind a spec has no place for (a Secret, a Service, …): not imported."
        case .importUnsupportedWorkload:
            "`import`: a workload of a kind the spec cannot write (a Job, ReplicaSet, Pod): not imported."
        case .importFieldDropped: "`import`: a field the imported spec cannot carry: the compiled object lacks it."
        case .importFieldChanged: "`import`: a value the imported spec compiles differently, or wiring it adds."
        case .importObjectDropped: "`import`: an object of a known kind that the imported spec does not reproduce."
        case .importReloadChanged:
            "`import`: a workload's Reloader annotation is missing or names other Secrets than it reads."
        case .importValueAssumed: "`import`: a value the spec needs that the inputs do not hold: assumed."
        case .importPolicyChanged: "`import`: a Vault policy rule the imported spec's policy does not grant as written."
        case .importNotAnObject: "`import`: a YAML document that is not a Kubernetes object."
        case .importPolicySyntax: "`import`: a Vault policy file that is not readable HCL."
        case .importIncomplete: "`import`: the inputs lack what every spec needs: a store, a workload."
        case .remoteKeyForm:
            "A remote key or `find.path` written with the mount or a leading `/`: ESO reads it relative to the mount."
        case .mountNamedFolder:
            "A remote key whose secret lies in a folder named like the mount: no key relative to the mount reaches it."
        case .metadataKeyElsewhere:
            "A `metadataPolicy: Fetch` key starting with the mount: ESO reads the metadata of another secret than the key's data."
        case .findReadsElsewhere:
            "A `find.path` starting with the mount: ESO lists one folder and reads the secrets it finds from another."
        case .templateUnknownFunction: "A template calls a function ESO's template engine (v2) does not have."
        case .templateRefusedFunction:
            "A template calls `getSecretKey`, `getHostByName`, `env` or `expandenv`: they read the cluster or the controller, or leak."
        case .operatorAccountNamespaced:
            "Kubernetes or JWT auth without `serviceAccountRef` in SecretStore mode: every namespace would log in as ESO."
        case .operatorAccountShared:
            "ESO logs in as its own service account: any store naming the role, in any namespace, gets its access."
        case .storeConditions:
            "A ClusterSecretStore that also serves namespaces chosen by `conditions`, which Keyway cannot list."
        case .namespaceNameUnused: "A per-namespace Vault name for a namespace that has no SecretStore of its own."
        case .namespaceNameCollision:
            "Two namespaces whose SecretStores would write the same Vault role, user or policy."
        case .unknownMount: "A secret's `mount` that is none of the mounts of `vault.kv`."
        case .mountStore: "A KV mount listed twice, or whose store name `NAME-MOUNT` is not a valid Kubernetes name."
        case .importSpecRefused: "`import`: the imported spec does not compile: the inputs hold a value a spec refuses."
        case .containerPatchedTwice: "A `patch` lists the same container twice in one `containers` list."
        case .importLimitDropped:
            "`import`: a limit of the input's credential (`-explicit-max-ttl`, `-use-limit`, a role's `token_max_ttl`, `secret_id_num_uses`, bound CIDRs, …) that the spec does not carry."
        case .importPolicyWidened:
            "`import`: the imported spec's policy grants a capability on a path that the input policy does not grant (or denies)."
        case .importFileSkipped:
            "`import`: a file import cannot read (Terraform, Markdown, a Helm template, not YAML, HCL or sh): skipped."
        case .importMeaningChanged:
            "`import`: the imported spec would change what the cluster does: grant more, restart differently, rename a live object."
        case .importAuthUnsupported: "`import`: a store's Vault auth method the spec cannot write."
        case .importDuplicateObject: "`import`: two input objects that would be one app of the spec."
        case .importScopeNarrowed:
            "`import`: a policy's folder rule the spec cannot keep (SecretStore mode): imported as an exact policy."
        case .importNotHardened:
            "`import`: a workload the input did not harden as Keyway does: imported as `hardening: none`."
        case .importOwnedElsewhere:
            "`import`: a workload kind Keyway patches but does not write (an Argo Rollout): imported as `workload:`."
        case .reloadPlaceUnseen:
            "`reloadOptions: {place: podTemplate}` on a workload owned elsewhere: Reloader ignores the pod template if the live workload carries a reload annotation."
        case .objectCollision:
            "Two specs in one call, of one cluster (`metadata.cluster`, or none named in both), write the same Kubernetes object: a credential Secret, a store, a renewal CronJob, any object of one kind, namespace and name."
        case .patchRelaxesHardening:
            "A patch undoes part of the hardened pod: privileged, privilege escalation, added capabilities, root, host namespaces, a hostPath volume."
        case .patchAddsContainerEverywhere: "`defaults.patch` adds a container to every workload."
        case .clientReviewerForTenants:
            "`tokenReviewer: client` in SecretStore mode binds the service accounts of tenant namespaces to `system:auth-delegator`."
        case .defaultJWTIssuer:
            "A JWT role trusts the default issuer `https://kubernetes.default.svc.cluster.local`, which most clusters share."
        case .planPolicyName:
            "A policy the spec writes is named `keyway-plan`, the read-only policy `compile plan` needs (`vault/keyway-plan.hcl`)."
        }
    }
}
