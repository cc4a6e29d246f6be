import MISLinkKit
@testable import MISLinkSync
import Testing

/// The compact forms planning holds instead of whole values: packed contacts and digests of what
/// was sent. They must compare exactly as the values they stand for.
@Suite struct PlanningMemoryTests {
    static let contacts = [
        Contact(
            misID: "C1", studentMisID: "P1", relationship: "Mother", forename: "Zoë", surname: "O'Brien\u{1F}x",
            email: "a\\b@example.org", mobile: nil, priority: 1, parentalResponsibility: true),
        Contact(
            misID: "C2", studentMisID: "P1", relationship: "", forename: "", surname: "Smith\u{1E}\u{1A}",
            email: nil, mobile: "07700 900123", priority: nil, parentalResponsibility: false),
    ]

    @Test("packed contacts unpack to the same contacts, separators, escapes and nil-versus-empty included")
    func packedContactsRoundTrip() {
        #expect(PackedContacts(Self.contacts).contacts == Self.contacts)
        #expect(PackedContacts([]).contacts.isEmpty)
        #expect(PackedContacts([]) == .none)
    }

    @Test("two lists of contacts pack equal exactly when they are equal")
    func packedContactsCompareAsTheirContacts() {
        var relationshipEmpty = Self.contacts
        relationshipEmpty[0].relationship = ""
        var relationshipNil = Self.contacts
        relationshipNil[0].relationship = nil
        var priorityAbsent = Self.contacts
        priorityAbsent[0].priority = nil
        var responsibilityAbsent = Self.contacts
        responsibilityAbsent[1].parentalResponsibility = nil
        // A value that runs into the next field must not read as the same list.
        var shifted = Self.contacts
        shifted[0].forename = "Zoë\u{1F}O'Brien"
        shifted[0].surname = "x"
        let variants = [Self.contacts, relationshipEmpty, relationshipNil, priorityAbsent, responsibilityAbsent, shifted,
            Array(Self.contacts.reversed()), [Self.contacts[0]], []]
        for (i, a) in variants.enumerated() {
            for (j, b) in variants.enumerated() {
                #expect((PackedContacts(a) == PackedContacts(b)) == (i == j), "variants \(i) and \(j)")
            }
        }
    }

    @Test("contacts packed one at a time come out first to call first, in whatever order the connector gave them")
    func packedOneAtATime() {
        func contact(_ id: String, _ priority: Int?) -> Contact {
            Contact(misID: id, studentMisID: "P1", forename: "F", surname: id, priority: priority)
        }
        let wanted = [contact("C3", 1), contact("C1", 2), contact("C2", 2), contact("C0", nil)]
        for given in [wanted, wanted.reversed(), [wanted[2], wanted[0], wanted[3], wanted[1]]] {
            var builder = PackedContacts.Builder()
            for each in given { builder.append(each) }
            #expect(builder.packed() == PackedContacts(wanted))
            #expect(given.sorted(by: PackedContacts.firstToCall) == wanted)
        }
        #expect(PackedContacts.Builder().packed() == .none)
    }

    @Test("digests of texts are equal exactly when the texts are")
    func digestsCompareAsTheirTexts() {
        #expect(TextDigest("a=1\nb=2") == TextDigest("a=1\nb=2"))
        #expect(TextDigest("a=1\nb=2") != TextDigest("a=1\nb=3"))
        #expect(TextDigest("") != TextDigest(" "))
    }

    @Test("what was sent is read back for the keys asked, and a text changed or gone since planning began fails the plan as retryable")
    func sentTextsAreCheckedAgainstTheirDigests() async throws {
        let asPlanned = SentTextSource { keys in
            #expect(keys == ["pupil:P1"])
            return ["pupil:P1": "a=1", "pupil:P2": "a=2"]
        }
        #expect(try await asPlanned.texts(matching: ["pupil:P1": TextDigest("a=1")])["pupil:P1"] == "a=1")
        #expect(try await SentTextSource { _ in Issue.record("read for nothing"); return [:] }.texts(matching: [:]).isEmpty)

        let changed = SentTextSource { _ in ["pupil:P1": "a=changed"] }
        let vanished = SentTextSource { _ in [:] }
        for sent in [changed, vanished] {
            do {
                _ = try await sent.texts(matching: ["pupil:P1": TextDigest("a=1")])
                Issue.record("a text that no longer matches its digest was used")
            } catch let error as PluginError {
                #expect(error.disposition == .retryable)
                #expect(error.message.contains("pupil:P1"))
            }
        }
    }
}
