import Foundation
import Testing

@testable import KeywayCore

/// Every key of every key table is written in some example spec (`specs/*.yaml`), so the goldens,
/// the live tests over the example specs and the import round trip all cover it.
@Suite struct KeyCoverageTests {
    /// Each (table, key) reachable from the top level through the tables' value shapes, and each
    /// one some example spec writes where that table reads.
    struct Coverage {
        var declared: [String] = []
        var written: Set<String> = []
        var visitedTables: Set<String> = []

        mutating func declare<Key: ShapedKeySet>(_: Key.Type) {
            let table = String(describing: Key.self)
            guard visitedTables.insert(table).inserted else { return }
            for key in Key.allCases {
                declared.append("\(table).\(key.rawValue)")
                declare(key.valueShape)
            }
        }

        mutating func declare(_ shape: ValueShape) {
            switch shape {
            case .object(let table): declare(table)
            case .map(let value, _, _), .list(let value, _): declare(value)
            case .oneOf(let shapes): for shape in shapes { declare(shape) }
            case .string, .duration, .int, .bool, .enumeration, .anyMapping: break
            }
        }

        mutating func visit<Key: ShapedKeySet>(_ node: SpecNode, _: Key.Type) {
            guard case .mapping(let mapping) = node else { return }
            for entry in mapping.entries {
                guard let key = Key(rawValue: entry.key.text) else { continue }
                written.insert("\(String(describing: Key.self)).\(key.rawValue)")
                visit(entry.value, key.valueShape)
            }
        }

        mutating func visit(_ node: SpecNode, _ shape: ValueShape) {
            switch (shape, node) {
            case (.object(let table), .mapping): visit(node, table)
            case (.map(let value, _, _), .mapping(let mapping)):
                for entry in mapping.entries { visit(entry.value, value) }
            case (.list(let value, _), .sequence(let sequence)):
                for item in sequence.items { visit(item, value) }
            case (.oneOf(let shapes), _): for shape in shapes { visit(node, shape) }
            default: break
            }
        }
    }

    /// Keys that landed without an example spec writing them, each to be written by one.
    ///
    /// The list must shrink: a key here that a spec writes fails the test too.
    static let awaitingAnExample: [String] = []

    @Test func everyKeyOfEveryTableIsInAnExampleSpec() throws {
        var coverage = Coverage()
        coverage.declare(SpecKey.Top.self)
        let folder = repositoryRoot.appendingPathComponent("specs")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 5)
        for file in files.sorted() {
            var diagnostics = DiagnosticCollector()
            let text = try Data(contentsOf: folder.appendingPathComponent(file))
            let root = try #require(SpecParser.parse(Array(text), limits: ParseLimits(), into: &diagnostics), "\(file)")
            coverage.visit(root, SpecKey.Top.self)
        }
        let missing = coverage.declared.filter { !coverage.written.contains($0) }
        #expect(
            missing == Self.awaitingAnExample,
            "keys no example spec writes: \(missing.joined(separator: ", ")) (expected only \(Self.awaitingAnExample))")
        #expect(coverage.visitedTables.count > 20)
    }
}
