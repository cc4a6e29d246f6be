import MISLinkSync
import Testing

struct NINumberTests {
    @Test(
        "accepts numbers that follow HMRC's format rules",
        arguments: ["AB123456C", "ab 12 34 56 c", "JZ000000A", "CE999999D", "NA123456B", "KA123456A", "TZ010203D"])
    func acceptsValid(number: String) {
        #expect(NINumber.isValid(number))
    }

    @Test(
        "rejects D, F, I, Q, U and V as the first letter",
        arguments: ["DA123456A", "FA123456A", "IA123456A", "QA123456A", "UA123456A", "VA123456A"])
    func rejectsFirstLetter(number: String) {
        #expect(!NINumber.isValid(number))
    }

    @Test(
        "rejects D, F, I, O, Q, U and V as the second letter",
        arguments: ["AD123456A", "AF123456A", "AI123456A", "AO123456A", "AQ123456A", "AU123456A", "AV123456A"])
    func rejectsSecondLetter(number: String) {
        #expect(!NINumber.isValid(number))
    }

    @Test(
        "rejects the prefixes that are never allocated",
        arguments: ["BG123456A", "GB123456A", "NK123456A", "KN123456A", "TN123456A", "NT123456A", "ZZ123456A"])
    func rejectsUnallocatedPrefix(number: String) {
        #expect(!NINumber.isValid(number))
    }

    @Test(
        "rejects a suffix other than A, B, C or D, or none",
        arguments: ["AB123456E", "AB123456Z", "AB1234561", "AB123456", "AB123456 "])
    func rejectsSuffix(number: String) {
        #expect(!NINumber.isValid(number))
    }

    @Test(
        "rejects a wrong shape",
        arguments: ["", "AB12345C", "AB1234567C", "A1123456C", "AB12345XC", "AB１２3456C", "ÁB123456C"])
    func rejectsShape(number: String) {
        #expect(!NINumber.isValid(number))
    }

    @Test("rejects HMRC's own example, which is invalid on purpose")
    func rejectsHMRCExample() {
        #expect(!NINumber.isValid("QQ 12 34 56 A"))
    }

    @Test("normalises to upper case without spaces")
    func normalises() {
        #expect(NINumber.normalise(" ab 12 34\t56 c ") == "AB123456C")
    }

    @Test("makes numbers from valid parts and refuses invalid ones")
    func makes() {
        #expect(NINumber.make(prefix: "ab", digits: 12345, suffix: "C") == "AB012345C")
        #expect(NINumber.make(prefix: "GB", digits: 123456, suffix: "A") == nil)
        #expect(NINumber.make(prefix: "AB", digits: 1_000_000, suffix: "A") == nil)
        #expect(NINumber.make(prefix: "AB", digits: -1, suffix: "A") == nil)
        #expect(NINumber.make(prefix: "AB", digits: 123456, suffix: "E") == nil)
    }

    @Test("lists the 373 allocatable prefixes: 20 first letters by 19 second, less the 7 never used")
    func allocatablePrefixes() {
        #expect(NINumber.allocatablePrefixes.count == 373)
        #expect(NINumber.allocatablePrefixes.allSatisfy { NINumber.isValid($0 + "000000A") })
    }

    @Test("generates the same valid number for a seed and different numbers for different seeds")
    func examples() {
        let numbers = (0..<2000 as Range<UInt64>).map { NINumber.example(seed: $0 * 700_001) }
        #expect(numbers.allSatisfy(NINumber.isValid))
        #expect(Set(numbers).count == numbers.count)
        #expect(NINumber.example(seed: 42) == NINumber.example(seed: 42))
        #expect(NINumber.isValid(NINumber.example(seed: .max)))
    }
}
