/// The stored form of what was last sent for a record: one `field=value` per line, sorted by field,
/// with `\` and line breaks escaped. Plain text rather than JSON because an import of a trust reads
/// and writes one per person, and Foundation's JSON coders are far slower at that.
enum SentFields {
    static func encode(_ fields: [String: String]) -> String {
        fields.keys.sorted().map { key in key + "=" + escape(fields[key]!) }.joined(separator: "\n")
    }

    static func decode(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<equals])] = unescape(line[line.index(after: equals)...])
        }
        return fields
    }

    private static func escape(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0.isNewline }) else { return value }
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r\n": out += "\\r\\n"
            case "\r": out += "\\r"
            default: out.append(character)
            }
        }
        return out
    }

    private static func unescape(_ value: Substring) -> String {
        guard value.contains("\\") else { return String(value) }
        var out = ""
        var escaping = false
        for character in value {
            if escaping {
                switch character {
                case "n": out += "\n"
                case "r": out += "\r"
                default: out.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}
