"""The two things a reader yields: an article to extract, or a failure to report and skip."""
from __future__ import annotations

from typing import NamedTuple

from service.html import HtmlText


class Article(NamedTuple):
    id: str | int
    text: str | None            # None while `html` still has to be turned into article text
    meta: dict
    html: str | None = None     # a page (.html file, JSONL `html`, WARC record), read in the worker
    page: HtmlText | None = None  # once read: the text's offsets back into `html`


class Failure(NamedTuple):
    id: str | int
    reason: str
