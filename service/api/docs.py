"""/docs without the internet: Swagger UI's files come from the swagger-ui-bundle package and
are served by the service itself; flask-smorest renders the page around them."""
from __future__ import annotations

from flask import Blueprint, send_from_directory

ASSETS_URL = "/docs/assets/"

blueprint = Blueprint("docs_assets", __name__)


def swagger_ui_dir() -> str:
    from swagger_ui_bundle import swagger_ui_path
    return swagger_ui_path


@blueprint.get(ASSETS_URL + "<path:filename>")
def asset(filename: str):
    return send_from_directory(swagger_ui_dir(), filename, max_age=86400)


OPENAPI_CONFIG = {
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": ASSETS_URL,
    # validatorUrl null: Swagger UI must not call out to its public validator.
    "OPENAPI_SWAGGER_UI_CONFIG": {"validatorUrl": None, "tryItOutEnabled": True},
}
