import Testing

@testable import KeywayCore

/// The marker helper the diagnostic tests use can fail: a marker off its diagnostic is an issue.
@Suite struct MarkerTests {
    @Test func markersGiveTheirPlaceAndAreRemoved() {
        let (text, marks) = unmarked("a: 1\nbb: ⟨KW014⟩x ⟨KW020⟩y\n")
        #expect(text == "a: 1\nbb: x y\n")
        #expect(marks == ["KW014 2:5", "KW020 2:7"])
    }

    @Test func aMisplacedMarkerIsAnIssue() {
        let misplaced = spec(vault: SafetyTests.vault(policy: "  ⟨KW025⟩policy: {name: root}"))
        withKnownIssue {
            _ = markedDiagnostics(misplaced)
        }
        let missing = spec(vault: SafetyTests.vault(policy: "  policy: {name: root}"))
        withKnownIssue {
            _ = markedDiagnostics(missing)
        }
    }
}
