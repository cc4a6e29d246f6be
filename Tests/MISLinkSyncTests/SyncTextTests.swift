@testable import MISLinkSync
import Testing

/// "1 records" and friends.
@Suite struct SyncTextTests {
    @Test("counts read right in the singular and the plural")
    func plural() {
        #expect(Plural.count(1, "record") == "1 record")
        #expect(Plural.count(0, "record") == "0 records")
        #expect(Plural.count(2, "current record") == "2 current records")
    }

    @Test("an ambiguous match with one candidate says '1 record … matches'")
    func ambiguousWithOneCandidate() {
        #expect(MatchDecision.ambiguous(["P1"]).reason.hasPrefix("1 record in the target matches by name"))
        #expect(MatchDecision.ambiguous(["P1", "P2"]).reason.hasPrefix("2 records in the target match by name"))
    }
}
