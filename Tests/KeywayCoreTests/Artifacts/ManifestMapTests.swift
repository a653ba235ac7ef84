import Testing

@testable import KeywayCore

/// A `ManifestMap` of many keys keeps where each key is (`ManifestMap.indexedCount`): it must still
/// answer, replace, remove and compare as the ordered list of its entries does.
@Suite("ManifestMap")
struct ManifestMapTests {
    static let count = 3 * ManifestMap.indexedCount

    @Test func aLargeMapAnswersLikeItsEntries() {
        var map = ManifestMap()
        for index in 0..<Self.count { map["k\(index)"] = .int(index) }
        #expect(map.entries.map(\.key) == (0..<Self.count).map { "k\($0)" })
        #expect((0..<Self.count).allSatisfy { map["k\($0)"] == .int($0) })
        #expect(map["missing"] == nil)

        map["k5"] = "five"
        #expect(map["k5"] == "five")
        #expect(map.entries[5] == ManifestEntry("k5", "five"))

        map["k3"] = nil
        #expect(map["k3"] == nil)
        #expect(map.entries.count == Self.count - 1)
        #expect(map["k4"] == .int(4) && map["k\(Self.count - 1)"] == .int(Self.count - 1))
        map["k3"] = "back"
        #expect(map.entries.last == ManifestEntry("k3", "back"))
    }

    @Test func aSmallMapShrunkAndGrownAgainStillAnswers() {
        var map = ManifestMap((0..<ManifestMap.indexedCount).map { ManifestEntry("k\($0)", .int($0)) })
        map["k0"] = nil
        map["k1"] = nil
        for index in 0..<4 { map["new\(index)"] = .int(index) }
        #expect(map["k2"] == .int(2) && map["new3"] == .int(3) && map["k0"] == nil)
        #expect(map.entries.count == ManifestMap.indexedCount + 2)
    }

    @Test func aRepeatedKeyAnswersWithItsFirstEntry() {
        let entries = (0..<Self.count).map { ManifestEntry("k\($0 % 40)", .int($0)) }
        var map = ManifestMap(entries)
        #expect(map["k1"] == .int(1))
        map["k1"] = nil
        #expect(map["k1"] == .int(41))
    }

    @Test func equalityAndHashFollowTheEntriesOnly() {
        let entries = (0..<Self.count).map { ManifestEntry("k\($0)", .int($0)) }
        var built = ManifestMap()
        for entry in entries { built[entry.key] = entry.value }
        let given = ManifestMap(entries)
        #expect(built == given)
        #expect(built.hashValue == given.hashValue)
        #expect(Set([built, given]).count == 1)
        built["k0"] = .int(-1)
        #expect(built != given)
    }
}
