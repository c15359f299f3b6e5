// The page: send the article to the public API (POST /v1/quotes) and show who said what.
import {
  codePoints, layoutSpans, renderLayout, highlightItems, speakerGroups, speakerColour,
  quoteRows, toCsv, errorDetails, sliceCodePoints,
} from "./highlight.js";

// Relative, so the page also works when the service is mounted under a path prefix.
const API_URL = "v1/quotes";
const TIMEOUT_MS = 120000;
const TYPES = ["direct", "mixed", "indirect"];

const $ = (id) => document.getElementById(id);
const form = $("extract-form");
const textArea = $("article-text");
const fileInput = $("file-input");
const dropZone = $("drop-zone");
const extractButton = $("extract-button");
const statusLine = $("status");
const errorBox = $("error");
const results = $("results");
const articleView = $("article-view");
const summary = $("summary");
const warningLine = $("warning");
const roster = $("roster");
const card = $("quote-card");
const details = $("quote-details");

let current = null; // {text, result, posted} of the last successful extraction

// The kinds (what a quote attributes) are defined once, by the API: the page takes their names and
// order from its OpenAPI document, and also shows any kind a result holds. A reader's choice of
// hidden kinds holds for the next article too.
const kindOptions = $("kind-options");
const hiddenKinds = new Set();
let kindOrder = [];
fetch("openapi.json")
  .then((response) => (response.ok ? response.json() : null))
  .then((spec) => {
    const kinds = spec && spec.components.schemas.Quote.properties.kind.enum;
    if (!Array.isArray(kinds)) return;
    kindOrder = kinds;
    if (current) renderKindOptions(current.result.quotes);
  })
  .catch(() => {});

// Pasted or dropped markup goes to the API as `html`: it starts with a tag and closes one (so a
// text that merely begins with "<img ...>" stays text). The API then returns the article text it
// extracted, which is what the page shows highlighted.
function looksLikeHtml(value) {
  return /^\s*</.test(value) && /<\/[a-z][a-z0-9]*\s*>|<br\s*\/?>/i.test(value);
}

// ---- small DOM helpers (text always goes in as text nodes, never as HTML) ----

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function shorten(text, limit) {
  const points = codePoints(text);
  return points.length > limit ? `${sliceCodePoints(points, 0, limit - 1).trimEnd()}…` : text;
}

function setStatus(message) {
  statusLine.textContent = message;
}

function showError(title, lines = []) {
  errorBox.replaceChildren(el("strong", {}, title));
  if (lines.length) errorBox.append(el("ul", {}, ...lines.map((line) => el("li", {}, line))));
  errorBox.hidden = false;
}

function clearError() {
  errorBox.hidden = true;
  errorBox.replaceChildren();
}

// ---- calling the API ----

class ApiError extends Error {
  constructor(title, lines = []) {
    super(title);
    this.lines = lines;
  }
}

function sizeLabel(text) {
  const bytes = new TextEncoder().encode(JSON.stringify({ text })).length;
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function describeFailure(status, body, text) {
  const message = body && typeof body.message === "string" ? body.message : "";
  const lines = errorDetails(body && body.errors);
  if (status === 413) {
    return new ApiError(`The article is too large for the service (${sizeLabel(text)} sent). Shorten it or split it into parts.`,
      message ? [message] : []);
  }
  if (status === 422) {
    return new ApiError("The service could not accept this text.", lines.length ? lines : [message].filter(Boolean));
  }
  if (status === 401 || status === 403) {
    $("api-key-row").hidden = false;
    return new ApiError(status === 401
      ? "This service needs an API key. Enter it in the API key field and press Extract quotes again."
      : "The service refused this API key.", [message].filter(Boolean));
  }
  if (status === 400 || status === 415) {
    return new ApiError(`The service did not understand the request (${status}).`, [message].filter(Boolean));
  }
  if (status === 504) {
    return new ApiError("The service gave up on this article: it took too long (504). Try a shorter text.", [message].filter(Boolean));
  }
  if (status === 429 || status === 503) {
    return new ApiError(`The service is busy or still starting (${status}). Try again in a moment.`, [message].filter(Boolean));
  }
  return new ApiError(`The service failed (${status}). Try again; if it keeps failing, report it.`, [message].filter(Boolean));
}

async function requestQuotes(text) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  const apiKey = $("api-key").value.trim();
  if (apiKey) headers["X-API-Key"] = apiKey;
  let response;
  try {
    response = await fetch(API_URL, {
      method: "POST",
      headers,
      body: JSON.stringify(looksLikeHtml(text) ? { html: text } : { text }),
      signal: controller.signal,
    });
  } catch {
    if (controller.signal.aborted) {
      throw new ApiError(`The service did not answer within ${TIMEOUT_MS / 1000} seconds. Try a shorter article or try again later.`);
    }
    throw new ApiError("Could not reach the Quotewire service. Check your connection and that the service is running, then try again.");
  } finally {
    clearTimeout(timer);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null; // not JSON (a proxy's error page, say): the status alone tells what happened
  }
  if (!response.ok) throw describeFailure(response.status, body, text);
  if (!body || !Array.isArray(body.quotes)) {
    throw new ApiError("The service answered with something that is not a quote result.");
  }
  return body;
}

// ---- drawing the result ----

function typeLabel(type) {
  return { direct: "direct quote", mixed: "mixed quote", indirect: "indirect (reported) speech" }[type] || type;
}

function kindLabel(kind) {
  return String(kind).replace(/_/g, " ");
}

function speakerLabel(speaker) {
  if (!speaker) return "no speaker found";
  return speaker.title ? `${speaker.name}, ${speaker.title}` : speaker.name;
}

// The facts shown for a quote, as [label, value] pairs (used by the card and the screen-reader text).
function quoteFacts(quote) {
  const speaker = quote.speaker;
  const facts = [["Speaker", speakerLabel(speaker)]];
  if (speaker && speaker.text && speaker.text !== speaker.name) facts.push(["Mentioned as", `“${speaker.text}”`]);
  facts.push(["Cue", quote.cue ? quote.cue.text : "—"]);
  facts.push(["Agency", quote.agency ? quote.agency.name : "—"]);
  facts.push(["Addressee", quote.addressee ? quote.addressee.text : "—"]);
  facts.push(["Type", quote.type]);
  facts.push(["Kind", quote.kind ? kindLabel(quote.kind) : "—"]);
  facts.push(["Rule", quote.rule || "—"]);
  facts.push(["Confidence", typeof quote.confidence === "number" ? `${Math.round(quote.confidence * 100)}%` : "—"]);
  return facts;
}

function colourOf(quote, colours) {
  return quote.speaker ? colours.get(quote.speaker.name) : null;
}

function paint(node, colour) {
  if (!colour) return;
  node.style.setProperty("--fill", colour.fill);
  node.style.setProperty("--edge", colour.edge);
}

function makePiece(colours) {
  return (item, continued) => {
    if (item.kind === "quote") {
      const quote = item.quote;
      const mark = el("mark", { class: `quote type-${quote.type}`, "data-quote": quote.id, "data-type": quote.type,
        "data-kind": quote.kind || "" });
      if (!quote.speaker) mark.classList.add("unattributed");
      paint(mark, colourOf(quote, colours));
      if (!continued && !item.continued) {
        // Only the first piece of a quote takes focus; the rest light up with it.
        mark.tabIndex = 0;
        mark.id = `quote-${quote.id}`;
        mark.setAttribute("aria-describedby", `details-${quote.id}`);
        mark.setAttribute("aria-label", `${typeLabel(quote.type)} by ${quote.speaker ? quote.speaker.name : "unknown speaker"}: ${quote.text}`);
      } else {
        mark.classList.add("continued");
      }
      return mark;
    }
    const span = el("span", { class: `part part-${item.kind}`, "data-for": item.quoteIds.join(" ") });
    if (item.kind === "speaker") paint(span, colours.get(item.speaker.name));
    return span;
  };
}

function renderDetails(quotes) {
  details.replaceChildren(...quotes.map((quote) =>
    el("div", { id: `details-${quote.id}` }, quoteFacts(quote).map(([k, v]) => `${k}: ${v}.`).join(" "))));
}

function renderArticle(text, result, colours) {
  const points = codePoints(text);
  const tree = layoutSpans(points, highlightItems(result));
  articleView.replaceChildren(renderLayout(document, tree, makePiece(colours)));
}

function renderRoster(groups, colours) {
  if (!groups.length) {
    roster.replaceChildren(el("li", { class: "empty" }, "No quotes found in this text."));
    return;
  }
  roster.replaceChildren(...groups.map((group) => {
    const swatch = el("span", { class: "swatch", "aria-hidden": "true" });
    paint(swatch, group.name ? colours.get(group.name) : null);
    const head = el("div", { class: "speaker-head" }, swatch,
      el("span", { class: "speaker-name" }, group.name || "No speaker found"),
      el("span", { class: "count" }, ` (${group.quotes.length})`));
    const meta = group.title || group.kind ? el("div", { class: "speaker-meta" },
      [group.title, group.kind && group.kind !== "person" ? group.kind : null].filter(Boolean).join(" · ")) : null;
    const items = group.quotes.map((quote) => el("li", { "data-type": quote.type, "data-kind": quote.kind || "" },
      el("button", { type: "button", class: "jump", "data-quote": quote.id },
        el("span", { class: `badge type-${quote.type}` }, quote.type), ` “${shorten(quote.text, 90)}”`)));
    return el("li", { class: "speaker", "data-speaker": group.name || "" }, head, meta, el("ol", { class: "speaker-quotes" }, ...items));
  }));
}

function renderTypeCounts(quotes) {
  for (const type of TYPES) {
    $(`count-${type}`).textContent = String(quotes.filter((q) => q.type === type).length);
  }
}

// Every kind the API defines, then any other kind the quotes hold, in that order.
function kindsOf(quotes) {
  const kinds = [...kindOrder];
  for (const quote of quotes) if (quote.kind && !kinds.includes(quote.kind)) kinds.push(quote.kind);
  return kinds;
}

function renderKindOptions(quotes) {
  kindOptions.replaceChildren(...kindsOf(quotes).map((kind) => {
    const box = el("input", { type: "checkbox", id: `show-kind-${kind}`, "data-kind": kind });
    box.checked = !hiddenKinds.has(kind);
    box.addEventListener("change", () => {
      if (box.checked) hiddenKinds.delete(kind);
      else hiddenKinds.add(kind);
      applyFilters();
    });
    const count = quotes.filter((q) => q.kind === kind).length;
    return el("label", {}, box, " ", el("span", { class: "badge" }, kindLabel(kind)), " ",
      el("span", { id: `count-kind-${kind}` }, String(count)));
  }));
}

function renderResult(text, result) {
  const groups = speakerGroups(result);
  const colours = new Map(groups.filter((g) => g.name).map((g, i) => [g.name, speakerColour(i)]));
  current = { text, result, colours };
  hideCard();
  renderArticle(text, result, colours);
  renderDetails(result.quotes);
  renderRoster(groups, colours);
  renderTypeCounts(result.quotes);
  renderKindOptions(result.quotes);
  applyFilters();
  const count = result.quotes.length;
  const named = colours.size;
  const meta = result.meta || {};
  const timing = typeof meta.elapsed_ms === "number" ? ` in ${Math.round(meta.elapsed_ms)} ms` : "";
  const found = `Found ${count} ${count === 1 ? "quote" : "quotes"} from ${named} ${named === 1 ? "speaker" : "speakers"}${timing}.`;
  const model = meta.model ? ` Model: ${[meta.model, meta.model_version].filter(Boolean).join(" ")}.` : "";
  summary.textContent = (count ? `${found} Hover, tap or tab to a highlight for details.` : found) + model;
  // The engine reads English only: a text in another language comes back empty, and says why.
  warningLine.textContent = meta.warning || "";
  warningLine.hidden = !meta.warning;
  results.hidden = false;
  results.classList.remove("stale");
  return found;
}

// ---- quote card (hover / focus) ----

let activeQuote = null;

function setActive(quoteId, on) {
  const id = CSS.escape(quoteId);
  articleView.querySelectorAll(`[data-quote="${id}"], [data-for~="${id}"]`)
    .forEach((node) => node.classList.toggle("active", on));
}

function showCard(mark) {
  const quoteId = mark.dataset.quote;
  const quote = current && current.result.quotes.find((q) => q.id === quoteId);
  if (!quote) return;
  if (activeQuote && activeQuote !== quoteId) setActive(activeQuote, false);
  activeQuote = quoteId;
  setActive(quoteId, true);
  const colour = colourOf(quote, current.colours);
  const heading = el("div", { class: "card-head" }, el("span", { class: "swatch", "aria-hidden": "true" }),
    el("strong", {}, quote.speaker ? quote.speaker.name : "No speaker found"));
  paint(heading, colour);
  const list = el("dl", {}, ...quoteFacts(quote).slice(1).flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
  const title = quote.speaker && quote.speaker.title ? el("div", { class: "card-title" }, quote.speaker.title) : null;
  card.replaceChildren(...[heading, title, list].filter(Boolean));
  card.hidden = false;
  placeCard(mark);
}

function placeCard(mark) {
  const lines = mark.getClientRects();
  if (!lines.length) return;
  if (getComputedStyle(card).position === "fixed") {
    // Phones: the card is a sheet at the bottom; scroll so it does not cover the quote itself.
    const sheetTop = card.getBoundingClientRect().top - 8;
    const bottom = lines[lines.length - 1].bottom;
    if (bottom > sheetTop) window.scrollBy(0, Math.min(bottom - sheetTop, lines[0].top - 8));
    return;
  }
  const first = lines[0];
  const last = lines[lines.length - 1];
  const width = card.offsetWidth;
  const height = card.offsetHeight;
  // Below the quote's last line, or above its first line when there is no room below.
  const below = last.bottom + 8;
  const top = below + height < window.innerHeight ? below : Math.max(8, first.top - height - 8);
  const left = Math.min(Math.max(8, last.left), window.innerWidth - width - 8);
  card.style.top = `${top + window.scrollY}px`;
  card.style.left = `${Math.max(8, left) + window.scrollX}px`;
}

function hideCard() {
  if (activeQuote) setActive(activeQuote, false);
  activeQuote = null;
  card.hidden = true;
}

function quoteMark(target) {
  const mark = target instanceof Element ? target.closest("mark.quote") : null;
  if (!mark || !articleView.contains(mark) || mark.classList.contains("filtered")) return null;
  return mark;
}

// The card follows the pointer over highlights and falls back to the focused quote, if any.
function showPointedOrFocused(target) {
  const mark = quoteMark(target) || quoteMark(document.activeElement);
  if (mark) showCard(mark);
  else hideCard();
}

articleView.addEventListener("mouseover", (event) => showPointedOrFocused(event.target));
articleView.addEventListener("mouseleave", () => showPointedOrFocused(null));
articleView.addEventListener("focusin", (event) => {
  const mark = quoteMark(event.target);
  if (mark) showCard(mark);
});
articleView.addEventListener("focusout", (event) => {
  if (!quoteMark(event.relatedTarget)) hideCard();
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && !card.hidden) hideCard();
});
window.addEventListener("resize", () => {
  const focused = quoteMark(document.activeElement);
  if (focused && !card.hidden) placeCard(focused);
});

// ---- side panel: jump to a quote, filter by type ----

roster.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("button.jump") : null;
  if (!button) return;
  const mark = document.getElementById(`quote-${button.dataset.quote}`);
  if (!mark) return;
  mark.scrollIntoView({ block: "center", behavior: "smooth" });
  mark.focus({ preventScroll: true });
});

// A quote is shown when both its type and its kind are.
function applyFilters() {
  for (const type of TYPES) results.classList.toggle(`hide-${type}`, !$(`show-${type}`).checked);
  articleView.querySelectorAll("mark.quote").forEach((mark) => {
    const typeBox = $(`show-${mark.dataset.type}`);
    const shown = (!typeBox || typeBox.checked) && !hiddenKinds.has(mark.dataset.kind);
    mark.classList.toggle("filtered", !shown);
    if (mark.id) mark.tabIndex = shown ? 0 : -1;
  });
  roster.querySelectorAll(".speaker-quotes li").forEach((item) =>
    item.classList.toggle("kind-hidden", hiddenKinds.has(item.dataset.kind)));
  const active = activeQuote && articleView.querySelector(`mark.quote[data-quote="${CSS.escape(activeQuote)}"]`);
  if (active && active.classList.contains("filtered")) hideCard();
}

TYPES.forEach((type) => $(`show-${type}`).addEventListener("change", applyFilters));

// ---- export ----

function download(name, type, content) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function exportName(extension) {
  const base = (current && current.result.id) || "quotewire-result";
  return `${String(base).replace(/[^\w.-]+/g, "_")}.${extension}`;
}

$("export-json").addEventListener("click", () => {
  if (current) download(exportName("json"), "application/json", JSON.stringify(current.result, null, 2) + "\n");
});
$("export-csv").addEventListener("click", () => {
  if (current) download(exportName("csv"), "text/csv", toCsv(quoteRows(current.result)));
});

// ---- input: paste, drop or choose a .txt file ----

function looksLikeText(file) {
  return file.type.startsWith("text/") || /\.(txt|text|html?)$/i.test(file.name) || file.type === "";
}

async function loadFile(file) {
  clearError();
  if (!looksLikeText(file)) {
    showError(`“${file.name}” is not a text or HTML file. Drop a .txt or .html file, or paste the article.`);
    return;
  }
  textArea.value = await file.text();
  setStatus(`Loaded “${file.name}” (${codePoints(textArea.value).length} characters). Press Extract quotes.`);
  textArea.focus();
}

$("choose-file").addEventListener("click", () => fileInput.click());
fileInput.addEventListener("change", () => {
  if (fileInput.files.length) loadFile(fileInput.files[0]);
  fileInput.value = "";
});
for (const name of ["dragenter", "dragover"]) {
  form.addEventListener(name, (event) => {
    if (![...event.dataTransfer.types].includes("Files")) return;
    event.preventDefault();
    dropZone.classList.add("dragging");
  });
}
form.addEventListener("dragleave", (event) => {
  if (!form.contains(event.relatedTarget)) dropZone.classList.remove("dragging");
});
form.addEventListener("drop", (event) => {
  if (!event.dataTransfer.files.length) return;
  event.preventDefault();
  dropZone.classList.remove("dragging");
  loadFile(event.dataTransfer.files[0]);
});

// ---- extract ----

let ticker = null;

function setBusy(busy) {
  extractButton.disabled = busy;
  form.setAttribute("aria-busy", String(busy));
  extractButton.textContent = busy ? "Extracting…" : "Extract quotes";
  clearInterval(ticker);
  const elapsed = $("elapsed");
  elapsed.textContent = "";
  if (busy) {
    const started = Date.now();
    // The seconds counter is for the eye only; the live region announces once.
    ticker = setInterval(() => { elapsed.textContent = `${Math.round((Date.now() - started) / 1000)} s`; }, 1000);
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearError();
  const text = textArea.value;
  if (!text.trim()) {
    setStatus("");
    showError("Paste an article (text or HTML) or drop a .txt or .html file first.");
    textArea.focus();
    return;
  }
  setBusy(true);
  setStatus("Extracting quotes… this takes a second or two for a news article.");
  try {
    const result = await requestQuotes(text);
    const fromHtml = typeof result.text === "string";   // sent as HTML: show the text it gave
    const found = renderResult(fromHtml ? result.text : text, result);
    current.posted = text;
    setStatus(fromHtml ? `Read the article text of the HTML${result.title ? ` (“${shorten(result.title, 80)}”)` : ""}. ${found}` : found);
    results.scrollIntoView({ behavior: "smooth", block: "start" });
  } catch (error) {
    setStatus("");
    if (error instanceof ApiError) showError(error.message, error.lines);
    else showError("Something went wrong while showing the result.", [String(error)]);
  } finally {
    setBusy(false);
  }
});

// A result drawn for other text than what is in the box now says so.
textArea.addEventListener("input", () => {
  if (current && !results.hidden) {
    results.classList.toggle("stale", textArea.value !== current.posted);
  }
});

// Ctrl/Cmd+Enter in the text area extracts, as in most editors' "submit" shortcut.
textArea.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
});
