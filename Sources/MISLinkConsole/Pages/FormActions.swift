/// The forms that change something: always POST, always with the session's CSRF token in a hidden
/// `csrf` field. A bearer-token caller has no session, so it gets no forms.
enum FormActions {
    static func csrfField(_ context: PageContext) -> String {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(HTML.esc(context.csrfToken ?? ""))\">"
    }

    /// A form with one button; `fields` ride along as hidden inputs.
    static func button(
        _ label: String, action: String, context: PageContext, fields: [(String, String)] = [], danger: Bool = false
    ) -> String {
        guard context.canAct else { return "" }
        var html = "<form class=\"inline\" method=\"post\" action=\"\(HTML.esc(action))\">\(csrfField(context))"
        for (name, value) in fields { html += hidden(name, value) }
        return html + "<button type=\"submit\"\(danger ? " class=\"danger\"" : "")>\(HTML.esc(label))</button></form>"
    }

    static func hidden(_ name: String, _ value: String) -> String {
        "<input type=\"hidden\" name=\"\(HTML.esc(name))\" value=\"\(HTML.esc(value))\">"
    }
}
