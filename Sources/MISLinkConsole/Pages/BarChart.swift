/// A small inline SVG bar chart: groups of side-by-side bars, one per series, each bar with a
/// `<title>` that says its number, and a text legend. Colours come from the stylesheet's
/// `series-N` classes; the numbers are always in a table beside it too.
struct BarChart {
    struct Group {
        /// Under the bars (short: "14", "01 Dec").
        let label: String
        /// In each bar's title (full: "2026-12-01 14:00 UTC").
        let title: String
        let values: [Int]
    }

    let title: String
    let series: [String]
    let groups: [Group]

    private static let barWidth = 6, gap = 4, height = 120, top = 14, bottom = 30, left = 34

    var maximum: Int { groups.flatMap(\.values).max() ?? 0 }

    func svg(id: String) -> String {
        let groupWidth = series.count * Self.barWidth + Self.gap
        let width = Self.left + max(1, groups.count) * groupWidth + Self.gap
        let total = Self.top + Self.height + Self.bottom
        let scale = Double(Self.height) / Double(max(1, maximum))
        let base = Self.top + Self.height
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(total)" width="\(width * 2)" height="\(total * 2)" \
            role="img" aria-labelledby="\(id)-title"><title id="\(id)-title">\(HTML.esc(title))</title>
            <line class="axis" x1="\(Self.left - 2)" y1="\(base)" x2="\(width)" y2="\(base)"/>
            <line class="axis" x1="\(Self.left - 2)" y1="\(Self.top)" x2="\(Self.left - 2)" y2="\(base)"/>
            <text x="0" y="\(Self.top + 4)">\(maximum)</text><text x="0" y="\(base)">0</text>

            """
        // A label under every group would overlap on 30 days: about eight along the axis.
        let labelEvery = max(1, (groups.count + 7) / 8)
        for (index, group) in groups.enumerated() {
            let x = Self.left + index * groupWidth
            for (position, value) in group.values.enumerated() where value > 0 {
                let barHeight = max(1, Int((Double(value) * scale).rounded()))
                svg += "<rect class=\"series-\(position % 4)\" x=\"\(x + position * Self.barWidth)\" y=\"\(base - barHeight)\" "
                    + "width=\"\(Self.barWidth - 1)\" height=\"\(barHeight)\"><title>"
                    + HTML.esc("\(group.title): \(value) \(series[position])") + "</title></rect>\n"
            }
            if index % labelEvery == 0 {
                svg += "<text x=\"\(x)\" y=\"\(base + 14)\">\(HTML.esc(group.label))</text>\n"
            }
        }
        return svg + "</svg>"
    }

    func legend() -> String {
        var html = "<ul class=\"legend\">"
        for (position, name) in series.enumerated() {
            html += "<li><span class=\"swatch series-\(position % 4)\" aria-hidden=\"true\"></span>\(HTML.esc(name))</li>"
        }
        return html + "</ul>"
    }
}
