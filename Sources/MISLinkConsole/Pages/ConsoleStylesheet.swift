import MISLinkSync

/// The console's one stylesheet, served from the console itself (`default-src 'self'` allows it; no
/// inline style anywhere). Its URL carries the build's version, so it may be cached for a year: a new
/// build links a new URL.
///
/// Contrast ratios (WCAG 2.x relative luminance, computed, all at least 4.5:1):
/// light — text #1b1f24 on #ffffff 16.6, on surface #f3f4f6 15.1; muted #4b5563 7.6 / 6.9;
///   link and buttons #0b57d0 6.4 / 5.8 (white on #0b57d0 6.4); bad #a4161a 7.8 / 7.1;
///   ok #1b6e2e 6.3 / 5.8; warn #8a4b00 6.8 / 6.2.
/// dark — text #e6e8eb on #111418 15.0, on surface #1c2128 13.2; muted #aab2bd 8.6 / 7.6;
///   link and buttons #8ab4f8 8.8 / 7.7 (#111418 on #8ab4f8 8.8); bad #ff9b94 9.1 / 8.0;
///   ok #7fd491 10.3 / 9.0; warn #f2c46d 11.3 / 9.9.
enum ConsoleStylesheet {
    static let path = "/assets/console-\(MISLinkVersion.current).css"

    static let text = """
        :root {
          color-scheme: light dark;
          --bg: #ffffff; --surface: #f3f4f6; --text: #1b1f24; --muted: #4b5563; --line: #6b7280;
          --accent: #0b57d0; --on-accent: #ffffff; --bad: #a4161a; --ok: #1b6e2e; --warn: #8a4b00;
          --bar-ok: #1b6e2e; --bar-bad: #a4161a; --bar-3: #0b57d0; --bar-4: #8a4b00;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #111418; --surface: #1c2128; --text: #e6e8eb; --muted: #aab2bd; --line: #8b949e;
            --accent: #8ab4f8; --on-accent: #111418; --bad: #ff9b94; --ok: #7fd491; --warn: #f2c46d;
            --bar-ok: #7fd491; --bar-bad: #ff9b94; --bar-3: #8ab4f8; --bar-4: #f2c46d;
          }
        }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--text);
          font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        a { color: var(--accent); }
        :focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        .skip { position: absolute; left: -10000px; top: 0; }
        .skip:focus { left: 0.5rem; top: 0.5rem; background: var(--bg); padding: 0.5rem; z-index: 10; }
        header { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem; padding: 0.5rem 1rem;
          background: var(--surface); border-bottom: 1px solid var(--line); }
        header .brand { font-weight: 700; margin-right: 1rem; }
        nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; list-style: none; margin: 0; padding: 0; }
        nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
        header form { margin-left: auto; }
        main { padding: 1rem; max-width: 80rem; }
        h1 { font-size: 1.6rem; margin: 0.5rem 0 1rem; }
        h2 { font-size: 1.25rem; margin: 1.5rem 0 0.5rem; }
        table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
        caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
        th, td { text-align: left; padding: 0.25rem 0.75rem 0.25rem 0; border-bottom: 1px solid var(--line);
          vertical-align: top; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        .muted { color: var(--muted); }
        .notice { padding: 0.5rem 0.75rem; border: 2px solid var(--ok); color: var(--text); }
        .notice.error { border-color: var(--bad); }
        .status-bad, .status-failed, .status-error { color: var(--bad); font-weight: 600; }
        .status-ok, .status-succeeded, .status-on { color: var(--ok); font-weight: 600; }
        .status-warn, .status-pending, .status-retryable, .status-off, .status-paused { color: var(--warn); font-weight: 600; }
        .cards { display: flex; flex-wrap: wrap; gap: 0.75rem; list-style: none; padding: 0; }
        .cards li { background: var(--surface); border: 1px solid var(--line); padding: 0.5rem 0.75rem; min-width: 12rem; }
        .cards .count { display: block; font-size: 1.5rem; font-weight: 700; }
        .tabs { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; list-style: none; padding: 0; }
        .tabs a[aria-current="page"] { font-weight: 700; }
        form.inline { display: inline; }
        form.filters { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; margin: 0.5rem 0; }
        form.filters label { display: flex; flex-direction: column; font-size: 0.9rem; }
        input, select, button { font: inherit; color: var(--text); background: var(--bg);
          border: 1px solid var(--line); padding: 0.2rem 0.4rem; }
        button { background: var(--accent); color: var(--on-accent); border-color: var(--accent); cursor: pointer; }
        button.danger { background: var(--bad); border-color: var(--bad); color: var(--bg); }
        .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0.5rem 0; }
        pre { background: var(--surface); padding: 0.5rem; overflow-x: auto; max-width: 100%; white-space: pre-wrap; }
        .chart { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
        .chart svg { max-width: 100%; height: auto; background: var(--surface); border: 1px solid var(--line); }
        .chart .axis { stroke: var(--line); }
        .chart text { fill: var(--text); font-size: 10px; }
        .series-0 { fill: var(--bar-ok); }
        .series-1 { fill: var(--bar-bad); }
        .series-2 { fill: var(--bar-3); }
        .series-3 { fill: var(--bar-4); }
        .legend { list-style: none; padding: 0; display: flex; gap: 1rem; }
        .legend .swatch { display: inline-block; width: 0.9rem; height: 0.9rem; margin-right: 0.3rem;
          vertical-align: middle; border: 1px solid var(--line); }
        .swatch.series-0 { background: var(--bar-ok); }
        .swatch.series-1 { background: var(--bar-bad); }
        .swatch.series-2 { background: var(--bar-3); }
        .swatch.series-3 { background: var(--bar-4); }
        .table-scroll { max-height: 24rem; overflow-y: auto; }

        """
}
