/// The three forms of `compile explain`: JSON (a value rendered by `JSONRenderer`), an aligned
/// table for a terminal, and a Mermaid flowchart for a pull request or README.
public enum ExplanationRenderer {
    /// `{"environment": NAME, "namespaces": {NS: {"store", "policy", "reads", "canRead",
    /// "canReadUnder", "secrets": [{"externalSecret", "target", "consumers"}]}}}`, indented.
    public static func json(_ explanation: Explanation) -> String {
        var namespaces = ManifestMap()
        for access in explanation.namespaces {
            let secrets: [ManifestValue] = access.secrets.map { secret in
                [
                    "externalSecret": .string(secret.externalSecret), "target": .string(secret.target),
                    "consumers": .strings(secret.consumers),
                ]
            }
            namespaces[access.namespace] = [
                "store": .string(access.store),
                "policy": .string(access.policy ?? ""),
                "reads": .strings(access.reads.map(\.text)),
                "canRead": .strings(access.canRead.map(\.text)),
                "canReadUnder": .strings(access.canReadUnder),
                "secrets": .list(secrets),
            ]
        }
        return JSONRenderer.pretty([
            "environment": .string(explanation.environment), "namespaces": .map(namespaces),
            "alsoServed": explanation.alsoServed.isEmpty ? nil : .strings(explanation.alsoServed),
        ])
    }

    /// One block per namespace, labels and columns aligned; a readable path that another
    /// namespace reads names it.
    public static func text(_ explanation: Explanation) -> String {
        let readers = readersByReference(explanation)
        var out = "environment \(explanation.environment)\n"
        for access in explanation.namespaces {
            var rows: [(String, [String])] = [
                ("store", [access.store]),
                ("policy", [access.policy ?? "-"]),
                ("reads", access.reads.map(\.text)),
                (
                    "can read",
                    columns(
                        access.canRead.map { reference in
                            [reference.text, note(reference, readers[reference] ?? [], access.namespace)]
                        })
                ),
                ("can read under", access.canReadUnder),
            ]
            let secrets = access.secrets.map {
                [
                    $0.externalSecret, "-> \($0.target)",
                    $0.consumers.isEmpty ? "(no consumer in the spec)" : $0.consumers.joined(separator: ", "),
                ]
            }
            rows.append(("secrets", columns(secrets)))
            let width = rows.map(\.0.count).max() ?? 0
            out += "\nnamespace \(access.namespace)\n"
            for (label, lines) in rows {
                for (index, line) in (lines.isEmpty ? ["-"] : lines).enumerated() {
                    let head = index == 0 ? label : ""
                    out += ("  " + head.padded(to: width) + "  " + line).trimmedTrailingSpaces + "\n"
                }
            }
        }
        if !explanation.alsoServed.isEmpty {
            out += "\nalso read through the store (conditions; Keyway cannot list these namespaces)\n"
            out += explanation.alsoServed.map { "  " + $0 + "\n" }.joined()
        }
        return out
    }

    /// A `flowchart LR`: namespace -> store and policy -> each Vault path it can read, the edge
    /// labelled with the namespaces that read the path; a path some namespace can read without
    /// reading it is drawn with a dashed edge and the `exposed` class.
    public static func mermaid(_ explanation: Explanation) -> String {
        var lines = ["flowchart LR"]
        var declared = Set<String>()
        var edges: [String] = []
        var exposed: [String] = []
        func node(_ id: String, _ label: [String]) {
            if declared.insert(id).inserted { lines.append("  \(id)[\(Mermaid.label(label))]") }
        }
        for group in storeGroups(explanation) {
            let store = Mermaid.id("store", group.key)
            node(store, [group.store, "policy \(group.policy)"])
            for namespace in group.namespaces {
                let id = Mermaid.id("ns", namespace.namespace)
                node(id, ["namespace \(namespace.namespace)"])
                edges.append("  \(id) --> \(store)")
            }
            for reference in group.canRead {
                let id = Mermaid.id("path", reference.text)
                node(id, [reference.text])
                let readers = group.namespaces.filter { $0.reads.contains(reference) }.map(\.namespace)
                if readers.count < group.namespaces.count, !exposed.contains(id) { exposed.append(id) }
                edges.append(
                    readers.isEmpty
                        ? "  \(store) -.->|\(Mermaid.label(["can read"]))| \(id)"
                        : "  \(store) -->|\(Mermaid.label(["read by " + readers.joined(separator: ", ")]))| \(id)")
            }
            for folder in group.canReadUnder where !group.canRead.contains(where: { $0.text == folder }) {
                let id = Mermaid.id("path", folder)
                node(id, [folder + "*"])
                edges.append("  \(store) -.->|\(Mermaid.label(["everything under"]))| \(id)")
            }
        }
        lines += edges
        if !exposed.isEmpty {
            lines.append("  classDef exposed stroke:#d33,stroke-width:2px")
            lines.append("  class \(exposed.joined(separator: ",")) exposed")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The namespaces that read each reference.
    static func readersByReference(_ explanation: Explanation) -> [VaultReference: [String]] {
        var readers: [VaultReference: [String]] = [:]
        for access in explanation.namespaces {
            for reference in access.reads { readers[reference, default: []].append(access.namespace) }
        }
        return readers
    }

    /// How the table marks a readable path: whom it belongs to when it is not the namespace's own.
    static func note(_ reference: VaultReference, _ readers: [String], _ namespace: String) -> String {
        if readers.contains(namespace) { return "" }
        return readers.isEmpty ? "(read by no namespace)" : "(read by " + readers.joined(separator: ", ") + ")"
    }

    /// Rows of cells padded into aligned columns.
    static func columns(_ rows: [[String]]) -> [String] {
        let count = rows.map(\.count).max() ?? 0
        let widths = (0..<count).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { $0.element.padded(to: widths[$0.offset]) }.joined(separator: "  ")
                .trimmedTrailingSpaces
        }
    }

    /// The namespaces that share a store and policy (all of them with a ClusterSecretStore).
    struct StoreGroup {
        var store: String
        var policy: String
        var namespaces: [NamespaceAccess]
        var key: String { store + "|" + policy }
        var canRead: [VaultReference] { namespaces.first?.canRead ?? [] }
        var canReadUnder: [String] { namespaces.first?.canReadUnder ?? [] }
    }

    static func storeGroups(_ explanation: Explanation) -> [StoreGroup] {
        var groups: [StoreGroup] = []
        for access in explanation.namespaces {
            let policy = access.policy ?? "-"
            if let index = groups.firstIndex(where: { $0.store == access.store && $0.policy == policy }) {
                groups[index].namespaces.append(access)
            } else {
                groups.append(StoreGroup(store: access.store, policy: policy, namespaces: [access]))
            }
        }
        return groups
    }
}

extension String {
    func padded(to width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }

    var trimmedTrailingSpaces: String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
