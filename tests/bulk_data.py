"""Inputs for the bulk tests (CLI, readers, Spark): small articles cut from the seed wire stories,
written as JSONL, CSV, Parquet, .txt files and a real gzipped WARC of HTML pages."""
from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "data" / "seeds"
_SENTENCE_END = re.compile(r"(?<=[.!?\"”])\s+(?=[A-Z“\"])")


def seed_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


def seed_articles(max_chars: int = 420) -> list[dict]:
    """Each seed story cut into short articles of whole sentences (about 20 in all), with a
    metadata field to carry through."""
    articles = []
    for name, text in seed_texts().items():
        pieces, current = [], ""
        for sentence in _SENTENCE_END.split(" ".join(text.split())):
            if current and len(current) + len(sentence) > max_chars:
                pieces.append(current)
                current = ""
            current = f"{current} {sentence}".strip()
        pieces.append(current)
        articles += [{"id": f"{name}-{i:02d}", "text": piece, "source": name}
                     for i, piece in enumerate(pieces)]
    return articles


def write_jsonl(path: Path, records: list[dict], extra_lines: tuple[bytes, ...] = ()) -> Path:
    with open(path, "wb") as out:
        for line in extra_lines:
            out.write(line + b"\n")
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
    return path


def news_page(title: str, text: str) -> bytes:
    """A plausible news page: navigation and footer boilerplate around the article."""
    sentences = _SENTENCE_END.split(text)
    paragraphs = [" ".join(sentences[i:i + 2]) for i in range(0, len(sentences), 2)]
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<article><h1>{html.escape(title)}</h1>{body}</article>"
            f"<footer>Copyright 2013 Example News. All rights reserved.</footer></body></html>"
            ).encode("utf-8")


def write_warc(path: Path, pages: list[tuple[str, bytes]]) -> Path:
    """A gzipped WARC: a warcinfo record, then per page a request and an HTML response; plus one
    image response that readers must skip."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for uri, page in pages:
            request = writer.create_warc_record(uri, "request", payload=io.BytesIO(
                f"GET {uri} HTTP/1.1\r\nHost: example.org\r\n\r\n".encode()))
            writer.write_record(request)
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(page),
                                                          http_headers=headers))
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "http://example.org/logo.png", "response", payload=io.BytesIO(b"\x89PNG\r\n\x1a\n"),
            http_headers=image))
    return path


def seed_warc(path: Path) -> Path:
    pages = [(f"http://example.org/news/{name}", news_page(text.splitlines()[0], text))
             for name, text in seed_texts().items()]
    return write_warc(path, pages)


def dense_quotes_text(size: int = 99_000) -> str:
    """A real-shaped but expensive article: one short attributed quotation after another, just
    under the engine's 100,000-character piece (seconds of parsing, against milliseconds for a
    seed article)."""
    unit = '"Yes," he said. '
    return (unit * (size // len(unit) + 1))[:size]


def long_prose_text(size: int) -> str:
    """The seed stories one after another, cut to `size` characters: parsing it takes memory in
    proportion (about 1 GB at 300,000 characters with en_core_web_sm)."""
    text = "\n\n".join(seed_texts().values())
    return (text * (size // len(text) + 1))[:size]
