/// Apps read on both cores: each chunk of apps on a builder of its own, joined in the apps' order.
extension ModelBuilder {
    /// How many apps one builder reads at a time: enough to make the copy and the join
    /// negligible, few enough that the cores finish together.
    static let appChunkSize = 64

    /// `elements.map(work)`, each chunk of elements on a copy of this builder with nothing
    /// collected yet, the chunks spread over the cores; what each copy collected (diagnostics,
    /// namespaces, KV v2 uses) is then joined in order, so diagnostics and sites are exactly those
    /// of reading the elements one after another on this builder.
    ///
    /// `work` reads one element with what was read before the apps (mounts, operator, defaults);
    /// a check comparing apps with each other (`use`, duplicate targets) runs after the join.
    mutating func inChunks<Element: Sendable, Result: Sendable>(
        _ elements: [Element], _ work: @Sendable (inout ModelBuilder, Element) -> Result
    ) -> [Result] {
        var start = self
        start.reader.diagnostics = DiagnosticCollector()
        start.objectSites.namespaces = [:]
        start.kvV2Uses = []
        start.reportedPatchLists = []
        let parts = Concurrently.map(Concurrently.chunks(elements.count, size: Self.appChunkSize)) {
            [start] range -> (builder: ModelBuilder, results: [Result]) in
            var builder = start
            let results = elements[range].map { work(&builder, $0) }
            return (builder, results)
        }
        var results: [Result] = []
        results.reserveCapacity(elements.count)
        for part in parts {
            join(part.builder)
            results += part.results
        }
        return results
    }

    /// Adds what a chunk's builder collected after what this one has.
    private mutating func join(_ chunk: ModelBuilder) {
        reader.diagnostics.append(contentsOf: chunk.reader.diagnostics)
        for (namespace, range) in chunk.objectSites.namespaces where objectSites.namespaces[namespace] == nil {
            objectSites.namespaces[namespace] = range
        }
        kvV2Uses += chunk.kvV2Uses
    }
}
