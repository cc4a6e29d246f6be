/// The UK National Insurance number: the strong identifier for staff when matching.
///
/// Nine characters: a two-letter prefix, six digits and a suffix `A`, `B`, `C` or `D`. The prefix
/// rules are HMRC's (National Insurance Manual NIM39110, "What a NINO looks like"): neither letter
/// is D, F, I, Q, U or V; the second is not O; and BG, GB, KN, NK, NT, TN and ZZ are not allocated.
/// Verified against NIM39110 on gov.uk. HMRC's own example, `QQ 12 34 56 A`, is invalid on purpose.
///
/// The eight-character form without a suffix, which some older systems hold, is not accepted:
/// matching compares whole numbers, and HMRC says the suffix is part of the number. Administrative
/// look-alikes that happen to pass the prefix rules (for example `CR` and `MW` references) are not
/// rejected; HMRC publishes no complete list of them.
public enum NINumber {
    /// Letters that never appear in either prefix position: they read as other letters when
    /// handwritten.
    private static let neverInPrefix: Set<Character> = ["D", "F", "I", "Q", "U", "V"]
    private static let unallocatedPrefixes: Set<String> = ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"]
    private static let suffixes: Set<Character> = ["A", "B", "C", "D"]

    /// Every prefix the rules allow, in alphabetical order (for generating demo data).
    public static let allocatablePrefixes: [String] = {
        let letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        var prefixes: [String] = []
        for first in letters {
            for second in letters {
                let prefix = String([first, second])
                if isAllocatable(prefix: prefix) { prefixes.append(prefix) }
            }
        }
        return prefixes
    }()

    /// Upper case with every space removed: numbers are often written `AB 12 34 56 C`.
    public static func normalise(_ text: String) -> String {
        String(text.uppercased().filter { !$0.isWhitespace })
    }

    /// Whether `text`, once normalised, is a National Insurance number by HMRC's format rules.
    public static func isValid(_ text: String) -> Bool {
        let number = Array(normalise(text))
        guard number.count == 9 else { return false }
        return isAllocatable(prefix: String(number[0..<2]))
            && number[2..<8].allSatisfy { $0.isASCII && $0.isNumber }
            && suffixes.contains(number[8])
    }

    /// A normalised number from its parts, or nil when they would not make a valid one.
    /// `digits` is the six-digit body as a number (`12345` becomes `012345`).
    public static func make(prefix: String, digits: Int, suffix: Character) -> String? {
        guard (0...999_999).contains(digits) else { return nil }
        let body = String(digits)
        let number = normalise(prefix) + String(repeating: "0", count: 6 - body.count) + body + String(suffix)
        return isValid(number) ? normalise(number) : nil
    }

    /// A valid number chosen by `seed`: the same seed gives the same number, and different seeds
    /// below `allocatablePrefixes.count × 4,000,000` give different numbers. For demo data only.
    public static func example(seed: UInt64) -> String {
        let suffixList: [Character] = ["A", "B", "C", "D"]
        let prefixCount = UInt64(allocatablePrefixes.count)
        let suffix = suffixList[Int(seed % 4)]
        let body = Int((seed / 4) % 1_000_000)
        let prefix = allocatablePrefixes[Int((seed / 4_000_000) % prefixCount)]
        // The parts come from the allowed lists, so the number is valid.
        return make(prefix: prefix, digits: body, suffix: suffix)!
    }

    private static func isAllocatable(prefix: String) -> Bool {
        let letters = Array(prefix)
        guard letters.count == 2, letters.allSatisfy({ $0.isASCII && $0.isUppercase }) else { return false }
        return !neverInPrefix.contains(letters[0]) && !neverInPrefix.contains(letters[1]) && letters[1] != "O"
            && !unallocatedPrefixes.contains(prefix)
    }
}
