import Foundation
import MISLinkKit

/// The `user-name` template: how a new person's SCIM `userName` (their login, often their school
/// email) is made from their record, e.g. `{preferred_forename}.{surname}{n}@school.example`.
///
/// Names are folded to lower-case ASCII letters only ("Zoë O'Brien-Smith" gives `zoe` and
/// `obriensmith`); literal text is kept as written. `{n}` is the clash rule: empty the first time,
/// then 2, 3, … while the server answers that the name is taken. A name with no letters left (a
/// name in another script) gives the MIS id instead, so that nobody is left without a login.
public struct UserNameTemplate: Sendable, Equatable {
    /// What a placeholder stands for.
    enum Part: Equatable, Sendable {
        case literal(String)
        case field(Field)
        case number
    }

    enum Field: String, CaseIterable, Sendable {
        /// The preferred forename, else the legal one (`{preferred_forename}` is the same).
        case forename
        /// The preferred surname, else the legal one (`{preferred_surname}` is the same).
        case surname
        case preferredForename = "preferred_forename"
        case preferredSurname = "preferred_surname"
        case legalForename = "legal_forename"
        case legalSurname = "legal_surname"
        /// The forename's first letter.
        case initial
        case misID = "mis_id"
    }

    let parts: [Part]
    public let text: String

    /// The most `{n}` may count to before the clash is given up on.
    public static let maxNumber = 99

    /// Parses a template; the error names the placeholder or brace that is wrong.
    public init(_ text: String) throws {
        var parts: [Part] = []
        var literal = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
            literal += rest[..<open]
            let inside = rest[rest.index(after: open)...]
            guard rest[open] == "{", let close = inside.firstIndex(where: { $0 == "{" || $0 == "}" }), rest[close] == "}" else {
                throw PluginError.permanent("scim: user-name '\(text)' has an unmatched brace")
            }
            let name = String(rest[rest.index(after: open)..<close])
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
            if name == "n" {
                guard !parts.contains(.number) else {
                    throw PluginError.permanent("scim: user-name '\(text)' has {n} twice")
                }
                parts.append(.number)
            } else if let field = Field(rawValue: name) {
                parts.append(.field(field))
            } else {
                let known = (Field.allCases.map(\.rawValue) + ["n"]).map { "{\($0)}" }.joined(separator: ", ")
                throw PluginError.permanent("scim: user-name '\(text)' has an unknown placeholder {\(name)} (known: \(known))")
            }
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { parts.append(.literal(literal)) }
        guard parts.contains(where: { if case .field = $0 { true } else { false } }) else {
            throw PluginError.permanent(
                "scim: user-name '\(text)' names nobody: it needs a placeholder such as {forename}, {surname} or {mis_id}")
        }
        self.parts = parts
        self.text = text
    }

    /// Whether a clash can be resolved by counting.
    public var hasNumber: Bool { parts.contains(.number) }

    /// The user name for `record`, at the `attempt`th try (1 leaves `{n}` empty, 2 gives "2", …).
    public func render(_ record: PersonRecord, attempt: Int = 1) -> String {
        let details = record.details
        let name = details.name
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text):
                out += text
            case .number:
                if attempt > 1 { out += String(attempt) }
            case .field(let field):
                let value: String
                switch field {
                case .forename, .preferredForename: value = Self.letters(name.preferredForename ?? "", else: name.legalForename)
                case .surname, .preferredSurname: value = Self.letters(name.preferredSurname ?? "", else: name.legalSurname)
                case .legalForename: value = Self.letters(name.legalForename)
                case .legalSurname: value = Self.letters(name.legalSurname)
                case .initial:
                    value = String(Self.letters(name.preferredForename ?? "", else: name.legalForename).prefix(1))
                case .misID: value = details.misID.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
                }
                out += value.isEmpty ? Self.fallback(details.misID) : value
            }
        }
        return out
    }

    /// `first` folded to letters, or `second` when that leaves nothing.
    static func letters(_ first: String, else second: String) -> String {
        let folded = letters(first)
        return folded.isEmpty ? letters(second) : folded
    }

    /// Lower-case ASCII letters only: accents folded away, a few letters spelled out, the rest dropped.
    static func letters(_ text: String) -> String {
        let spelled: [Character: String] = ["ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th"]
        var out = ""
        for character in text.lowercased().folding(options: [.diacriticInsensitive], locale: nil) {
            if let spelling = spelled[character] {
                out += spelling
            } else if character.isASCII && character.isLetter {
                out.append(character)
            }
        }
        return out
    }

    private static func fallback(_ misID: String) -> String {
        misID.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}
