import Foundation
import MISLinkKit

/// The key the weak matching rule compares: a person's normalised names plus their date of birth.
///
/// Two systems rarely spell a name byte for byte alike, so the key ignores what they disagree on
/// and keeps what tells people apart:
/// - case, accents and character width are folded (`Zoë`, `ZOE` and `zoe` are one name; `ß` is `ss`);
/// - letters that carry no separable accent are spelled out (`ø` → `o`, `ł` → `l`, `æ` → `ae`);
/// - apostrophes and full stops are dropped (`O'Brien`, `O’Brien` and `OBrien` are one name), because
///   many systems cannot store them and people type either quote;
/// - hyphens and dashes count as spaces (`Smith-Jones` is `Smith Jones`), because the usual
///   disagreement is a hyphen against a space;
/// - spaces are trimmed and runs of them collapsed. Words run together stay different
///   (`Mary Ann` is not `Maryann`): that is another spelling, not another way to type one.
///
/// Any other punctuation is dropped, so the `|` that separates the key's parts never occurs in them.
public enum NameKey {
    /// Letters that Unicode does not decompose into a base letter and an accent.
    private static let spelledOut: [Character: String] = [
        "ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th",
    ]

    /// One name (forename or surname) in matching form.
    public static func normalise(_ name: String) -> String {
        if let plain = normaliseASCII(name) { return plain }
        let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var result = ""
        var pendingSpace = false
        for character in folded {
            if character.isLetter || character.isNumber {
                if pendingSpace, !result.isEmpty { result.append(" ") }
                pendingSpace = false
                if let spelled = spelledOut[character] {
                    result += spelled
                } else {
                    result.append(character)
                }
            } else if character.isWhitespace || isDash(character) {
                pendingSpace = true
            }
            // Apostrophes, full stops and other punctuation are dropped without a trace.
        }
        return result
    }

    /// The weak-rule key: `forename|surname|YYYY-MM-DD`, each name normalised.
    public static func key(forename: String, surname: String, dateOfBirth: CalendarDate) -> String {
        normalise(forename) + "|" + normalise(surname) + "|" + dateOfBirth.description
    }

    /// The keys a person can be matched on: the legal names, and the preferred names (each part
    /// falling back to the legal one) when they differ. Empty without a date of birth, because
    /// names alone are too weak to match on.
    public static func keys(for name: PersonName, dateOfBirth: CalendarDate?) -> [String] {
        guard let dateOfBirth else { return [] }
        let legal = key(forename: name.legalForename, surname: name.legalSurname, dateOfBirth: dateOfBirth)
        let preferred = key(
            forename: name.preferredForename ?? name.legalForename, surname: name.preferredSurname ?? name.legalSurname,
            dateOfBirth: dateOfBirth)
        return preferred == legal ? [legal] : [legal, preferred]
    }

    /// The same result for a name of plain ASCII, without Foundation's folding: most names are,
    /// and an import of a trust normalises hundreds of thousands of them.
    private static func normaliseASCII(_ name: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count)
        var pendingSpace = false
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                if pendingSpace, !bytes.isEmpty { bytes.append(UInt8(ascii: " ")) }
                pendingSpace = false
                bytes.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                if pendingSpace, !bytes.isEmpty { bytes.append(UInt8(ascii: " ")) }
                pendingSpace = false
                bytes.append(byte + 32)
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "-"), 0x0A, 0x0B, 0x0C, 0x0D:
                pendingSpace = true
            case 0x80...0xFF:
                return nil  // not ASCII: take the full path
            default:
                break  // punctuation is dropped, as on the full path
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isDash(_ character: Character) -> Bool {
        // Hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash, em dash, minus sign.
        ["-", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}"].contains(character)
    }
}
