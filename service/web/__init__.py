"""The page at GET /: paste an article, see who said what. Calls the public API from the browser."""
from flask import Blueprint

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


@blueprint.after_request
def page_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response
