// The in-page checks of console_check.py, run through Runtime.evaluate (not subject to the page's
// CSP). Answers {problems: [text], links: {nav: [href], main: [href]}, hostile: {asText, asElement}}.
// The basics of WCAG 2.2 AA that a machine can tell: labels, th scope, landmarks, text contrast,
// visible focus.
(() => {
  const problems = [];
  const describe = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += "#" + el.id;
    if (typeof el.className === "string" && el.className.trim()) text += "." + el.className.trim().split(/\s+/).join(".");
    return text;
  };
  const snippet = (text) => JSON.stringify(text.replace(/\s+/g, " ").trim().slice(0, 50));

  // Landmarks.
  if (!document.querySelector("main, [role=main]")) problems.push("no main landmark (<main>)");
  if (!document.querySelector("nav, [role=navigation]") && !location.pathname.startsWith("/login")) {
    problems.push("no nav landmark (<nav>)");
  }

  // Every form control a person fills in has a label with text (or an aria-label).
  for (const el of document.querySelectorAll("input, select, textarea")) {
    const type = (el.getAttribute("type") || "").toLowerCase();
    if (["hidden", "submit", "button", "reset", "image"].includes(type)) continue;
    const labelled = [...(el.labels || [])].some((label) => label.textContent.trim())
      || (el.getAttribute("aria-label") || "").trim()
      || (el.getAttribute("aria-labelledby") || "").split(/\s+/).some((id) => {
        const target = id && document.getElementById(id);
        return target && target.textContent.trim();
      });
    if (!labelled) {
      problems.push(`a ${el.tagName.toLowerCase()}${type ? ` type=${type}` : ""}${el.name ? ` named '${el.name}'` : ""} has no label`);
    }
  }

  // Every table header says what it heads.
  for (const th of document.querySelectorAll("th:not([scope])")) {
    problems.push(`a th without scope: ${snippet(th.textContent)}`);
  }

  // Contrast: each visible text's colour against the background it is actually drawn on.
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  // Any CSS colour (rgb, oklch, color-mix, named) to [r, g, b, a], as the browser paints it.
  const rgba = (css) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = "rgba(0, 0, 0, 0)";
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2], d[3] / 255];
  };
  const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  // The canvas behind everything: Chromium paints it #121212 where the root's used colour scheme is
  // dark (from the color-scheme property, else the <meta name=color-scheme>), white otherwise.
  const declared = (() => {
    const property = getComputedStyle(document.documentElement).colorScheme;
    if (property && property !== "normal") return property;
    const meta = document.querySelector("meta[name=color-scheme]");
    return meta ? meta.content : "normal";
  })().split(/[\s,]+/);
  const darkCanvas = declared.includes("dark")
    && (!declared.includes("light") || matchMedia("(prefers-color-scheme: dark)").matches);
  const canvasColor = darkCanvas ? [18, 18, 18, 1] : [255, 255, 255, 1];
  // The opaque colour behind `el`, or null where an image or gradient makes it unknowable here.
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.backgroundImage !== "none") return null;
      const color = rgba(style.backgroundColor);
      if (color[3] > 0) layers.push(color);
      if (color[3] >= 1) break;
    }
    let result = canvasColor;
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const luminance = ([r, g, b]) => {
    const [R, G, B] = [r, g, b].map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const hex = (c) => "#" + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");

  const visible = (el, rects) => {
    if (![...rects].some((r) => r.width > 1 && r.height > 1)) return false;  // hidden, or visually-hidden
    for (let e = el; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.visibility === "hidden" || style.opacity === "0") return false;
    }
    return true;
  };
  const checked = new Set();
  const failures = new Map();
  const check = (el, rects, text) => {
    if (checked.has(el)) return;
    checked.add(el);
    if (el.closest(":disabled") || !visible(el, rects)) return;
    const style = getComputedStyle(el);
    const isSVG = el instanceof SVGElement;
    const paint = isSVG ? style.fill : style.color;
    if (!paint || paint === "none" || paint.startsWith("url(")) return;
    const bg = background(isSVG ? el.closest("svg").parentElement : el);
    if (!bg) return;
    let fg = rgba(paint);
    if (isSVG) fg[3] *= parseFloat(style.fillOpacity || "1");
    fg = over(fg, bg);
    const value = ratio(fg, bg);
    if (value < 4.5) {
      const key = `${describe(el)} ${hex(fg)} on ${hex(bg)}`;
      if (!failures.has(key)) failures.set(key, `contrast ${value.toFixed(2)}:1 < 4.5:1: ${key} (${snippet(text)})`);
    }
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!node.textContent.trim() || !parent || parent.closest("script, style, noscript, title")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    check(parent, range.getClientRects(), node.textContent);
  }
  for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
    if (el.value) check(el, el.getClientRects(), el.value);
  }
  problems.push(...[...failures.values()].slice(0, 20));
  if (failures.size > 20) problems.push(`… and ${failures.size - 20} more contrast failures`);

  // Visible focus: each control looks different once focused (an outline, a shadow, a colour), so
  // a keyboard user can see where they are. Programmatic focus with no pointer used counts as
  // keyboard focus, so :focus-visible styles apply.
  const look = (el) => {
    const style = getComputedStyle(el);
    return [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow, style.borderColor,
      style.backgroundColor, style.color, style.textDecorationLine].join("|");
  };
  const focusable = [...document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex='-1'])")]
    .filter((el) => !el.matches(":disabled") && visible(el, el.getClientRects()));
  const unfocused = new Map();
  for (const el of focusable.slice(0, 300)) {
    const before = look(el);
    el.focus({ preventScroll: true, focusVisible: true });
    if (document.activeElement !== el) continue;
    const after = look(el);
    el.blur();
    if (before === after && !unfocused.has(describe(el))) {
      unfocused.set(describe(el), `no visible focus on ${describe(el)} (${snippet(el.textContent || el.name || "")})`);
    }
  }
  problems.push(...[...unfocused.values()].slice(0, 10));

  // Links to follow: same origin, GET by nature; never the sign-out or sign-in.
  const links = (selector) => [...document.querySelectorAll(selector)]
    .map((a) => new URL(a.getAttribute("href"), location.href))
    .filter((url) => url.origin === location.origin && !["/logout", "/login"].includes(url.pathname))
    .map((url) => url.pathname + url.search);
  const hostileName = "<img src=x onerror=alert(1)>";
  return {
    problems,
    links: { nav: links("nav a[href]"), main: links("main a[href]") },
    hostile: {
      asText: document.body.innerText.includes(hostileName),
      asElement: document.querySelectorAll('img[src="x"]').length > 0,
    },
  };
})()
