/// Stakater Reloader's annotations: their names, where Reloader reads each, and how it decides
/// that a change of a Secret or ConfigMap restarts a workload.
///
/// Read from Reloader's source at commit `655a2b3814baadb69d3d1e105242d6cc8875d7cb`
/// (github.com/stakater/Reloader): the names are the defaults in `internal/pkg/options/flags.go`;
/// the decision is `ShouldReload` in `pkg/common/common.go`; the places are the
/// `Get*Annotations` / `Get*PodAnnotations` callbacks of `internal/pkg/callbacks/rolling_upgrade.go`
/// (the workload's `metadata.annotations` and its pod template's, a CronJob's
/// `spec.jobTemplate.spec.template`); `pause-period` is read from the workload only
/// (`upgradeResource`, `internal/pkg/handler/upgrade.go`, Deployments only) and so is
/// `rollout-strategy` (`GetRolloutAnnotations` users, Argo Rollouts only).
///
/// Lowering writes these names, import reads them, and the tests check the written workloads
/// with ``shouldReload(_:workload:podTemplate:resourceAnnotations:)``.
public enum ReloaderAnnotations {
    /// `secret.reloader.stakater.com/reload`: Secret names (regular expressions), comma-separated.
    public static let secretReload = "secret.reloader.stakater.com/reload"
    /// `configmap.reloader.stakater.com/reload`: ConfigMap names, comma-separated.
    public static let configMapReload = "configmap.reloader.stakater.com/reload"
    /// `reloader.stakater.com/auto`: every Secret and ConfigMap the pod reads.
    public static let auto = "reloader.stakater.com/auto"
    /// `secret.reloader.stakater.com/auto`: every Secret the pod reads.
    public static let secretAuto = "secret.reloader.stakater.com/auto"
    /// `configmap.reloader.stakater.com/auto`: every ConfigMap the pod reads.
    public static let configMapAuto = "configmap.reloader.stakater.com/auto"
    /// `reloader.stakater.com/search`: the Secrets and ConfigMaps that carry ``match``.
    public static let search = "reloader.stakater.com/search"
    /// `reloader.stakater.com/match`, on a Secret or ConfigMap: found by ``search``.
    public static let match = "reloader.stakater.com/match"
    /// `reloader.stakater.com/ignore`, on a Secret or ConfigMap: never reloads anything.
    public static let ignore = "reloader.stakater.com/ignore"
    /// `secrets.exclude.reloader.stakater.com/reload`: Secrets the auto annotations skip (workload only).
    public static let secretExclude = "secrets.exclude.reloader.stakater.com/reload"
    /// `configmaps.exclude.reloader.stakater.com/reload`: ConfigMaps skipped (workload only).
    public static let configMapExclude = "configmaps.exclude.reloader.stakater.com/reload"
    /// `reloader.stakater.com/rollout-strategy` (Argo Rollouts, workload only).
    public static let rolloutStrategy = "reloader.stakater.com/rollout-strategy"
    /// `deployment.reloader.stakater.com/pause-period` (Deployments, workload only).
    public static let pausePeriod = "deployment.reloader.stakater.com/pause-period"
    /// The domain every Reloader annotation carries in its name.
    public static let domain = "reloader.stakater.com"

    /// The kind of object whose change Reloader handles.
    public enum Resource: Sendable, Hashable {
        case secret
        case configMap

        /// The named annotation of this kind of object.
        var reloadAnnotation: String { self == .secret ? secretReload : configMapReload }
        /// The typed auto annotation of this kind of object.
        var typedAutoAnnotation: String { self == .secret ? secretAuto : configMapAuto }
        /// The exclude annotation of this kind of object.
        var excludeAnnotation: String { self == .secret ? secretExclude : configMapExclude }
    }

    /// Where Reloader reads an annotation of a workload.
    public enum Place: Sendable, Equatable {
        /// The workload's own `metadata.annotations`, and its pod template's when the workload has none of them.
        case workloadOrPodTemplate
        /// The workload's own `metadata.annotations` only.
        case workloadOnly
    }

    /// Where Reloader reads `annotation` on a workload; `nil` for one it does not read there.
    public static func place(of annotation: String) -> Place? {
        switch annotation {
        case secretReload, configMapReload, auto, secretAuto, configMapAuto, search: .workloadOrPodTemplate
        case secretExclude, configMapExclude, rolloutStrategy, pausePeriod: .workloadOnly
        default: nil
        }
    }

    /// Whether a change of the `resource` named `name` restarts a workload with these annotations:
    /// Reloader's `ShouldReload` with its default options (no `--auto-reload-all`, no ignored kinds).
    ///
    /// The workload's named, auto, typed-auto and search annotations are read from its own metadata;
    /// only when it has none of them, from its pod template's. Excludes are read from the workload only.
    /// Names are anchored regular expressions; a name Keyway writes has no metacharacter but `.`,
    /// which the spec warns of: a `.` here matches any one character, as Reloader's does.
    public static func shouldReload(
        _ resource: Resource, named name: String, workload: [String: String], podTemplate: [String: String],
        resourceAnnotations: [String: String] = [:]
    ) -> Bool {
        if resourceAnnotations[ignore] == "true" { return false }
        let read = readsWorkload(resource, workload: workload) ? workload : podTemplate
        if let excluded = workload[resource.excludeAnnotation],
            excluded.split(separator: ",").contains(where: { trimmed($0) == name })
        {
            return false
        }
        for pattern in (read[resource.reloadAnnotation] ?? "").split(separator: ",", omittingEmptySubsequences: false)
        where matches(trimmed(pattern), name) {
            return true
        }
        if read[search] == "true", resourceAnnotations[match] == "true" { return true }
        return parseBool(read[auto]) || parseBool(read[resource.typedAutoAnnotation])
    }

    /// Whether Reloader reads the named, auto, typed-auto and search annotations for a change of
    /// `resource` from the workload's own annotations (it carries one of them), else from its pod
    /// template's: the place rule of ``shouldReload(_:named:workload:podTemplate:resourceAnnotations:)``.
    static func readsWorkload(_ resource: Resource, workload: [String: String]) -> Bool {
        [resource.reloadAnnotation, auto, resource.typedAutoAnnotation, search].contains { workload[$0] != nil }
    }

    /// Go's `strconv.ParseBool`: `1`, `t`, `T`, `TRUE`, `true`, `True` are true; anything else is not.
    static func parseBool(_ value: String?) -> Bool {
        guard let value else { return false }
        return ["1", "t", "T", "TRUE", "true", "True"].contains(value)
    }

    private static func trimmed(_ text: Substring) -> String {
        // Trimmed from both ends in place: reversing a string went through the generic collection
        // algorithms, 48 000 instructions a name (9% of an import at 2 000 apps).
        var text = text
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }

    /// `^pattern$` against `name`, for the patterns Keyway writes and imports.
    ///
    /// Literal characters and `.` (any character); a pattern with any other metacharacter matches
    /// only itself.
    private static func matches(_ pattern: String, _ name: String) -> Bool {
        guard pattern.count == name.count else { return false }
        return zip(pattern, name).allSatisfy { $0 == "." || $0 == $1 }
    }
}
