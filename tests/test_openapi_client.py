"""The OpenAPI document generates a working typed client: openapi-python-client builds one from
the live server's /openapi.json, and through its models (not dicts) we read a speaker's name, a
cue's lemma and an agency's name, post an integer id and HTML, and get a typed 422."""
from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import seed_text

pytestmark = pytest.mark.slow
GENERATOR = str(Path(sys.executable).with_name("openapi-python-client"))
PACKAGE = "quotewire_generated"


@pytest.fixture(scope="module")
def generated(live_server, tmp_path_factory):
    """The generated package, imported from a temporary directory."""
    where = tmp_path_factory.mktemp("openapi-client")
    config = where / "config.yaml"
    config.write_text(f"package_name_override: {PACKAGE}\npost_hooks: []\n", encoding="utf-8")
    subprocess.run([GENERATOR, "generate", "--url", f"{live_server}/openapi.json", "--config",
                    str(config), "--meta", "none", "--output-path", str(where / PACKAGE)],
                   check=True, cwd=where, capture_output=True, text=True, timeout=120)
    sys.path.insert(0, str(where))
    try:
        yield lambda name: importlib.import_module(f"{PACKAGE}.{name}")
    finally:
        sys.path.remove(str(where))


@pytest.fixture(scope="module")
def client(generated, live_server):
    # The document declares the X-API-Key scheme, so the generator's client is an authenticated
    # one; this server sets no key and ignores it.
    return generated("client").AuthenticatedClient(base_url=live_server, token="unused", prefix="",
                                                   auth_header_name="X-API-Key", timeout=60)


def test_typed_models_read_speaker_cue_and_agency(generated, client):
    models = generated("models")
    post = generated("api.quotes.post_v1_quotes")
    result = post.sync(client=client, body=models.TextArticle(text=seed_text("003"), id=3))
    assert isinstance(result, models.Result) and result.id == 3
    assert all(isinstance(quote, models.Quote) for quote in result.quotes)
    rouhani = next(q for q in result.quotes if q.text.startswith("I think today everyone"))
    assert isinstance(rouhani.speaker, models.SpeakerMention)
    assert rouhani.speaker.name == "Hassan Rouhani" and rouhani.speaker.kind.value == "person"
    assert isinstance(rouhani.cue, models.Cue) and rouhani.cue.lemma == "tell"
    relayed = next(q for q in result.quotes if q.agency is not None)
    assert isinstance(relayed.agency, models.Agency) and relayed.agency.name == "RIA Novosti"
    assert isinstance(result.meta, models.Meta) and result.meta.elapsed_ms > 0
    assert {s.name for s in result.speakers} >= {"Mikhail Bogdanov", "Hassan Rouhani"}


def test_html_offsets_and_the_extracted_text_are_typed_too(generated, client):
    models = generated("models")
    post = generated("api.quotes.post_v1_quotes")
    page = '<h1>Talks</h1><p>&ldquo;We have named the <em>participants</em>,&rdquo; <a href="/b">Bogdanov</a> said.</p>'
    result = post.sync(client=client, body=models.HtmlArticle(html=page, id="p1"))
    (quote,) = result.quotes
    assert result.text.startswith("Talks\n\n“We have named") and result.title == "Talks"
    assert page[quote.speaker.html_start:quote.speaker.html_end] == "Bogdanov"
    assert quote.html_start < quote.html_end


def test_errors_are_typed(generated, client):
    models = generated("models")
    post = generated("api.quotes.post_v1_quotes")
    error = post.sync(client=client, body=models.HtmlArticle(html="<nav>Home</nav>"))
    assert isinstance(error, models.Error) and error.code == 422
    assert "No article text found" in error.errors.to_dict()["json"]["html"][0]


def test_the_document_has_no_stray_schemas(live_server):
    import requests
    schemas = requests.get(live_server + "/openapi.json", timeout=30).json()["components"]["schemas"]
    assert "PaginationMetadata" not in schemas
