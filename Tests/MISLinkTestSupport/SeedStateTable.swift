/// The integration state table of seed 000 (and DESIGN.md), typed out as the seed writes it, for
/// tests to compare the product with. Never derived from the code under test.
public enum SeedStateTable {
    public static let columns = ["on/off", "absence", "contract", "staff", "wizard", "rematch", "remove"]
    /// By status (`on`, `off`, `pending`, `ready`, `error`), one answer per column.
    public static let rows: [String: [Bool]] = [
        //          on/off absence contract staff  wizard rematch remove
        "on":      [true, true, true, true, true, true, true],
        "off":     [true, true, true, true, true, true, true],
        "pending": [false, false, false, false, true, false, true],
        "ready":   [false, false, false, false, false, false, true],
        "error":   [false, true, true, true, true, true, true],
    ]

    public static func allows(_ status: String, _ column: String) -> Bool {
        rows[status]![columns.firstIndex(of: column)!]
    }
}
