import Foundation

/// Small builders the pages share, so that escaping, table headers and links are written once.
/// Every argument named `text` is escaped here; arguments named `html` are markup the caller built.
enum HTML {
    static func esc(_ text: String) -> String { HTMLEscape.text(text) }

    /// A table with a caption, `<th scope="col">` headers and, when `rowHeader`, the first cell of
    /// each row as `<th scope="row">`. Cells are markup; `numeric` columns align right.
    static func table(
        caption: String, headers: [String], rows: [[String]], numeric: Set<Int> = [], rowHeader: Bool = true,
        empty: String = "None."
    ) -> String {
        guard !rows.isEmpty else { return "<p class=\"muted\">\(esc(caption)): \(esc(empty))</p>\n" }
        var html = "<table>\n<caption>\(esc(caption))</caption>\n<thead><tr>"
        for (index, header) in headers.enumerated() {
            html += "<th scope=\"col\"\(numeric.contains(index) ? " class=\"num\"" : "")>\(esc(header))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr>"
            for (index, cell) in row.enumerated() {
                let number = numeric.contains(index) ? " class=\"num\"" : ""
                html += index == 0 && rowHeader ? "<th scope=\"row\"\(number)>\(cell)</th>" : "<td\(number)>\(cell)</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    static func link(_ href: String, text: String, current: Bool = false) -> String {
        "<a href=\"\(esc(href))\"\(current ? " aria-current=\"page\"" : "")>\(esc(text))</a>"
    }

    /// `path?name=value&…` with each value percent-encoded; nil and empty values are left out.
    static func url(_ path: String, _ parameters: [(String, String?)]) -> String {
        let pairs = parameters.compactMap { name, value -> String? in
            guard let value, !value.isEmpty else { return nil }
            return "\(name)=\(percentEncoded(value))"
        }
        return pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&")
    }

    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// A labelled text input for a filter form.
    static func textField(_ name: String, label: String, value: String?, type: String = "text") -> String {
        "<label for=\"f-\(name)\">\(esc(label)) <input id=\"f-\(name)\" name=\"\(name)\" type=\"\(type)\" value=\"\(esc(value ?? ""))\"></label>"
    }

    /// A labelled select; the first option (value "") means "any".
    static func select(_ name: String, label: String, options: [String], selected: String?, any: String = "any") -> String {
        var html = "<label for=\"f-\(name)\">\(esc(label)) <select id=\"f-\(name)\" name=\"\(name)\">"
        html += "<option value=\"\"\(selected == nil ? " selected" : "")>\(esc(any))</option>"
        for option in options {
            html += "<option value=\"\(esc(option))\"\(option == selected ? " selected" : "")>\(esc(option))</option>"
        }
        return html + "</select></label>"
    }

    /// JSON text shown as an indented, escaped block.
    static func json(_ value: Any) -> String {
        if let text = value as? String { return "<pre>\(esc(text))</pre>" }
        if value is NSNull { return "<p class=\"muted\">None.</p>" }
        guard JSONSerialization.isValidJSONObject(value),
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return "<pre>\(esc("\(value)"))</pre>" }
        return "<pre>\(esc(String(decoding: data, as: UTF8.self)))</pre>"
    }
}
