/// The DfE Unique Pupil Number: the strong identifier for pupils when matching.
///
/// A UPN has 13 characters: a check letter, then 12 characters made of the local authority code
/// (3 digits), the DfE establishment number (4 digits), the last two digits of the year of
/// allocation and a 3-digit serial. A temporary UPN ends in a letter instead of the serial's last
/// digit.
///
/// The check letter is the weighted sum of characters 2–13 (weights 2 to 13) modulo 23, written
/// with the 23 letters `A`…`Z` less `I`, `O` and `S`; a temporary UPN's final letter counts as its
/// position in that same alphabet (A = 0 … Z = 22). Verified against the UK Government Data
/// Standards Catalogue entry "Unique Pupil Number" v2.0 (govtalk.gov.uk), the census error 1510
/// help of Arbor and Pupil Asset, and python-stdnum's `B801200005001`. The census help's worked
/// example slips: its products for `?207000016049` add up to 266, not 267, so the letter is P (13),
/// not Q; the tests pin P.
///
/// Characters 2–4 are not checked against the list of LA codes: that list changes when authorities
/// merge or split, and a stale copy would reject real pupils. The school census does that check.
public enum UPN {
    /// The letters a check letter (or a temporary UPN's last character) may be, in value order.
    /// `I`, `O` and `S` are left out because they read as 1, 0 and 5.
    public static let alphabet: [Character] = Array("ABCDEFGHJKLMNPQRTUVWXYZ")

    /// Upper case with every space removed: MIS screens and spreadsheets often show `A 801 2000 05001`.
    public static func normalise(_ text: String) -> String {
        String(text.uppercased().filter { !$0.isWhitespace })
    }

    /// Whether `text`, once normalised, is a well-formed UPN with the right check letter.
    public static func isValid(_ text: String) -> Bool {
        let upn = normalise(text)
        guard upn.count == 13, let first = upn.first, let expected = checkLetter(for: String(upn.dropFirst()))
        else { return false }
        return first == expected
    }

    /// The check letter for characters 2–13 (`twelve`, normalised first), or nil when they are not
    /// 11 digits followed by a digit or a letter of `alphabet`.
    public static func checkLetter(for twelve: String) -> Character? {
        let characters = Array(normalise(twelve))
        guard characters.count == 12 else { return nil }
        var sum = 0
        for (offset, character) in characters.enumerated() {
            let value: Int
            if let digit = asciiDigit(character) {
                value = digit
            } else if offset == 11, let index = alphabet.firstIndex(of: character) {
                // Only the last character of a temporary UPN may be a letter.
                value = index
            } else {
                return nil
            }
            sum += value * (offset + 2)
        }
        return alphabet[sum % 23]
    }

    /// A valid permanent UPN from its parts. `year` may be the full year (`2026`) or its last two
    /// digits (`26`); only the last two are written. Values out of range are a programming error.
    public static func make(la: Int, establishment: Int, year: Int, serial: Int) -> String {
        precondition((0...999).contains(la), "LA code \(la) is not 3 digits")
        precondition((0...9999).contains(establishment), "establishment number \(establishment) is not 4 digits")
        precondition(year >= 0, "year \(year) is negative")
        precondition((0...999).contains(serial), "serial \(serial) is not 3 digits")
        let twelve = padded(la, 3) + padded(establishment, 4) + padded(year % 100, 2) + padded(serial, 3)
        // Twelve digits always have a check letter.
        return String(checkLetter(for: twelve)!) + twelve
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `Character.wholeNumberValue` also accepts non-ASCII digits such as `٣`; a UPN never holds them.
    private static func asciiDigit(_ character: Character) -> Int? {
        guard let ascii = character.asciiValue, (48...57).contains(ascii) else { return nil }
        return Int(ascii - 48)
    }
}
