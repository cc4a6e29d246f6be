import MISLinkSync
import Testing

struct AttendanceCodeTests {
    @Test("counts L and U as current late-arrival codes")
    func lateArrival() {
        #expect(AttendanceCode.lateArrivalCodes == ["L", "U"])
        #expect(AttendanceCode.lateArrivalCodes.allSatisfy(AttendanceCode.isCurrent))
        #expect(AttendanceCode.named("L")?.category == .present)
        #expect(AttendanceCode.named("U")?.category == .unauthorisedAbsence)
    }

    @Test(
        "knows the codes the 2024 regulations added",
        arguments: ["K", "Q", "C1", "C2", "J1", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "/", "\\", "#"])
    func newCodes(code: String) {
        #expect(AttendanceCode.isCurrent(code))
    }

    @Test(
        "does not accept made-up, retired or lower-case codes",
        arguments: ["A9", "LATE", "", "H", "J", "Y", "F", "l", "u", " L"])
    func notCurrent(code: String) {
        #expect(!AttendanceCode.isCurrent(code))
    }

    @Test("lists each of the 34 current codes once, with a meaning")
    func listIsWellFormed() {
        let codes = AttendanceCode.current.map(\.code)
        #expect(codes.count == 34)
        #expect(Set(codes).count == codes.count)
        #expect(AttendanceCode.current.allSatisfy { !$0.meaning.isEmpty })
        #expect(AttendanceCode.retiredCodes.isDisjoint(with: codes))
        #expect(Set(AttendanceCode.current.map(\.category)) == Set(AttendanceCode.Category.allCases))
    }
}
