"""A Python client for the Quotewire API.

    from service.client import Quotewire
    with Quotewire("http://localhost:8000", api_key=None) as quotewire:
        result = quotewire.extract('"We have named the participants," Bogdanov said.')
        for quote in result.quotes:
            print(quote.text, quote.speaker.name if quote.speaker else None)
        for result in quotewire.batch(articles):     # strings, or {"id", "text" | "html"}
            ...                                      # one Result per article, in order, as they come

Retries go through urllib3's Retry (via requests): a 503 (model not loaded yet), a 504 (time
limit) or a connection that cannot be made or is dropped is retried with exponential backoff,
honouring Retry-After; what still fails raises QuotewireError with the service's JSON error.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

NDJSON = "application/x-ndjson"
RETRY_STATUSES = (503, 504)
_LOOKS_LIKE_HTML = re.compile(r"\s*<(?:!doctype|!--|html|head|body|[a-z][a-z0-9]*[\s/>])", re.IGNORECASE)


class QuotewireError(Exception):
    """An error answer of the service ({"code", "status", "message", "errors"}) or no answer."""

    def __init__(self, code: int | None, message: str, errors: dict | None = None,
                 article_id: Any = None):
        super().__init__(f"{code}: {message}" if code else message)
        self.code = code
        self.message = message
        self.errors = errors or {}
        self.article_id = article_id


# --- typed results --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int
    html_start: int | None = None   # set when the article was sent as HTML
    html_end: int | None = None


@dataclass(frozen=True)
class SpeakerMention(Span):
    name: str = ""
    kind: str = ""
    title: str | None = None


@dataclass(frozen=True)
class Cue(Span):
    lemma: str = ""


@dataclass(frozen=True)
class Agency(Span):
    name: str = ""


@dataclass(frozen=True)
class Quote(Span):
    id: str = ""
    type: str = ""
    kind: str | None = None
    speaker: SpeakerMention | None = None
    cue: Cue | None = None
    agency: Agency | None = None
    addressee: Span | None = None
    fragments: tuple[Span, ...] = ()
    rule: str = ""
    confidence: float = 0.0


@dataclass(frozen=True)
class Speaker:
    name: str
    kind: str
    title: str | None = None
    quotes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Result:
    id: Any
    quotes: tuple[Quote, ...]
    speakers: tuple[Speaker, ...]
    meta: dict = field(default_factory=dict)
    text: str | None = None          # the article text the offsets refer to (for HTML input)
    title: str | None = None         # the page's headline (for HTML input)
    raw: dict = field(default_factory=dict, repr=False, compare=False)   # the JSON as received


def _typed(cls, data: dict | None):
    """A dataclass from a JSON object, ignoring fields this client does not know yet."""
    if data is None:
        return None
    return cls(**{name: data[name] for name in cls.__dataclass_fields__ if name in data})


def _quote(data: dict) -> Quote:
    parts = {"speaker": _typed(SpeakerMention, data.get("speaker")), "cue": _typed(Cue, data.get("cue")),
             "agency": _typed(Agency, data.get("agency")), "addressee": _typed(Span, data.get("addressee")),
             "fragments": tuple(_typed(Span, f) for f in data.get("fragments") or ())}
    return _typed(Quote, {**data, **parts})


def result_from_json(data: dict) -> Result:
    return Result(id=data.get("id"), quotes=tuple(_quote(q) for q in data.get("quotes", ())),
                  speakers=tuple(_typed(Speaker, {**s, "quotes": tuple(s.get("quotes", ()))})
                                 for s in data.get("speakers", ())),
                  meta=data.get("meta", {}), text=data.get("text"), title=data.get("title"), raw=data)


# --- the client -----------------------------------------------------------------------------------

def article_body(article: str | dict, article_id: Any = None) -> dict:
    """A request article: a dict is sent as it is; a string goes as `html` when it looks like
    markup (starts with a tag), else as `text`."""
    if isinstance(article, dict):
        return article
    body = {"html" if _LOOKS_LIKE_HTML.match(article) else "text": article}
    if article_id is not None:
        body["id"] = article_id
    return body


class Quotewire:
    def __init__(self, url: str, api_key: str | None = None, *, timeout: float = 90.0,
                 connect_timeout: float = 5.0, retries: int = 4, backoff: float = 0.5,
                 batch_size: int = 100):
        """`timeout`: seconds to wait for an answer (the service stops an article after its own
        limit, 60 s per request by default); `retries` with `backoff` seconds doubling each time;
        `batch_size`: articles per batch request (the service's QUOTEWIRE_MAX_BATCH)."""
        self.url = url.rstrip("/")
        self.timeout = (connect_timeout, timeout)
        self.batch_size = batch_size
        self.session = requests.Session()
        retry = Retry(total=retries, connect=retries, read=retries, status=retries,
                      backoff_factor=backoff, status_forcelist=RETRY_STATUSES, allowed_methods=None,
                      respect_retry_after_header=True, raise_on_status=False)
        self.session.mount(self.url, HTTPAdapter(max_retries=retry))
        if api_key:
            self.session.headers["X-API-Key"] = api_key

    def __enter__(self) -> Quotewire:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.session.close()

    def extract(self, text_or_html: str | dict, id: Any = None, kinds: list[str] | None = None) -> Result:
        """Quotes and speakers of one article (plain text, HTML, or a request dict)."""
        body = article_body(text_or_html, id)
        if kinds is not None:
            body = {**body, "kinds": kinds}
        return result_from_json(self._post("/v1/quotes", body).json())

    def batch(self, articles: Iterable[str | dict], kinds: list[str] | None = None) -> Iterator[Result]:
        """One Result per article, in order, each as soon as the service has it (NDJSON stream);
        any number of articles, sent `batch_size` at a time. `kinds`: keep only quotes of these
        kinds (an article dict's own "kinds" wins)."""
        chunk: list[dict] = []
        for article in articles:
            chunk.append(article_body(article))
            if len(chunk) == self.batch_size:
                yield from self._stream(chunk, kinds)
                chunk = []
        if chunk:
            yield from self._stream(chunk, kinds)

    def info(self) -> dict:
        return self._request("GET", "/v1/info").json()

    def _stream(self, articles: list[dict], kinds: list[str] | None = None) -> Iterator[Result]:
        body = {"articles": articles} if kinds is None else {"articles": articles, "kinds": kinds}
        with self._post("/v1/quotes/batch", body, stream=True,
                        headers={"Accept": NDJSON}) as response:
            for line in response.iter_lines():
                if not line:
                    continue
                data = json.loads(line)
                if "error" in data and "quotes" not in data:   # the stream's own error line
                    error = data["error"] or {}
                    raise QuotewireError(error.get("code"), error.get("message", "stream failed"),
                                         error.get("errors"), article_id=data.get("id"))
                yield result_from_json(data)

    def _post(self, path: str, body: dict, **kwargs) -> requests.Response:
        return self._request("POST", path, json=body, **kwargs)

    def _request(self, method: str, path: str, **kwargs) -> requests.Response:
        try:
            response = self.session.request(method, self.url + path, timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise QuotewireError(None, f"no answer from {self.url}: {exc}") from exc
        if response.status_code >= 400:
            raise _error(response)
        return response


def _error(response: requests.Response) -> QuotewireError:
    try:
        body = response.json()
    except ValueError:
        return QuotewireError(response.status_code, response.text[:200] or response.reason)
    return QuotewireError(body.get("code", response.status_code), body.get("message", ""),
                          body.get("errors"))
