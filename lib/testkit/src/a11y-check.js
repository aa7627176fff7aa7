// An axe-style accessibility check run inside the page (plain browser JS, evaluated by
// playwright as one expression; nothing is fetched). It returns a list of problems, empty when
// the page passes:
//   - the document has a language and a title
//   - every form control has a label (label element, aria-label, aria-labelledby or title)
//   - every button and link has a name; every img has alt; every role=img has a name
//   - ids are unique; aria-describedby / aria-labelledby / label[for] point at existing ids
//   - visible text contrasts with its background by at least 4.5:1 (3:1 for large text),
//     computed from the computed styles, backgrounds composited up the ancestor chain
(() => {
  const problems = [];
  const describe = (el) => {
    const id = el.id ? `#${el.id}` : "";
    const cls = el.classList.length ? `.${[...el.classList].join(".")}` : "";
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return `<${el.tagName.toLowerCase()}${id}${cls}>${text ? ` "${text}"` : ""}`;
  };
  const byIds = (list) =>
    (list || "")
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id));
  const nameOf = (el) => {
    const labelled = byIds(el.getAttribute("aria-labelledby"))
      .map((x) => (x ? x.textContent.trim() : ""))
      .join(" ")
      .trim();
    if (labelled) return labelled;
    const aria = (el.getAttribute("aria-label") || "").trim();
    if (aria) return aria;
    if (el.labels?.length) return [...el.labels].map((l) => l.textContent.trim()).join(" ");
    if (el.tagName === "INPUT" && ["submit", "button", "reset"].includes(el.type))
      return el.value || el.type;
    const title = (el.getAttribute("title") || "").trim();
    if (title) return title;
    const alts = [...el.querySelectorAll("img[alt]")].map((i) => i.alt).join(" ");
    return `${el.textContent || ""} ${alts}`.trim();
  };

  if (!document.documentElement.lang) problems.push("html has no lang attribute");
  if (!document.title.trim()) problems.push("document has no title");

  const seen = new Map();
  for (const el of document.querySelectorAll("[id]")) {
    if (seen.has(el.id)) problems.push(`duplicate id "${el.id}"`);
    seen.set(el.id, el);
  }
  for (const el of document.querySelectorAll("[aria-describedby],[aria-labelledby]")) {
    const refs = `${el.getAttribute("aria-describedby") || ""} ${el.getAttribute("aria-labelledby") || ""}`;
    for (const id of refs.split(/\s+/).filter(Boolean))
      if (!document.getElementById(id))
        problems.push(`${describe(el)} refers to missing id "${id}"`);
  }
  for (const l of document.querySelectorAll("label[for]"))
    if (!document.getElementById(l.htmlFor)) problems.push(`label for missing id "${l.htmlFor}"`);

  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.type === "hidden") continue;
    if (!nameOf(el)) problems.push(`form control without a label: ${describe(el)}`);
  }
  for (const el of document.querySelectorAll(
    "button, [role=button], input[type=submit], input[type=button], input[type=reset]",
  ))
    if (!nameOf(el)) problems.push(`button without a name: ${describe(el)}`);
  for (const el of document.querySelectorAll("a[href]"))
    if (!nameOf(el)) problems.push(`link without a name: ${describe(el)}`);
  for (const el of document.querySelectorAll("img:not([alt])"))
    problems.push(`img without alt: ${el.getAttribute("src")}`);
  for (const el of document.querySelectorAll("[role=img]"))
    if (!nameOf(el)) problems.push(`role=img without a name: ${describe(el)}`);

  const parse = (c) => {
    let m = /^rgba?\(([^)]+)\)$/.exec(c);
    if (m) {
      const p = m[1]
        .split(/[\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    }
    m = /^color\(srgb ([^)]+)\)$/.exec(c);
    if (m) {
      const p = m[1]
        .split(/[\s/]+/)
        .filter(Boolean)
        .map(Number);
      return [p[0] * 255, p[1] * 255, p[2] * 255, p.length > 3 ? p[3] : 1];
    }
    return null;
  };
  const over = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1);
  };
  const canvas = () => {
    const dark =
      getComputedStyle(document.documentElement).colorScheme.includes("dark") &&
      matchMedia("(prefers-color-scheme: dark)").matches;
    return dark ? [18, 18, 18, 1] : [255, 255, 255, 1];
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) layers.push(c);
      if (c && c[3] >= 1) break;
    }
    let bg = canvas();
    for (const layer of layers.reverse()) bg = over(layer, bg);
    return bg;
  };
  const luminance = (c) => {
    const ch = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const checked = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || checked.has(el) || !n.textContent.trim()) continue;
    checked.add(el);
    if (el.closest("script, style, noscript, [hidden], [aria-hidden=true]")) continue;
    if (el.closest("button:disabled, input:disabled, option")) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) continue;
    if (
      !el.checkVisibility({
        opacityProperty: true,
        visibilityProperty: true,
        contentVisibilityAuto: true,
      })
    )
      continue;
    const style = getComputedStyle(el);
    const fg = parse(style.color);
    if (!fg) {
      problems.push(`unparsed colour ${style.color} on ${describe(el)}`);
      continue;
    }
    const bg = background(el);
    const value = ratio(over(fg, bg), bg);
    const size = Number.parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const need = large ? 3 : 4.5;
    if (value < need)
      problems.push(
        `contrast ${value.toFixed(2)} < ${need} on ${describe(el)} (${style.color} on rgb(${bg.slice(0, 3).map(Math.round).join(",")}))`,
      );
  }
  return problems;
})();
