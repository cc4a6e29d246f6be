/// The fields Wonde's student, employee and contact records share: ids and names.
struct WondePerson: Decodable, Sendable {
    /// Wonde's own id (changes when a pupil re-enrols): what write-back sends as `student_id`.
    let id: String
    /// The MIS's id: the key MISLink links on.
    let misID: String?
    let title: String?
    let forename: String?
    let surname: String?
    let legalForename: String?
    let legalSurname: String?
    let gender: String?
    let dateOfBirth: WondeDate?

    private enum CodingKeys: String, CodingKey {
        case id, title, forename, surname, gender
        case misID = "mis_id"
        case legalForename = "legal_forename"
        case legalSurname = "legal_surname"
        case dateOfBirth = "date_of_birth"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let id = try c.nonEmptyText(.id) else {
            throw DecodingError.keyNotFound(
                CodingKeys.id,
                DecodingError.Context(codingPath: c.codingPath, debugDescription: "every Wonde record has an id"))
        }
        self.id = id
        misID = try c.nonEmptyText(.misID)
        title = try c.nonEmptyText(.title)
        forename = try c.nonEmptyText(.forename)
        surname = try c.nonEmptyText(.surname)
        legalForename = try c.nonEmptyText(.legalForename)
        legalSurname = try c.nonEmptyText(.legalSurname)
        gender = try c.nonEmptyText(.gender)
        dateOfBirth = try c.decodeIfPresent(WondeDate.self, forKey: .dateOfBirth)
    }
}
