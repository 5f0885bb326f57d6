// Accessibility and layout rules run inside the page (axe-core is not available offline):
// a small set of the same checks, returning one line per failure.
// Used by tests/test_report_html.py through Playwright's page.evaluate.
() => {
  const failures = [];
  const describe = (el) => {
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className ? "." + String(el.className).split(" ").join(".") : ""}> "${text}"`;
  };
  const visible = (el) => {
    const style = getComputedStyle(el);
    return el.getClientRects().length > 0 && style.visibility !== "hidden" && style.display !== "none";
  };

  // 1. The page says its language.
  const lang = document.documentElement.getAttribute("lang") || "";
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang)) failures.push(`html has no valid lang attribute: "${lang}"`);
  for (const el of document.querySelectorAll("[lang]")) {
    if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(el.getAttribute("lang"))) failures.push(`bad lang on ${describe(el)}`);
  }

  // 2. Images have a text alternative.
  for (const img of document.querySelectorAll("img")) {
    const alt = img.getAttribute("alt");
    if (alt === null || (alt.trim() === "" && img.getAttribute("role") !== "presentation")) failures.push(`image without alt: ${describe(img)}`);
  }

  // 3. Form controls are labelled.
  for (const control of document.querySelectorAll("input:not([type=hidden]), select, textarea, button")) {
    const labelled =
      (control.getAttribute("aria-label") || "").trim() ||
      control.getAttribute("aria-labelledby") ||
      (control.id && document.querySelector(`label[for="${CSS.escape(control.id)}"]`)) ||
      control.closest("label") ||
      (control.tagName === "BUTTON" && control.textContent.trim()) ||
      (control.getAttribute("title") || "").trim();
    if (!labelled) failures.push(`form control without a label: ${describe(control)}`);
  }

  // 4. Headings in order: one h1 first, never a level skipped going down.
  const headings = Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6")).filter(visible);
  let previous = 0;
  for (const heading of headings) {
    const level = Number(heading.tagName[1]);
    if (previous === 0 && level !== 1) failures.push(`first heading is not h1: ${describe(heading)}`);
    if (previous !== 0 && level > previous + 1) failures.push(`heading level skipped (h${previous} then h${level}): ${describe(heading)}`);
    previous = level;
  }
  if (headings.filter((h) => h.tagName === "H1").length !== 1) failures.push("the page should have exactly one h1");

  // 5. Text contrast at least 4.5:1, from the computed colours (opacity and translucent
  //    backgrounds composed; every colour stop of a gradient background tried).
  const parse = (value) => {
    const m = value.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const parts = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const over = (top, under) => ({
    r: top.a * top.r + (1 - top.a) * under.r,
    g: top.a * top.g + (1 - top.a) * under.g,
    b: top.a * top.b + (1 - top.a) * under.b,
    a: 1,
  });
  const luminance = (c) => {
    const channel = (v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const backgrounds = (el) => {
    const chain = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) chain.unshift(node);
    let candidates = [{ r: 255, g: 255, b: 255, a: 1 }];
    for (const node of chain) {
      const style = getComputedStyle(node);
      const image = style.backgroundImage;
      if (image && image !== "none" && image.includes("gradient")) {
        const stops = (image.match(/rgba?\([^)]+\)/g) || []).map(parse).filter(Boolean);
        if (stops.length) candidates = stops.flatMap((stop) => candidates.map((c) => over(stop, c)));
      }
      const colour = parse(style.backgroundColor);
      if (colour && colour.a > 0 && !(image && image.includes("gradient"))) candidates = candidates.map((c) => over(colour, c));
    }
    return candidates;
  };
  const opacity = (el) => {
    let value = 1;
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) value *= Number(getComputedStyle(node).opacity);
    return value;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || seen.has(el) || !visible(el)) continue;
    if (["SCRIPT", "STYLE", "TITLE"].includes(el.tagName)) continue;
    seen.add(el);
    const style = getComputedStyle(el);
    const fg = parse(style.color);
    fg.a *= opacity(el);
    for (const bg of backgrounds(el)) {
      const value = ratio(over(fg, bg), bg);
      if (value < 4.5) {
        failures.push(`contrast ${value.toFixed(2)}:1 below 4.5:1: ${describe(el)} (${style.color} on rgb(${Math.round(bg.r)}, ${Math.round(bg.g)}, ${Math.round(bg.b)}))`);
        break;
      }
    }
  }

  // 6. No horizontal scrolling, and nothing wider than the card (section) it is in.
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) failures.push(`the page scrolls sideways: ${root.scrollWidth}px wide in a ${root.clientWidth}px window`);
  for (const el of document.querySelectorAll("section table, section img, section pre, section ul")) {
    const card = el.closest("section").getBoundingClientRect();
    const box = el.getBoundingClientRect();
    if (box.right > card.right + 0.5 || box.left < card.left - 0.5) failures.push(`spills out of its card: ${describe(el)} (${Math.round(box.width)}px in ${Math.round(card.width)}px)`);
  }
  return failures;
}
