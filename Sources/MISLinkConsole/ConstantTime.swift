/// Comparison whose time does not depend on where two secrets first differ, so that timing a
/// wrong guess tells nothing about the right one.
enum ConstantTime {
    static func equal(_ given: String, _ expected: String) -> Bool {
        let a = Array(given.utf8)
        let b = Array(expected.utf8)
        // The length of the expected value is no secret (always 64 hex digits); its bytes are.
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<b.count {
            let byte = index < a.count ? a[index] : 0
            difference |= byte ^ b[index]
        }
        return difference == 0 && a.count == b.count
    }
}
