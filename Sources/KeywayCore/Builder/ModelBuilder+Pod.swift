/// The pod of a workload Keyway writes, as a team already runs it: its selector labels and how far
/// Keyway hardens it.
extension ModelBuilder {
    /// An app's `selector`: the labels of the workload's selector and of its pod template.
    ///
    /// Each a valid label (`app` allowed), none giving a key of `defaults.labels` another value
    /// (the template carries both). `nil` when one is refused (reported).
    mutating func appSelector(_ entry: SpecEntry, defaults: DefaultSettings) -> [Label]? {
        guard case .mapping(let mapping) = entry.value, !mapping.entries.isEmpty else {
            reader.report(
                .wrongType, "expected a mapping of labels for 'selector', found \(entry.value.kindDescription)",
                at: entry.value.range,
                help: "write the live workload's selector labels, e.g. 'selector: {app.kubernetes.io/name: paperless}'")
            return nil
        }
        var labels: [Label] = []
        var ok = true
        for labelEntry in mapping.entries {
            guard let label = label(labelEntry, allowing: [WorkloadOwnership.appLabel]) else {
                ok = false
                continue
            }
            if let other = defaults.labels.first(where: { $0.key == label.key }), other.value != label.value {
                reader.report(
                    .selectorLabelConflict,
                    "selector label '\(label.key)' is '\(label.value)', but 'defaults.labels' gives it '\(other.value)'",
                    at: labelEntry.value.range,
                    help: "the pod template carries both: give them one value, or remove one")
                ok = false
                continue
            }
            labels.append(label)
        }
        return ok ? labels : nil
    }

    /// `hardening: none`, warned once: what `restricted` would add to the pod (`PodHardening`'s settings).
    mutating func warnHardeningNone(_ entry: SpecEntry, app: String, named account: String?) {
        reader.report(
            .hardeningNone,
            "app '\(app)' runs its pods as its containers and patch give them, without Keyway's hardening",
            at: entry.value.range,
            help: "'hardening: restricted' would add \(PodHardening.added(namesAccount: account != nil)); "
                + "keep it and relax in 'patch' only what the image needs")
    }
}
