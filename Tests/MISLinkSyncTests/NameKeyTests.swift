import MISLinkKit
import MISLinkSync
import Testing

struct NameKeyTests {
    @Test(
        "folds case, accents, width and spacing",
        arguments: ["Zoë", "ZOË", "ZOE", "zoe", "  Zoe ", "Zoe\u{308}", "ＺＯＥ"])
    func foldsZoe(name: String) {
        #expect(NameKey.normalise(name) == "zoe")
    }

    @Test(
        "treats spellings that systems disagree on as one name",
        arguments: [
            ("O'Brien", "OBrien"), ("O’Brien", "o'brien"), ("Smith-Jones", "Smith Jones"),
            ("smith – jones", "SMITH-JONES"), ("Mary  Ann", "mary ann"), ("Siân", "Sian"), ("Łukasz", "Lukasz"),
            ("Søren", "Soren"), ("Straße", "Strasse"), ("St. John", "St John"), ("Chloé", "CHLOE"),
        ])
    func sameName(first: String, second: String) {
        #expect(NameKey.normalise(first) == NameKey.normalise(second))
    }

    @Test(
        "keeps names apart that are spelled differently",
        arguments: [("Mary Ann", "Maryann"), ("O Brien", "OBrien"), ("Zoe", "Zoey"), ("Anna", "Ana")])
    func differentName(first: String, second: String) {
        #expect(NameKey.normalise(first) != NameKey.normalise(second))
    }

    @Test("builds the key from both names and the ISO date of birth")
    func key() throws {
        let born = try #require(CalendarDate(year: 2020, month: 3, day: 4))
        #expect(
            NameKey.key(forename: " Zoë ", surname: "SMITH-JONES", dateOfBirth: born) == "zoe|smith jones|2020-03-04")
        #expect(
            NameKey.key(forename: "Zoe", surname: "Smith Jones", dateOfBirth: born)
                == NameKey.key(forename: "ZOË", surname: "smith-jones", dateOfBirth: born))
        #expect(NameKey.normalise("A|B") == "ab")
    }

    @Test("gives a legal and a preferred key, one when they agree, and none without a birthday")
    func keysForPerson() throws {
        let born = try #require(CalendarDate(year: 2019, month: 12, day: 1))
        let known = PersonName(legalForename: "Alexander", legalSurname: "Núñez", preferredForename: "Alex")
        #expect(NameKey.keys(for: known, dateOfBirth: born) == ["alexander|nunez|2019-12-01", "alex|nunez|2019-12-01"])
        let plain = PersonName(legalForename: "Ann", legalSurname: "Lee", preferredForename: "ANN")
        #expect(NameKey.keys(for: plain, dateOfBirth: born) == ["ann|lee|2019-12-01"])
        #expect(NameKey.keys(for: plain, dateOfBirth: nil).isEmpty)
    }
}
