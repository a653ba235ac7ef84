/// Every default a spec key has, and every name Keyway composes from a spec, in one place.
///
/// The builder fills an omitted key from here, and `import` leaves a key out when the manifests
/// hold exactly this value, so a default changed here changes both. Each composition sits beside
/// its inverse (what `import` reads back), and `SpecDefaultsTests` round-trips every pair.
public enum SpecDefaults {
    /// `refreshInterval` (secret and `defaults`).
    public static let refreshInterval = GoDuration(text: "1h", seconds: 3_600)
    /// A secret's `creationPolicy`.
    public static let creationPolicy = CreationPolicy.owner
    /// A secret's `template.mergePolicy`.
    public static let mergePolicy = TemplateMergePolicy.replace
    /// `vault.kv.version`.
    public static let kvVersion = KVVersion.v2
    /// `auth.kubernetes.mountPath`.
    public static let kubernetesMount = "kubernetes"
    /// `auth.jwt.mountPath`.
    public static let jwtMount = "jwt"
    /// `auth.appRole.mountPath`.
    public static let appRoleMount = "approle"
    /// `auth.userPass.mountPath`.
    public static let userPassMount = "userpass"
    /// `auth.appRole.roleIdKey`: the key of the credential Secret holding the role-id.
    public static let roleIdKey = "role-id"
    /// `auth.appRole.secretIdTTL`.
    public static let secretIdTTL = GoDuration(text: "720h", seconds: 720 * 3_600)
    /// `auth.token.renewal.image`: an image with the vault CLI.
    public static let renewalImage = "hashicorp/vault:1.20"
    /// Where ESO runs: `monitoring.namespace`, and what `import` assumes for a credential's
    /// namespace or a service account it cannot see.
    public static let operatorNamespace = "external-secrets"
    /// ESO's service account (and a role named after it): what `import` assumes for a name it cannot see.
    public static let operatorName = "external-secrets"
    /// The usual token period: what `import` assumes when no input holds it.
    public static let tokenPeriod = GoDuration(text: "24h", seconds: 86_400)
    /// An app's `hardening`.
    public static let hardening = Hardening.restricted
    /// `reloadOptions.watch` (with `reload: auto`).
    public static let reloadWatch = ReloadWatch.secrets
    /// `reloadOptions.place`: where the Reloader annotations are written.
    public static let reloadPlace = ReloadPlace.workload

    /// An app's `selector`: `app: NAME`, the workload's selector and its pod template's labels.
    public static func selector(app: String) -> [Label] { [Label(key: WorkloadOwnership.appLabel, value: app)] }

    // MARK: Names composed from the environment's name

    /// The prefix of every Vault and Kubernetes name Keyway derives from the environment's name.
    static let namePrefix = "keyway-"

    /// `keyway-NAME`: the default policy name, the token's display name, the PrometheusRule.
    public static func environmentObjectName(_ environment: String) -> String { namePrefix + environment }

    /// The inverse of `environmentObjectName`: `NAME` of `keyway-NAME`, or `nil` for another name.
    public static func environment(ofObjectName name: String) -> String? {
        guard name.hasPrefix(namePrefix), name.count > namePrefix.count else { return nil }
        return String(name.dropFirst(namePrefix.count))
    }

    // MARK: SecretStore mode: one policy and role per namespace

    /// `BASE-NAMESPACE`: the policy and role of one namespace in SecretStore mode.
    public static func perNamespaceName(_ base: String, namespace: String) -> String { "\(base)-\(namespace)" }

    /// The inverse of `perNamespaceName`: `BASE` of `BASE-NAMESPACE`, or `nil` when `name` does not end in `-NAMESPACE`.
    public static func baseName(_ name: String, namespace: String) -> String? {
        let suffix = "-\(namespace)"
        guard name.hasSuffix(suffix), name.count > suffix.count else { return nil }
        return String(name.dropLast(suffix.count))
    }

    // MARK: The renewal CronJob's schedule and the token's period

    /// A schedule that renews a token at least four times per period, on the hour or minute.
    public static func renewalSchedule(forPeriod seconds: Double) -> String {
        let interval = seconds / 4
        if interval >= 86_400 { return "0 0 * * *" }
        if interval >= 3_600 {
            let hours = [12, 8, 6, 4, 3, 2, 1].first { Double($0) * 3_600 <= interval } ?? 1
            return hours == 1 ? "0 * * * *" : "0 */\(hours) * * *"
        }
        let minutes = [30, 20, 15, 12, 10, 6, 5, 4, 3, 2, 1].first { Double($0) * 60 <= interval } ?? 1
        return minutes == 1 ? "* * * * *" : "*/\(minutes) * * * *"
    }

    /// The inverse of `renewalSchedule(forPeriod:)`: the shortest period (a Go duration, at least
    /// 10m) whose default schedule is `schedule`, or `nil` for a schedule Keyway does not write.
    public static func period(forSchedule schedule: String) -> String? {
        let fields = schedule.split(separator: " ").map(String.init)
        guard fields.count == 5, fields[2...] == ["*", "*", "*"] else { return nil }
        switch (fields[0], fields[1]) {
        case ("0", "0"): return "96h"
        case ("0", "*"): return "4h"
        case ("0", let hours) where hours.hasPrefix("*/"): return Int(hours.dropFirst(2)).map { "\($0 * 4)h" }
        case ("*", "*"): return "10m"
        case (let minutes, "*") where minutes.hasPrefix("*/"):
            return Int(minutes.dropFirst(2)).map { "\(max(10, $0 * 4))m" }
        default: return nil
        }
    }
}
