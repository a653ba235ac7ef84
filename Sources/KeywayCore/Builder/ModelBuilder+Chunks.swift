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
        // Each chunk stores its results in their own slots: joined without copying them.
        let slots = Slots<Result>(count: elements.count)
        let builders = Concurrently.map(Concurrently.chunks(elements.count, size: Self.appChunkSize)) {
            [start] range -> ModelBuilder in
            var builder = start
            for index in range { slots.store(work(&builder, elements[index]), at: index) }
            return builder
        }
        for builder in builders { join(builder) }
        return slots.take()
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
