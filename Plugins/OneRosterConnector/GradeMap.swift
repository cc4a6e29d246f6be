import Foundation

/// How a OneRoster grade (the CEDS codes: `IT`, `PR`, `PK`, `TK`, `KG`, `01`…`13`, `PS`, `UG`,
/// `Other`) becomes a year group.
///
/// What grade a UK producer writes for Reception or Year 7 is not documented anywhere we could
/// find, so the mapping is configurable (`grade-map`). The default, `numbered`, takes the numbers
/// as year numbers (`01` → `1`, `13` → `13`) and `KG` as Reception (`R`), `PK` as nursery (`N`):
/// what a producer that maps NC years onto grade codes one to one writes. `us-age` lines up by age
/// instead (a US first-grader is in Year 2): `PK` → `R`, `KG` → `1`, `01` → `2` … `12` → `13`.
/// Single entries override either (`numbered,PS=N1`). A grade the map does not know is passed on
/// as written, so nothing is lost and a primary school's report flags it.
struct GradeMap: Sendable, Equatable {
    private(set) var years: [String: String]

    static let numbered = GradeMap(years: Self.numberedYears)
    static let usAge = GradeMap(years: Self.usAgeYears)

    private static var numberedYears: [String: String] {
        var years = ["PK": "N", "TK": "N", "KG": "R"]
        for grade in 1...13 { years[Self.code(grade)] = String(grade) }
        return years
    }

    private static var usAgeYears: [String: String] {
        var years = ["PK": "R", "KG": "1"]
        for grade in 1...12 { years[Self.code(grade)] = String(grade + 1) }
        return years
    }

    private static func code(_ grade: Int) -> String { grade < 10 ? "0\(grade)" : String(grade) }

    /// Parses `grade-map`: presets and `GRADE=YEAR` pairs, comma-separated, later ones winning.
    init(config text: String?) throws {
        self = .numbered
        for item in (text ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            switch item.lowercased() {
            case "numbered": self = .numbered
            case "us-age": self = .usAge
            default:
                let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, !pair[0].isEmpty, !pair[1].isEmpty else {
                    throw OneRosterError.config(
                        "grade-map", "has '\(item)': give numbered, us-age or GRADE=YEAR pairs, e.g. numbered,PS=N1")
                }
                years[pair[0].uppercased()] = pair[1]
            }
        }
    }

    private init(years: [String: String]) { self.years = years }

    /// Whether `grade` is in the map (else it is passed on as written).
    func knows(_ grade: String) -> Bool { years[Self.key(grade)] != nil }

    /// `1` and `01` alike: producers differ on the leading zero.
    private static func key(_ grade: String) -> String {
        grade.count == 1 && grade.allSatisfy(\.isNumber) ? "0" + grade : grade.uppercased()
    }

    /// The year group for a user's grades (the first one counts), nil when none is given.
    func yearGroup(_ grades: [String]) -> String? {
        guard let grade = grades.first else { return nil }
        return years[Self.key(grade)] ?? grade
    }
}
