import MISLinkSync
import Testing

struct UPNTests {
    @Test(
        "accepts well-formed UPNs with the right check letter",
        arguments: [
            // The census 1510 help's worked example: 4 + 28 + 9 + 60 + 48 + 117 = 266, remainder 13 = P.
            // (The help says 267 and Q, an arithmetic slip.)
            "P207000016049",
            "B801200005001",  // python-stdnum's example.
            "p207 0000 16049",  // Case and spaces do not matter.
            "M80120000500A",  // Temporary: A counts 0, so the sum is 80, remainder 11 = M.
            "B80120000500B",  // Temporary: B counts 1, so 80 + 13 = 93, remainder 1 = B.
        ])
    func acceptsValid(upn: String) {
        #expect(UPN.isValid(upn))
    }

    @Test(
        "rejects a wrong check letter, a wrong length and characters out of place",
        arguments: [
            "A801200005001",  // Check letter should be B.
            "B207000016049",  // The census help's incorrect example.
            "Q207000016049",  // The census help's "corrected" one, which is off by one.
            "B80120000500",  // 12 characters.
            "B8012000050011",  // 14 characters.
            "X80120000A001",  // A letter in the middle.
            "1801200005001",  // No check letter.
            "I801200005001",  // I is never a check letter.
            "M80120000500I",  // I is never a temporary UPN's last character.
            "B801200005OO1",  // Letter O for zero.
            "",
        ])
    func rejectsInvalid(upn: String) {
        #expect(!UPN.isValid(upn))
    }

    @Test("normalises to upper case without spaces")
    func normalises() {
        #expect(UPN.normalise(" p207 000\t016049 ") == "P207000016049")
    }

    @Test("computes the check letter of the twelve characters after it")
    func checkLetter() {
        #expect(UPN.checkLetter(for: "207000016049") == "P")
        #expect(UPN.checkLetter(for: "80120000500A") == "M")
        #expect(UPN.checkLetter(for: "20700001604") == nil)
        #expect(UPN.checkLetter(for: "2070000160A9") == nil)
    }

    @Test(
        "makes valid UPNs from their parts",
        arguments: [(873, 2468, 2026, 7), (1, 0, 0, 0), (999, 9999, 99, 999), (801, 2000, 2012, 5)])
    func makesValid(la: Int, establishment: Int, year: Int, serial: Int) {
        let upn = UPN.make(la: la, establishment: establishment, year: year, serial: serial)
        #expect(upn.count == 13)
        #expect(UPN.isValid(upn))
    }

    @Test("makes the documented examples and writes only the last two digits of the year")
    func makesKnownExamples() {
        #expect(UPN.make(la: 207, establishment: 0, year: 16, serial: 49) == "P207000016049")
        #expect(UPN.make(la: 801, establishment: 2000, year: 5, serial: 1) == "B801200005001")
        #expect(UPN.make(la: 207, establishment: 0, year: 2016, serial: 49) == "P207000016049")
    }
}
