"""/docs without the internet (and the site icon): Swagger UI's files come from the swagger-ui-bundle package and
are served by the service itself; flask-smorest renders the page around them."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, send_file, send_from_directory

ASSETS_URL = "/docs/assets/"
# Only what the /docs page loads: the package's own index.html and oauth2-redirect.html are
# stock pages that call an outside host.
ASSET_SUFFIXES = (".js", ".css", ".png", ".map")
FAVICON = Path(__file__).parent / "data" / "favicon.ico"

blueprint = Blueprint("docs_assets", __name__)


def swagger_ui_dir() -> str:
    from swagger_ui_bundle import swagger_ui_path
    return swagger_ui_path


@blueprint.get(ASSETS_URL + "<path:filename>")
def asset(filename: str):
    if not filename.endswith(ASSET_SUFFIXES):
        abort(404)
    return send_from_directory(swagger_ui_dir(), filename, max_age=86400)


@blueprint.get("/favicon.ico")
def favicon():
    """Browsers ask for it on every page load; without it each visit would count as a 404."""
    return send_file(FAVICON, mimetype="image/vnd.microsoft.icon", max_age=86400)


OPENAPI_CONFIG = {
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": ASSETS_URL,
    # validatorUrl null: Swagger UI must not call out to its public validator.
    "OPENAPI_SWAGGER_UI_CONFIG": {"validatorUrl": None, "tryItOutEnabled": True},
}
