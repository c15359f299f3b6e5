"""The page at GET /: paste an article, see who said what. Calls the public API from the browser."""
import json

from flask import Blueprint, Response

from ..nlp.serialize import ARTICLE_COLUMNS, QUOTE_COLUMNS

blueprint = Blueprint("web", __name__, static_folder="static", static_url_path="/static/web")

# The page only ever talks to its own service: the browser refuses anything else (no CDN, no
# third-party requests even if an article's text were ever misused as markup).
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


@blueprint.get("/")
def index():
    return blueprint.send_static_file("index.html")


@blueprint.get("/static/web/columns.js")
def row_columns_module():
    """The flat row columns (the CLI's Parquet columns) for the page's CSV export, as a module
    generated from the one definition of a quote: [name, path into a quote's JSON] each."""
    columns = json.dumps([[column.name, list(column.path)] for column in QUOTE_COLUMNS])
    return Response(f"export const QUOTE_COLUMNS = {columns};\n"
                    f"export const ARTICLE_COLUMNS = {json.dumps(list(ARTICLE_COLUMNS))};\n",
                    mimetype="text/javascript")


@blueprint.after_request
def page_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response
