import MISLinkKit
import SCIMTarget
import Testing

struct UserNameTemplateTests {
    static func pupil(_ forename: String, _ surname: String, preferred: String? = nil, misID: String = "P1") -> PersonRecord {
        .pupil(Pupil(details: PersonDetails(misID: misID, name: PersonName(legalForename: forename, legalSurname: surname, preferredForename: preferred))))
    }

    @Test func theFirstTryLeavesTheNumberOutAndLaterTriesCountFromTwo() throws {
        let template = try UserNameTemplate("{preferred_forename}.{surname}{n}@school.example")
        let amy = Self.pupil("Amelia", "Smith", preferred: "Amy")
        #expect(template.render(amy) == "amy.smith@school.example")
        #expect(template.render(amy, attempt: 2) == "amy.smith2@school.example")
        #expect(template.render(amy, attempt: 3) == "amy.smith3@school.example")
    }

    @Test func namesAreLowerCaseLettersOnlyWithAccentsFolded() throws {
        let template = try UserNameTemplate("{forename}.{surname}{n}@school.example")
        #expect(template.render(Self.pupil("Zoë", "O'Brien-Smith")) == "zoe.obriensmith@school.example")
        #expect(template.render(Self.pupil("Jürgen", "Straße")) == "jurgen.strasse@school.example")
        #expect(template.render(Self.pupil("Mary Jane", "Van Der Berg")) == "maryjane.vanderberg@school.example")
    }

    @Test func aNameWithNoLettersLeftFallsBackToTheMISID() throws {
        let template = try UserNameTemplate("{forename}.{surname}@school.example")
        #expect(template.render(Self.pupil("李", "王", misID: "A-1001")) == "a1001.a1001@school.example")
    }

    @Test func theLegalNameIsUsedWhenThereIsNoPreferredOneOrWhenAskedFor() throws {
        let amy = Self.pupil("Amelia", "Smith", preferred: "Amy")
        #expect(try UserNameTemplate("{preferred_forename}").render(Self.pupil("Amelia", "Smith")) == "amelia")
        #expect(try UserNameTemplate("{legal_forename}{initial}").render(amy) == "ameliaa")
        #expect(try UserNameTemplate("{mis_id}@x").render(amy) == "p1@x")
    }

    @Test(arguments: [
        ("{forename.{surname}", "unmatched brace"),
        ("{forename}}", "unmatched brace"),
        ("{first}.{surname}", "unknown placeholder {first}"),
        ("{n}{n}{surname}", "{n} twice"),
        ("admin@school.example", "names nobody"),
    ])
    func aBrokenTemplateIsRefusedNamingWhatIsWrong(template: String, message: String) {
        #expect {
            try UserNameTemplate(template)
        } throws: { error in
            let text = (error as? PluginError)?.message ?? ""
            return text.contains(message) && text.contains("user-name")
        }
    }
}
