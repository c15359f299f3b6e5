"""A shared corpus of hostile requests, and the one check every response to them must pass.

Used by tests/test_hostile.py (Flask test client and real gunicorn), tests/test_soak.py and
bench/soak.py. Each Payload is a complete request (path, content type, raw body bytes), so the
same bytes go through the test client and over a socket.

The rule (DESIGN.md): no input ever yields a 500. Every answer is either a JSON error body
{"code", "status", "message", "errors"} or a 200 whose offsets are all valid: for each quote and
for its speaker, cue, agency and addressee, text[start:end] == the field's text. The one 5xx an
input may earn is the per-article time limit's 504, and only inputs marked `heavy` may earn it.
"""
from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from service.api.config import Settings

MAX_TEXT_CHARS = Settings.max_text_chars   # the service's default: heavy texts stay just under it

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "tests" / "data" / "seeds"
GUM_PATHS = (ROOT / "tests" / "data" / "gum" / "gum_news.jsonl", ROOT.parent / "shared" / "data" / "gum_news.jsonl")

JSON = "application/json"
ERROR_KEYS = {"code", "status", "message", "errors"}
SPAN_FIELDS = ("speaker", "cue", "agency", "addressee")
ERROR_BODY_MAX_BYTES = 4096  # an error body never echoes more than a short excerpt of the input
TIME_LIMIT_STATUS = 504

OK = frozenset({200})
OK_OR_TIME_LIMIT = frozenset({200, TIME_LIMIT_STATUS})


@dataclass(frozen=True)
class Payload:
    name: str
    body: bytes
    expect: frozenset[int]           # the statuses a correct service may answer
    content_type: str | None = JSON
    path: str = "/v1/quotes"
    method: str = "POST"
    heavy: bool = False              # makes the engine work hard; may reach the time limit
    headers: dict = field(default_factory=dict, hash=False)

    def request_headers(self) -> dict[str, str]:
        headers = dict(self.headers)
        if self.content_type:
            headers["Content-Type"] = self.content_type
        return headers


# ---- building bodies ------------------------------------------------------------------------

def article_body(text: str, article_id: str | None = None) -> bytes:
    """A /v1/quotes body. ensure_ascii keeps lone surrogates as \\udxxx escapes, as a client would."""
    body: dict[str, Any] = {"text": text}
    if article_id is not None:
        body["id"] = article_id
    return json.dumps(body).encode("ascii")


def batch_body(texts: Iterable[str]) -> bytes:
    return json.dumps({"articles": [{"id": f"a{i}", "text": t} for i, t in enumerate(texts)]}).encode("ascii")


def seed_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(SEEDS_DIR.glob("*.txt"))]


def gum_texts() -> list[str]:
    """GUM Wikinews texts (CC-BY) if a copy is present, else []."""
    for path in GUM_PATHS:
        if path.exists():
            with path.open(encoding="utf-8") as lines:
                return [json.loads(line)["text"] for line in lines if line.strip()]
    return []


def real_articles() -> list[str]:
    return seed_texts() + gum_texts()


def paragraphs(texts: Iterable[str], min_chars: int = 120) -> list[str]:
    """Single paragraphs with some substance: short real requests for the quick soak."""
    return [p for text in texts for p in text.split("\n\n") if len(p) >= min_chars]


# ---- the corpus -----------------------------------------------------------------------------

def _raw(name: str, body: bytes, expect: Iterable[int] = (400,), **kw) -> Payload:
    return Payload(name, body, frozenset(expect), **kw)


def _text(name: str, text: str, expect: frozenset[int] = OK, **kw) -> Payload:
    return Payload(name, article_body(text), expect, **kw)


def malformed_json() -> list[Payload]:
    seed = seed_texts()[0]
    whole = article_body(seed)
    return [
        _raw("truncated-json", whole[: len(whole) // 2]),
        _raw("truncated-json-in-escape", b'{"text": "He said \\u00'),
        _raw("single-quoted-json", b"{'text': 'He said hello.'}"),
        _raw("unquoted-key", b'{text: "He said hello."}'),
        _raw("trailing-comma", b'{"text": "He said hello.",}'),
        _raw("two-documents", b'{"text": "a"}{"text": "b"}'),
        _raw("bare-word", b"undefined"),
        _raw("raw-control-char-in-string", b'{"text": "tab\tand nul\x00 inside"}'),
        _raw("utf8-bom-prefix", b'\xef\xbb\xbf{"text": "\\"Hi,\\" he said."}', (200, 400)),
        _raw("deep-array-nesting", b"[" * 100_000 + b"]" * 100_000, (400, 422)),
        _raw("deep-object-nesting", b'{"a":' * 50_000 + b"1" + b"}" * 50_000, (400, 422)),
        _raw("deep-nesting-in-text-field", b'{"text": ' + b"[" * 20_000 + b"]" * 20_000 + b"}", (400, 422)),
        _raw("huge-exponent", b'{"text": 1e999999}', (400, 422)),
        _raw("nan-text", b'{"text": NaN}', (400, 422)),
        # Past Python's 4,300-digit limit for int(): json.loads raises ValueError, not JSONDecodeError.
        _raw("integer-past-digit-limit", b'{"text": ' + b"7" * 5000 + b"}"),
        _raw("integer-past-digit-limit-in-id", b'{"text": "\\"Hi,\\" he said.", "id": ' + b"1" * 4400 + b"}"),
    ]


def invalid_utf8() -> list[Payload]:
    return [
        _raw("invalid-utf8-ff", b'{"text": "caf\xff \\"hi,\\" he said."}'),
        _raw("invalid-utf8-truncated-sequence", b'{"text": "caf\xc3"}'),
        _raw("invalid-utf8-overlong-slash", b'{"text": "\xc0\xaf\\"hi,\\" he said."}'),
        _raw("invalid-utf8-encoded-surrogate", b'{"text": "\xed\xa0\x80 said he"}'),
        _raw("latin1-body", '{"text": "«Très bien», a-t-il dit."}'.encode("latin-1")),
    ]


def wrong_shapes() -> list[Payload]:
    return [
        _raw("empty-body", b"", (400, 422)),
        _raw("json-null", b"null", (400, 422)),
        _raw("json-array", b'[{"text": "a"}]', (400, 422)),
        _raw("json-number", b"42", (400, 422)),
        _raw("json-string", b'"He said hello."', (400, 422)),
        _raw("text-is-number", b'{"text": 42}', (422,)),
        _raw("text-is-list", b'{"text": ["a", "b"]}', (422,)),
        _raw("text-is-null", b'{"text": null}', (422,)),
        _raw("text-empty", b'{"text": ""}', (422,)),
        _raw("text-whitespace", b'{"text": " \\n\\t \\u00a0 "}', (422,)),
        _raw("unknown-field", b'{"text": "He said hi.", "evil": true}', (422,)),
        _raw("id-too-long", article_body("He said hi.", "x" * 10_000), (422,)),
        _raw("duplicate-key", b'{"text": 1, "text": "\\"Hi,\\" he said."}', (200, 422)),
        _raw("plain-text-body", b'"Hi," he said.', (415,), content_type="text/plain"),
        _raw("form-body", b"text=%22Hi%22+he+said", (415,), content_type="application/x-www-form-urlencoded"),
        _raw("no-content-type", b'{"text": "\\"Hi,\\" he said."}', (415,), content_type=None),
        _raw("gzip-encoded-body", gzip.compress(article_body('"Hi," he said.')), (415,),
             headers={"Content-Encoding": "gzip"}),
        _raw("brotli-encoded-body", article_body('"Hi," he said.'), (415,), headers={"Content-Encoding": "br"}),
        _raw("batch-not-a-list", b'{"articles": {"text": "a"}}', (422,), path="/v1/quotes/batch"),
        _raw("batch-empty", b'{"articles": []}', (422,), path="/v1/quotes/batch"),
        _raw("batch-too-long", batch_body(["He said hi."] * 101), (422,), path="/v1/quotes/batch"),
        _raw("batch-with-bad-items", b'{"articles": [{"text": "ok"}, {"text": 3}, 7, null]}', (422,),
             path="/v1/quotes/batch"),
        _raw("unknown-route", b"{}", (404,), path="/v1/quotes/../../etc/passwd"),
        _raw("wrong-method", b"", (405,), method="PUT"),
        _raw("made-up-method", b"", (405,), method="QUOTEME"),
    ]


def oversized_http() -> list[Payload]:
    """Request lines and headers past nginx's limits (nginx.conf): its JSON 414 / 400 in front
    of gunicorn; the app alone sees an unknown path or ignores the headers."""
    probe = article_body('"Hi," he said.')
    return [
        _raw("url-over-4kb", b"", (404, 414), method="GET", path="/v1/" + "a" * 5000),
        _raw("header-of-9kb", probe, (200, 400), headers={"X-Padding": "p" * 9000}),
        _raw("a-hundred-and-twenty-headers", probe, (200,), headers={f"X-H{i}": "1" for i in range(120)}),
    ]


def oversized() -> list[Payload]:
    return [
        # A megabyte of quote marks: over the text limit (2 MB once escaped).
        _raw("megabyte-of-quote-marks", article_body('"' * 1_048_576), (422,)),
        _raw("body-over-5mb", article_body("a " * 3_000_000), (413,)),
    ]


def hostile_texts() -> list[Payload]:
    """Valid requests whose text is hostile: the engine must run and return valid offsets."""
    seed = seed_texts()[0]
    one_paragraph = seed.replace("\n", " ")
    return [
        # Lone surrogates as JSON escapes: refused as invalid Unicode, or handled.
        Payload("lone-high-surrogate", b'{"text": "\\"Hi \\ud800 there,\\" he said."}', frozenset({200, 400, 422})),
        Payload("lone-low-surrogate-at-end", b'{"text": "\\"Hi there,\\" he said. \\udfff"}', frozenset({200, 400, 422})),
        Payload("reversed-surrogate-pair", b'{"text": "\\udc00\\ud800 \\"ok,\\" she said"}', frozenset({200, 400, 422})),
        Payload("surrogate-in-id", b'{"text": "\\"Hi,\\" he said.", "id": "\\ud800"}', frozenset({200, 400, 422})),
        _text("null-bytes", '"We\x00 agree," Bogdanov\x00 said.\x00\n\n\x00"No," he said.'),
        _text("control-characters", "".join(chr(c) for c in range(32) if c not in (10,))
              + ' "Fine,\x0b\x0c\x1b[31m" Lavrov\x07 said\x7f.\r"Yes," he\x85 said.\u2028"No," he said.\u2029'),
        _text("carriage-returns-only", seed.replace("\n", "\r")),
        _text("right-to-left", 'قال الوزير «نحن هنا» للصحفيين. ואמר "שלום לכולם" היום.\n\n'
              '\u202e"This is reversed," said Lavrov.\u202c \u2067"Isolated," he added.\u2069'),
        _text("emoji", '👨‍👩‍👧‍👦🇷🇺 "We 💙 Iran 👍🏽," Bogdanov 🎉 said. "🤝🏿🧑🏼‍🚀," he added, 𝕳𝖊𝖑𝖑𝖔.'),
        _text("combining-marks", '"Z\u0351\u0300\u0301a\u0300\u0301\u0302lgo," s\u0301aid Bob.' * 60),
        _text("unbalanced-opening-quote", '"' + seed),
        _text("only-closing-quotes", seed.replace("\u201c", "").replace('"', "\u201d")),
        _text("mixed-quote-styles", '«“‘"\'„‚‹Hello›‚„\'"’”» said he. ' * 60),
        _text("two-hundred-tiny-quotes", '"a" said he.\n' * 200),
        _text("long-word", "x" * 50_000 + ' "ok," he said.'),
        _text("one-character", '"'),
        # Letters whose lower case is longer (İ -> i̇) or another letter (ſ -> s), in agency names.
        _text("length-changing-letters-in-names", 'İRNA said the talks would go ahead. "We agree," the '
              'minister told İnterfax.\n\nReuterſ reported that the talks would go ahead.'),
        # Relative pronouns pointing back into phrases that hold them, after a real story.
        _text("junk-paragraph-after-a-story", seed + "\n\nwho who , who said the minister who told İRNA ( who "
              ") — “ who said ” « who » according to Reuterſ ſaid , who whom which that quoted by who"),
        _text("eighty-thousand-chars-of-a", "a " * 40_000, OK_OR_TIME_LIMIT, heavy=True),
        _text("hundred-thousand-apostrophes", "'" * 100_000, OK_OR_TIME_LIMIT, heavy=True),
        _text("quote-marks-under-char-limit", '"' * (MAX_TEXT_CHARS - 1000), OK_OR_TIME_LIMIT, heavy=True),
        _text("huge-single-paragraph", (one_paragraph + " ") * (MAX_TEXT_CHARS // len(one_paragraph) - 1),
              OK_OR_TIME_LIMIT, heavy=True),
        Payload("batch-of-hostile-texts", batch_body([
            '"\x00," he said.', '👍🏽 "ok," she said.', "'" * 500, '"' * 500, seed]), OK,
            path="/v1/quotes/batch"),
    ]


def hostile_payloads(include_heavy: bool = True) -> list[Payload]:
    payloads = (malformed_json() + invalid_utf8() + wrong_shapes() + oversized() + oversized_http()
                + hostile_texts())
    return [p for p in payloads if include_heavy or not p.heavy]


# ---- checking a response -------------------------------------------------------------------

def posted_texts(payload_body: bytes, path: str) -> list[str] | None:
    """The article texts the server parsed from this body, in result order (None if not an article)."""
    try:
        document = json.loads(payload_body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(document, dict):
        return None
    if path.endswith("/batch"):
        articles = document.get("articles")
        return [a.get("text") for a in articles] if isinstance(articles, list) else None
    return [document.get("text")]


def offset_problems(text: str, result: dict) -> list[str]:
    """Every quote's span and its speaker/cue/agency/addressee spans must equal text[start:end]."""
    problems = []
    for quote in result.get("quotes", []):
        for label, span in [("quote", quote)] + [(name, quote.get(name)) for name in SPAN_FIELDS]:
            if span is None:
                continue
            start, end = span.get("start"), span.get("end")
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
                problems.append(f"{quote.get('id')} {label}: bad offsets {start}..{end} (len {len(text)})")
            elif text[start:end] != span.get("text"):
                problems.append(f"{quote.get('id')} {label}: text[{start}:{end}]={text[start:end][:40]!r} "
                                f"!= {str(span.get('text'))[:40]!r}")
    return problems


def error_body_problems(status: int, body: Any, size: int) -> list[str]:
    if not isinstance(body, dict) or not ERROR_KEYS <= body.keys():
        return [f"{status}: error body is not {{code, status, message, errors}}: {str(body)[:120]!r}"]
    problems = []
    if body["code"] != status:
        problems.append(f"{status}: error body says code {body['code']}")
    if size > ERROR_BODY_MAX_BYTES:
        problems.append(f"{status}: error body is {size} bytes (echoes too much of the input?)")
    return problems


def response_problems(payload: Payload, status: int, content: bytes) -> list[str]:
    """What is wrong with this answer to this payload ([] when it is acceptable)."""
    problems = []
    if status not in payload.expect:
        problems.append(f"status {status}, expected one of {sorted(payload.expect)}")
    try:
        body = json.loads(content)
    except ValueError:
        return problems + [f"{status}: body is not JSON: {content[:120]!r}"]
    if status >= 300:
        return problems + error_body_problems(status, body, len(content))
    if payload.method != "POST":
        return problems
    texts = posted_texts(payload.body, payload.path) or []
    results = body.get("results") if payload.path.endswith("/batch") else [body]
    if not isinstance(results, list) or len(results) != len(texts):
        return problems + [f"200: {len(results or [])} results for {len(texts)} articles"]
    for text, result in zip(texts, results):
        problems += offset_problems(text, result)
    return problems


Sender = Callable[[Payload], tuple[int, bytes]]


def check_all(payloads: Iterable[Payload], send: Sender) -> dict[str, list[str]]:
    """Send each payload; the problems found, by payload name (only those with problems)."""
    found = {}
    for payload in payloads:
        status, content = send(payload)
        problems = response_problems(payload, status, content)
        if problems:
            found[payload.name] = problems
    return found
