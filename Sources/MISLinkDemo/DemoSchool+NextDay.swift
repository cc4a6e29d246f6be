import MISLinkKit

extension DemoSchool {
    /// The export the MIS gives the night after this one (`importDate` one day later), for trying
    /// out a nightly import: 4 pupils change form, 3 families move house, 2 pupils left yesterday
    /// (end date the day of this export, now inactive), 3 pupils joined today from other schools,
    /// and one member of staff who had no National Insurance number now has one (fewer of each in a
    /// school too small to offer them). Nobody else changes. The same seed gives the same changes.
    public func nextDay(seed: UInt64) -> DemoSchool {
        var school = self
        school.importDate = importDate.adding(days: 1)
        var builder = DemoSchoolBuilder(seed: seed, continuing: self, importDate: school.importDate)
        var touched: Set<Int> = []
        builder.changeRegGroups(in: &school.pupils, count: 4, touched: &touched)
        builder.moveHouseholds(in: &school.pupils, count: 3, touched: &touched)
        builder.addLeavers(to: &school.pupils, count: 2, endingOn: importDate, touched: &touched)
        builder.addJoiners(to: &school, count: 3, joinedOn: school.importDate)
        builder.fillMissingNINumber(in: &school.staff)
        return school
    }
}
