import Dispatch

/// One spec of a set compiled together: the name its diagnostics show (usually its path) and its text.
public struct SpecInput: Sendable {
    /// The path or display name, as diagnostics and cross-spec messages show it.
    public var name: String
    /// The spec's bytes, as read.
    public var text: [UInt8]

    /// Creates an input from its display name and text.
    public init(name: String, text: [UInt8]) {
        self.name = name
        self.text = text
    }
}

extension Compiler {
    /// Compiles specs delivered together (one run of the CLI): each on its own and concurrently,
    /// then against each other (`CrossSpecChecks.all`).
    ///
    /// The results keep the input order. A problem found across specs is added to the diagnostics
    /// of the spec it is reported in; when it is an error, that spec's `environment` becomes `nil`,
    /// so a caller that writes only error-free results never writes two specs into one folder.
    public static func compile(specs: [SpecInput], limits: ParseLimits = ParseLimits()) -> [CompileResult] {
        var results = Concurrently.map(specs) { compile($0.text, limits: limits) }
        let entries = specs.indices.compactMap { index -> CrossSpecEntry? in
            guard results[index].environment != nil else { return nil }
            return CrossSpecEntry(index: index, name: specs[index].name, result: results[index])
        }
        // Every check compares one spec with another: with fewer than two there is nothing to compare.
        for check in CrossSpecChecks.all where entries.count > 1 {
            for finding in check(entries) {
                results[finding.spec].diagnostics.append(finding.diagnostic)
                if finding.diagnostic.severity == .error { results[finding.spec].environment = nil }
            }
        }
        return results
    }
}

/// Runs a function over every element concurrently; the results keep the order of the input.
public enum Concurrently {
    /// `elements.map(transform)`, with the calls spread over the machine's cores.
    public static func map<Element: Sendable, Result: Sendable>(
        _ elements: [Element],
        _ transform: @Sendable (Element) -> Result
    ) -> [Result] {
        let slots = Slots<Result>(count: elements.count)
        DispatchQueue.concurrentPerform(iterations: elements.count) { index in
            slots.store(transform(elements[index]), at: index)
        }
        return slots.take()
    }

    /// `0..<count` cut into consecutive ranges of at most `size` elements (one, possibly empty, when
    /// `count` is at most `size`): the units of work `map` spreads, joined back in order.
    public static func chunks(_ count: Int, size: Int) -> [Range<Int>] {
        guard count > size else { return [0..<count] }
        return stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
    }
}

/// One result slot per element; each concurrent iteration writes only its own index.
final class Slots<Value>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<Value?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    deinit {
        _ = buffer.deinitialize()
        buffer.deallocate()
    }

    func store(_ value: Value, at index: Int) { buffer[index] = value }

    /// The values stored, in order, moved out (each slot left empty): no copy of each value and
    /// release of the original, which for large structs was a retain and release of every field.
    func take() -> [Value] {
        var values: [Value] = []
        values.reserveCapacity(buffer.count)
        guard let base = buffer.baseAddress else { return values }
        for index in buffer.indices {
            if let value = (base + index).move() { values.append(value) }
            (base + index).initialize(to: nil)
        }
        return values
    }
}
