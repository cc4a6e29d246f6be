import MISLinkSync
import Testing

struct YearGroupTests {
    @Test("accepts R and 1 to 6", arguments: ["R", "1", "2", "3", "4", "5", "6"])
    func accepts(value: String) {
        #expect(YearGroup.primaryProblem(value) == nil)
        #expect(YearGroup.isPrimary(value))
    }

    @Test(
        "flags every other spelling",
        arguments: ["Y3", "Y2", "Reception", "Rec", "Year 1", "0", "7", "r", " 3", "3 ", "N1", "YR", "01", "R1"])
    func flags(value: String) throws {
        let problem = try #require(YearGroup.primaryProblem(value))
        #expect(problem == "year group '\(value)' is not R or 1–6 (free school meals depend on it)")
    }

    @Test("flags a missing year group")
    func flagsMissing() {
        #expect(YearGroup.primaryProblem(nil) == "year group is missing (free school meals depend on it)")
        #expect(YearGroup.primaryProblem("") == "year group is missing (free school meals depend on it)")
        #expect(!YearGroup.isPrimary(nil))
    }
}
