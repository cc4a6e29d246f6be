import CSVConnector
import Foundation
import MISLinkKit
import Testing

/// One broken export file and the message it must produce.
struct BrokenExport: Sendable, CustomTestStringConvertible {
    let summary: String
    let file: String
    let bytes: [UInt8]
    let message: String

    init(_ summary: String, file: String = "students.csv", _ text: String, _ message: String) {
        self.init(summary, file: file, bytes: Array(text.utf8), message)
    }

    init(_ summary: String, file: String = "students.csv", bytes: [UInt8], _ message: String) {
        self.summary = summary
        self.file = file
        self.bytes = bytes
        self.message = message
    }

    var testDescription: String { summary }

    /// Reads whichever entity the file holds.
    func read(with connector: CSVConnector) async throws {
        switch file {
        case "staff.csv": _ = try await connector.readStaff(changedSince: nil, context: .silent)
        case "preadmissions.csv": _ = try await connector.readPreAdmissions(changedSince: nil, context: .silent)
        case "contacts.csv": _ = try await connector.readContacts(changedSince: nil, context: .silent)
        default: _ = try await connector.readPupils(changedSince: nil, context: .silent)
        }
    }

    static let header = "mis_id,legal_forename,legal_surname,status,consent,upn,date_of_birth\n"
    /// Twelve good rows, so that the bad one is on line 14.
    static let goodRows = (1...12).map { "A\($0),Ann,Smith,active,yes,,2015-01-01\n" }.joined()

    static let all: [BrokenExport] = [
        BrokenExport(
            "a bad date", header + goodRows + "A13,Bob,Jones,active,,,2015-13-01\n",
            "students.csv line 14, column date_of_birth (7): '2015-13-01' is not a date (YYYY-MM-DD)"),
        BrokenExport(
            "an unterminated quote", header + "A1,\"Ann,Smith,active,,,\nA2,Bob,Jones,,,,\n",
            "students.csv line 2, column legal_forename (2): quoted field is not closed before the end of the file"),
        BrokenExport(
            "text after a closing quote", header + "A1,\"Ann\"ie,Smith,active,,,\n",
            "students.csv line 2, column legal_forename (2): text follows the closing quote "
                + "(a quote inside a quoted field must be doubled)"),
        BrokenExport(
            "a row with too few fields", header + "A1,Ann,Smith,active,yes\n",
            "students.csv line 2, column upn (6): the row has 5 fields but the header has 7"),
        BrokenExport(
            "a row with too many fields", header + "A1,Ann,Smith,active,yes,,2015-01-01,extra\n",
            "students.csv line 2, column 8: the row has 8 fields but the header has 7"),
        BrokenExport(
            "a bad status", header + "A1,Ann,Smith,left,,,\n",
            "students.csv line 2, column status (4): 'left' is not active or inactive"),
        BrokenExport(
            "a bad consent", header + "A1,Ann,Smith,,maybe,,\n",
            "students.csv line 2, column consent (5): 'maybe' is not yes or no"),
        BrokenExport(
            "a missing required column", "mis_id,legal_forename\nA1,Ann\n",
            "students.csv line 1, column legal_surname: required column is missing from the header"),
        BrokenExport(
            "a missing required value", header + "A1,Ann,  ,,,,\n",
            "students.csv line 2, column legal_surname (3): a value is required"),
        BrokenExport(
            "bytes that are not UTF-8", bytes: Array((header + "A1,Ann,Sm").utf8) + [0xFF] + Array("ith,,,,\n".utf8),
            "students.csv line 2, column legal_surname (3): not valid UTF-8"),
        BrokenExport(
            "an empty file", file: "staff.csv", "",
            "staff.csv line 1: the file is empty; a header line is required"),
        BrokenExport(
            "a header given twice", file: "staff.csv", "mis_id,legal_forename,legal_surname,MIS_ID\n",
            "staff.csv line 1, column mis_id: the header appears more than once (columns 1 and 4)"),
        BrokenExport(
            "one person on two rows", file: "preadmissions.csv",
            "mis_id,legal_forename,legal_surname\nN1,Ann,Smith\nN2,Bob,Jones\nN1,Ann,Smith\n",
            "preadmissions.csv line 4, column mis_id (1): 'N1' is also on line 2"),
        BrokenExport(
            "one contact twice for one pupil", file: "contacts.csv",
            "mis_id,student_mis_id,forename,surname\nC1,A1,Mary,Smith\nC1,A1,Mary,Smith\n",
            "contacts.csv line 3, column mis_id (1): contact 'C1' for student 'A1' is also on line 2"),
        BrokenExport(
            "a bad contact priority", file: "contacts.csv",
            "mis_id,student_mis_id,forename,surname,priority\nC1,A1,Mary,Smith,first\n",
            "contacts.csv line 2, column priority (5): 'first' is not a whole number"),
        BrokenExport(
            "a contact without a pupil", file: "contacts.csv",
            "mis_id,student_mis_id,forename,surname\nC1,,Mary,Smith\n",
            "contacts.csv line 2, column student_mis_id (2): a value is required"),
    ]
}

struct BrokenExportTests {
    @Test("a broken export fails permanently, naming the file, line and column", arguments: BrokenExport.all)
    func brokenExport(_ broken: BrokenExport) async throws {
        try await withTemporaryDirectory { dir in
            try write(bytes: broken.bytes, to: broken.file, in: dir)
            await #expect(throws: PluginError.permanent(broken.message)) {
                try await broken.read(with: CSVConnector(directory: dir))
            }
        }
    }

    @Test("the line of a bad record is the physical line it starts on, after multi-line fields")
    func lineAfterMultilineField() async throws {
        try await withTemporaryDirectory { dir in
            try write(
                "mis_id,legal_forename,legal_surname,address,status\n"
                    + "A1,Ann,Smith,\"1 High St\nTown\nShire\",\nA2,Bob,Jones,,gone\n",
                to: "students.csv", in: dir)
            await #expect(
                throws: PluginError.permanent(
                    "students.csv line 5, column status (5): 'gone' is not active or inactive")
            ) {
                try await CSVConnector(directory: dir).readPupils(changedSince: nil, context: .silent)
            }
        }
    }
}
