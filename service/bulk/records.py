"""The two things a reader yields: an article to extract, or a failure to report and skip."""
from __future__ import annotations

from typing import NamedTuple


class Article(NamedTuple):
    id: str | int
    text: str | None            # None while `html` still has to be turned into article text
    meta: dict
    html: bytes | None = None   # raw page from a WARC record; text is extracted in the worker


class Failure(NamedTuple):
    id: str | int
    reason: str
