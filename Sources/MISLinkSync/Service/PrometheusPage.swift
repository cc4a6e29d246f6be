import Foundation

/// Prometheus text format 0.0.4, written family by family: HELP and TYPE lines, then samples with
/// their label values escaped.
struct PrometheusPage {
    private(set) var text = ""

    mutating func family(_ name: String, _ type: String, _ help: String, _ samples: [([String: String], Double)]) {
        header(name, type, help)
        for (labels, value) in samples.sorted(by: { Self.labelText($0.0) < Self.labelText($1.0) }) {
            text += name + Self.labelText(labels) + " " + Self.number(value) + "\n"
        }
    }

    /// A histogram's samples in the order given (bucket order matters: `le` rising, then sum, count).
    mutating func histogram(_ name: String, _ help: String, _ samples: [(suffix: String, labels: [String: String], value: Double)]) {
        header(name, "histogram", help)
        for sample in samples {
            text += name + sample.suffix + Self.labelText(sample.labels) + " " + Self.number(sample.value) + "\n"
        }
    }

    private mutating func header(_ name: String, _ type: String, _ help: String) {
        let help = help.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    /// `{a="1",b="2"}` in name order (`le` last, as Prometheus writes it), or "" for no labels.
    static func labelText(_ labels: [String: String]) -> String {
        if labels.isEmpty { return "" }
        let names = labels.keys.sorted { ($0 == "le" ? 1 : 0, $0) < ($1 == "le" ? 1 : 0, $1) }
        return "{" + names.map { "\($0)=\"\(escape(labels[$0] ?? ""))\"" }.joined(separator: ",") + "}"
    }

    /// A label value with backslash, double quote and line feed escaped, as the format requires.
    static func escape(_ value: String) -> String {
        // By scalar, not by character: "\r\n" is one Character and would slip past a "\n" case.
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whole numbers without a fraction; others as Swift's shortest round-tripping form.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
