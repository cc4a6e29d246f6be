/// Year group values for a primary school.
///
/// Targets that run universal free school meals read the year group as it comes: Reception must
/// be `R` and years 1–6 must be `1`…`6`, or infant pupils are charged for meals (the ParentPay
/// Bromcom set-up article, seed 001). So the rule is exact: `Reception`, `Year 1`, `Y3`, `r`, `0`
/// and `7` are all flagged, as is a value with spaces around it, since the target would not trim it.
public enum YearGroup {
    /// The values a primary year group may take, youngest first.
    public static let primary: [String] = ["R", "1", "2", "3", "4", "5", "6"]

    /// Whether `value` is exactly one of `primary`.
    public static func isPrimary(_ value: String?) -> Bool {
        guard let value else { return false }
        return primary.contains(value)
    }

    /// Nil when `value` is a primary year group; otherwise a sentence for the import report saying
    /// what is wrong and why it matters.
    public static func primaryProblem(_ value: String?) -> String? {
        guard let value, !value.isEmpty else {
            return "year group is missing (free school meals depend on it)"
        }
        if isPrimary(value) { return nil }
        return "year group '\(value)' is not R or 1–6 (free school meals depend on it)"
    }
}
