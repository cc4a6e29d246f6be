import MISLinkConsole
import Testing

struct HTMLEscapeTests {
    @Test("a hostile pupil name is shown as text, not markup")
    func hostileName() {
        #expect(HTMLEscape.text("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;")
    }

    @Test(
        "each character that could open markup or leave an attribute is escaped",
        arguments: [
            ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\"", "&quot;"), ("'", "&#39;"),
            ("\" onmouseover=\"x", "&quot; onmouseover=&quot;x"), ("Zoë O'Brien", "Zoë O&#39;Brien"), ("plain", "plain"),
        ])
    func escapes(input: String, expected: String) {
        #expect(HTMLEscape.text(input) == expected)
    }
}
