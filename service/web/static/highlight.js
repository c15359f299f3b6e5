// Pure functions behind the page: offsets, highlight layout, colours and CSV. No page state here,
// so the browser test can call them directly.

import { ARTICLE_COLUMNS, QUOTE_COLUMNS } from "./columns.js";

// The API counts offsets in Python code points; JS strings index UTF-16 units. Array.from walks
// code points, so an emoji or any astral character counts as one, exactly as in Python.
export function codePoints(text) {
  return Array.from(text);
}

export function sliceCodePoints(points, start, end) {
  return points.slice(start, end).join("");
}

// A span the page can draw: integer offsets inside the text and not empty; anything else is null.
export function validSpan(span, length) {
  if (!span || !Number.isInteger(span.start) || !Number.isInteger(span.end)) return null;
  const start = Math.max(0, span.start);
  const end = Math.min(length, span.end);
  return start < end ? { start, end } : null;
}

// Quotes first so that, at the same start, a quote wraps the mention or cue that begins with it.
const KIND_RANK = { quote: 0, speaker: 1, agency: 2, addressee: 3, cue: 4 };

// Lay the items ({start, end, kind, ...}) over the text as a tree of pieces:
//   {children: [...]}, each child either {text} or {item, continued, children}.
// Nested items nest. Crossing items (neither contains the other) cannot nest, so the inner one is
// closed where the outer one ends and reopened after it as a piece marked `continued`.
export function layoutSpans(points, items) {
  const spans = [];
  items.forEach((item, order) => {
    const span = validSpan(item, points.length);
    if (span) spans.push({ ...item, ...span, order });
  });
  const cuts = new Set([0, points.length]);
  const startingAt = new Map();
  const endingAt = new Map();
  for (const span of spans) {
    cuts.add(span.start);
    cuts.add(span.end);
    if (!startingAt.has(span.start)) startingAt.set(span.start, []);
    startingAt.get(span.start).push(span);
    if (!endingAt.has(span.end)) endingAt.set(span.end, new Set());
    endingAt.get(span.end).add(span);
  }
  const positions = [...cuts].sort((a, b) => a - b);

  const root = { children: [] };
  const stack = [{ node: root, span: null }];
  const open = (span, continued) => {
    const node = { item: span, continued, children: [] };
    stack[stack.length - 1].node.children.push(node);
    stack.push({ node, span });
  };

  for (let i = 0; i + 1 < positions.length; i++) {
    const at = positions[i];
    // Close what ends here; anything opened inside it and still running is reopened.
    const ending = endingAt.get(at);
    if (ending) {
      let left = ending.size;
      const reopen = [];
      while (left > 0) {
        const { span } = stack.pop();
        if (ending.has(span)) left--;
        else reopen.unshift(span);
      }
      reopen.forEach((span) => open(span, true));
    }
    // Open what starts here: longest first so it is the outermost.
    const starting = (startingAt.get(at) || []).slice().sort((a, b) =>
      b.end - a.end || KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.order - b.order);
    starting.forEach((span) => open(span, false));
    stack[stack.length - 1].node.children.push({ text: sliceCodePoints(points, at, positions[i + 1]) });
  }
  return root;
}

// Turn a layout tree into DOM: text nodes for text (never HTML), makeElement(item, continued) for pieces.
export function renderLayout(doc, tree, makeElement) {
  const fragment = doc.createDocumentFragment();
  const add = (parent, node) => {
    if ("text" in node) {
      parent.appendChild(doc.createTextNode(node.text));
      return;
    }
    const element = makeElement(node.item, node.continued);
    node.children.forEach((child) => add(element, child));
    parent.appendChild(element);
  };
  tree.children.forEach((child) => add(fragment, child));
  return fragment;
}

// Everything worth marking in the article for a result: quotes, and for each quote the speaker
// mention, cue, agency and addressee (mentions shared by several quotes are marked once).
export function highlightItems(result) {
  const items = [];
  const mentions = new Map();
  for (const quote of result.quotes || []) {
    // an interrupted quote is marked on its words only, not on the attribution between them
    const words = quote.fragments && quote.fragments.length ? quote.fragments : [quote];
    words.forEach((w, k) => items.push({ kind: "quote", start: w.start, end: w.end, quote, continued: k > 0 }));
    const speaker = quote.speaker;
    if (speaker && Number.isInteger(speaker.start)) {
      const key = `${speaker.start}:${speaker.end}:${speaker.name}`;
      if (mentions.has(key)) mentions.get(key).quoteIds.push(quote.id);
      else {
        const mention = { kind: "speaker", start: speaker.start, end: speaker.end, speaker, quoteIds: [quote.id] };
        mentions.set(key, mention);
        items.push(mention);
      }
    }
    for (const kind of ["cue", "agency", "addressee"]) {
      const part = quote[kind];
      if (part) items.push({ kind, start: part.start, end: part.end, quoteIds: [quote.id] });
    }
  }
  return items;
}

// Speakers in roster order (the API's, or first appearance), each with their quotes; quotes with
// no speaker come last in a group whose name is null.
export function speakerGroups(result) {
  const quotes = result.quotes || [];
  const byId = new Map(quotes.map((q) => [q.id, q]));
  const groups = [];
  const seen = new Set();
  for (const speaker of result.speakers || []) {
    const own = (speaker.quotes || []).map((id) => byId.get(id)).filter(Boolean);
    own.forEach((q) => seen.add(q.id));
    groups.push({ name: speaker.name, title: speaker.title, kind: speaker.kind, quotes: own });
  }
  // Defensive: a quote with a speaker missing from the roster still gets listed under its name.
  for (const quote of quotes) {
    if (seen.has(quote.id) || !quote.speaker) continue;
    let group = groups.find((g) => g.name === quote.speaker.name);
    if (!group) {
      group = { name: quote.speaker.name, title: quote.speaker.title, kind: quote.speaker.kind, quotes: [] };
      groups.push(group);
    }
    group.quotes.push(quote);
    seen.add(quote.id);
  }
  const unattributed = quotes.filter((q) => !seen.has(q.id));
  if (unattributed.length) groups.push({ name: null, title: null, kind: null, quotes: unattributed });
  return groups;
}

// Twelve hues 30 degrees apart, ordered so that neighbours in the roster differ most; light enough
// for black text. Speakers after the twelfth reuse the hues in a deeper shade.
const HUES = [48, 200, 330, 130, 270, 20, 175, 90, 300, 235, 0, 155];

export function speakerColour(index) {
  const hue = HUES[index % HUES.length];
  const lightness = Math.floor(index / HUES.length) % 2 === 0 ? 84 : 72;
  return {
    fill: `hsl(${hue} 85% ${lightness}%)`,
    edge: `hsl(${hue} 70% 30%)`,
  };
}

// The CLI's Parquet columns as [name, path into a quote], generated by the service from its one
// definition of a quote (service/nlp/records.py), so the page keeps no copy of them. The article
// columns (url, date, source) come from a bulk input's fields: a pasted article has none.
export const CSV_COLUMNS = ["article_id", ...QUOTE_COLUMNS.map(([name]) => name), ...ARTICLE_COLUMNS];

export function quoteRows(result) {
  return (result.quotes || []).map((quote) => Object.fromEntries([
    ["article_id", result.id],
    ...QUOTE_COLUMNS.map(([name, path]) => [name, valueAt(quote, path)]),
    ...ARTICLE_COLUMNS.map((name) => [name, null]),
  ]));
}

function valueAt(value, path) {
  for (const key of path) {
    if (value === null || value === undefined) return null;
    value = value[key];
  }
  return Array.isArray(value) ? JSON.stringify(value) : value;  // a list is one cell of JSON, as in Parquet
}

// Spreadsheets run cells starting with these as formulas; article text is untrusted, so such
// cells get a leading apostrophe (the JSON export keeps the exact text).
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value) {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows, columns = CSV_COLUMNS) {
  const lines = [columns.join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(","));
  return lines.join("\r\n") + "\r\n";
}

// Error JSON ({code, status, message, errors}) to readable lines: "text: Field may not be empty."
export function errorDetails(errors) {
  const lines = [];
  const walk = (value, path) => {
    if (Array.isArray(value)) value.forEach((v) => (typeof v === "object" && v !== null ? walk(v, path) : lines.push(path ? `${path}: ${v}` : String(v))));
    else if (value && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) {
        // flask-smorest nests field errors under the location ("json"), which means nothing to a reader.
        walk(inner, key === "json" && !path ? "" : path ? `${path}.${key}` : key);
      }
    } else if (value !== undefined && value !== null) lines.push(path ? `${path}: ${value}` : String(value));
  };
  walk(errors, "");
  return lines;
}
