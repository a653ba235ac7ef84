/// `use: APP`: an app consumes a secret another app of its namespace defines.
extension ModelBuilder {
    /// Replaces each `use` entry by the secret it names (its target and source, the consumer's
    /// exposure and containers); a `use` that names nothing, or another namespace, is an error at it.
    mutating func resolveUses(_ drafts: inout [DraftApp]) {
        var index: [String: Int] = [:]
        index.reserveCapacity(drafts.count)
        for (position, draft) in drafts.enumerated() { index[draft.name] = position }
        let apps = drafts.map(\.name)
        // Per app a use names, where each secret it defines itself (not by `use`) is: found at its
        // first use, then one lookup per use.
        var definitions: [Int: [String: Int]] = [:]
        for consumer in drafts.indices {
            for slot in drafts[consumer].uses.indices {
                let secret = drafts[consumer].uses[slot]
                guard let use = drafts[consumer].located[secret.position].use else { continue }
                let owner = index[use.value]
                if let owner, definitions[owner] == nil { definitions[owner] = Self.definitions(of: drafts[owner]) }
                let defined = owner.flatMap { app in definitions[app]?[secret.name].map { drafts[app].secrets[$0] } }
                if var resolved = resolveUse(
                    secret, use: use, of: drafts[consumer].party, owner: owner.map { drafts[$0].party },
                    defined: defined, apps: apps)
                {
                    let context = "secret '\(resolved.name)' of app '\(resolved.origin.owner(listedBy: ""))'"
                    if !checkEnvKeys(
                        drafts[consumer].located[secret.position].envKeys, against: resolved.outputKeys, of: context)
                    {
                        drafts[consumer].ok = false
                        resolved.exposure = .none
                    }
                    drafts[consumer].uses[slot].resolved = resolved
                    drafts[consumer].located[secret.position].target = Located(resolved.target, at: use.range)
                } else {
                    drafts[consumer].ok = false
                }
            }
        }
        for consumer in drafts.indices where !drafts[consumer].uses.isEmpty { placeUses(&drafts[consumer]) }
    }

    /// Where each secret an app defines itself (not by `use`) is in its `secrets`, by name.
    private static func definitions(of draft: DraftApp) -> [String: Int] {
        var positions: [String: Int] = [:]
        positions.reserveCapacity(draft.secrets.count)
        for position in draft.secrets.indices where positions[draft.secrets[position].name] == nil {
            positions[draft.secrets[position].name] = position
        }
        return positions
    }

    /// Moves each resolved use into the app's `secrets` at its place, so `secrets` lists what
    /// `located` lists; an unresolved one (reported: the app is not built) leaves `located`.
    ///
    /// One merge of the app's reads and uses in `located`'s order: linear, however many are left out.
    private func placeUses(_ draft: inout DraftApp) {
        var uses: [SecretUse] = []
        var reads: [AppSecret] = []
        var located: [LocatedSecret] = []
        swap(&uses, &draft.uses)
        swap(&reads, &draft.secrets)
        swap(&located, &draft.located)
        draft.secrets.reserveCapacity(reads.count + uses.count)
        draft.located.reserveCapacity(located.count)
        // `located` lists the reads and the uses in the order they were written; a use knows its place.
        var nextRead = reads.startIndex
        var nextUse = uses.startIndex
        for (position, entry) in located.enumerated() {
            if nextUse < uses.endIndex, uses[nextUse].position == position {
                var resolved: AppSecret?
                swap(&resolved, &uses[nextUse].resolved)
                nextUse += 1
                guard let resolved else { continue }
                draft.secrets.append(resolved)
            } else if nextRead < reads.endIndex {
                draft.secrets.append(reads[nextRead])
                nextRead += 1
            }
            draft.located.append(entry)
        }
    }

    private mutating func resolveUse(
        _ secret: SecretUse, use: Located<String>, of consumer: DraftApp.Party, owner: DraftApp.Party?,
        defined: AppSecret?, apps: [String]
    ) -> AppSecret? {
        guard let owner else {
            reader.report(
                .useUnknownSecret,
                "secret '\(secret.name)' of \(consumer.context) uses app '\(use.value)', which does not exist",
                at: use.range,
                help: Syntax.didYouMean(use.value, among: apps)
                    ?? "name an app of this spec that defines '\(secret.name)'")
            return nil
        }
        guard let defined else {
            reader.report(
                .useUnknownSecret,
                "app '\(owner.name)' defines no secret '\(secret.name)' for \(consumer.context) to use", at: use.range,
                help: "a 'use' entry has the name of a secret the other app defines with a Vault source")
            return nil
        }
        guard owner.namespace == consumer.namespace else {
            reader.report(
                .useOtherNamespace,
                "secret '\(secret.name)' of \(consumer.context) uses app '\(owner.name)' in namespace '\(owner.namespace ?? "?")', not '\(consumer.namespace ?? "?")'",
                at: use.range,
                help: "a pod reads Secrets of its own namespace only: define the secret in this app instead")
            return nil
        }
        if case .env = secret.exposure, (defined.outputKeys ?? []).isEmpty {
            reader.report(
                .exposeNeedsKeys,
                "'expose: env' needs the secret's keys, but secret '\(secret.name)' of app '\(owner.name)' has none listed",
                at: use.range, help: "use 'expose: envFrom', or list the keys under 'keys:' where the secret is defined"
            )
            return nil
        }
        var resolved = defined
        resolved.exposure = secret.exposure
        resolved.containers = secret.containers
        resolved.origin = .shared(from: owner.name)
        return resolved
    }
}
