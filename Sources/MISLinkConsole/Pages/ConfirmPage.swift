/// The page a bulk action (or a removal) shows before it acts: how many records it will touch,
/// and a form that repeats the request with `confirmed=yes`.
enum ConfirmPage {
    static func html(
        title: String, message: String, count: Int, action: String, fields: [(String, String)], confirmLabel: String,
        back: String, section: Layout.Section, context: PageContext
    ) -> String {
        var body = "<p><strong class=\"count\" id=\"confirm-count\">\(count)</strong> \(HTML.esc(message))</p>\n"
        if count == 0 {
            body += "<p>Nothing to do. \(HTML.link(back, text: "Back"))</p>\n"
        } else {
            body += "<form method=\"post\" action=\"\(HTML.esc(action))\">\(FormActions.csrfField(context))"
            for (name, value) in fields { body += FormActions.hidden(name, value) }
            body += FormActions.hidden("confirmed", "yes")
            body += "<div class=\"actions\"><button type=\"submit\" class=\"danger\">\(HTML.esc(confirmLabel))</button> "
            body += HTML.link(back, text: "No, go back") + "</div></form>\n"
        }
        return Layout.page(title: title, section: section, context: context, body: body)
    }
}
