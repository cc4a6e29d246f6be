/// Text made safe to place in HTML, in an element or in a quoted attribute: MIS values (names,
/// comments) come from schools' data and are shown as text, never as markup.
public enum HTMLEscape {
    public static func text(_ value: String) -> String {
        replacing(value) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": "&#39;"
            default: nil
            }
        }
    }

    /// `value` with each scalar that `replacement` answers for replaced by its answer.
    static func replacing(_ value: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            if let text = replacement(scalar) { escaped += text } else { escaped.unicodeScalars.append(scalar) }
        }
        return escaped
    }
}
