// What imscJS shows: for each TTML file named on stdin (one a line), one JSON line
// {"file": ..., "events": [[t, ["p text", ...]], ...]} or {"file": ..., "error": ...}.
// Run by bench/conformance_imsc.py with NODE_PATH pointing at a folder holding imsc and sax.
"use strict";
const fs = require("fs");
// doc.js and isd.js only: main.js also loads the HTML renderer, which needs a browser.
const imsc = Object.assign({}, require("imsc/src/main/js/doc.js"), require("imsc/src/main/js/isd.js"));
const TTS = "http://www.w3.org/ns/ttml#styling ";

function paragraphText(p) {
  let out = "";
  function walk(node, hidden, inAnnotation) {
    const styles = node.styleAttrs || {};
    const vis = styles[TTS + "visibility"];
    const isHidden = vis === undefined ? hidden : vis === "hidden";
    if (node.kind === "br") { out += "\n"; return; }
    const ruby = styles[TTS + "ruby"];
    const annotation = node.kind === "span" && (ruby === "text" || ruby === "textContainer");
    const opens = annotation && !inAnnotation;
    if (opens) out += "(";
    if (node.kind === "span" && typeof node.text === "string" && !isHidden) out += node.text;
    for (const child of node.contents || []) walk(child, isHidden, inAnnotation || annotation);
    if (opens) out += ")";
  }
  walk(p, false, false);
  return out.replace(/\(\)/g, "");
}

function collect(node, found) {
  if (node.kind === "p") { const t = paragraphText(node); if (t.trim()) found.push(t); return; }
  for (const child of node.contents || []) collect(child, found);
}

const files = fs.readFileSync(0, "utf8").split("\n").filter(Boolean);
for (const file of files) {
  try {
    const doc = imsc.fromXML(fs.readFileSync(file, "utf8"), { error() {}, warn() {}, info() {}, fatal(m) { throw new Error(m); } });
    const events = [];
    if (doc) {
      for (const t of doc.getMediaTimeEvents()) {
        const isd = imsc.generateISD(doc, t, { error() {}, warn() {}, info() {}, fatal(m) { throw new Error(m); } });
        const found = [];
        for (const region of isd.contents) collect(region, found);
        events.push([t, found]);
      }
    }
    process.stdout.write(JSON.stringify({ file, events }) + "\n");
  } catch (e) {
    process.stdout.write(JSON.stringify({ file, error: String(e && e.message || e) }) + "\n");
  }
}
