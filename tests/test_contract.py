"""Contract tests: schemathesis generates requests from /openapi.json (valid and invalid ones) and
checks that nothing answers 5xx and that every response matches the documented status codes,
content types and schemas. Bounded examples so it stays quick."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance,
                                               response_schema_conformance,
                                               status_code_conformance)

from service import create_app

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture(scope="module")
def contract_app(nlp):
    # A short time limit keeps any slow generated text from dominating the run.
    return create_app({"TESTING": True, "QUOTEWIRE_PIPELINE": nlp, "QUOTEWIRE_ARTICLE_TIMEOUT": 3})


@pytest.fixture(scope="module")
def api_schema(contract_app):
    return schemathesis.openapi.from_wsgi("/openapi.json", contract_app)


def operations(api_schema):
    return [result.ok() for result in api_schema.get_all_operations()]


@pytest.mark.parametrize("mode", [schemathesis.GenerationMode.POSITIVE,
                                  schemathesis.GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_api_honours_its_openapi_contract(api_schema, mode):
    # (schemathesis' own pytest plugin does not run under pytest 9 yet, so drive hypothesis here)
    for operation in operations(api_schema):
        if mode == schemathesis.GenerationMode.NEGATIVE and operation.method.upper() == "GET":
            continue  # nothing to make invalid: no parameters, no body
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck),
                  phases=[Phase.explicit, Phase.generate])
        def honours_contract(case):
            case.call_and_validate(checks=CHECKS)

        try:
            honours_contract()
        except Exception as exc:
            pytest.fail(f"{operation.label} ({mode.value}): {exc}")


def test_every_documented_response_has_a_description(client):
    spec = client.get("/openapi.json").get_json()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            for status, response in operation["responses"].items():
                if "$ref" in response:
                    response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
                assert response.get("description"), (method, path, status)


def test_contract_covers_every_documented_operation(api_schema):
    covered = {(op.method.upper(), op.path) for op in operations(api_schema)}
    assert {("POST", "/v1/quotes"), ("POST", "/v1/quotes/batch"), ("GET", "/v1/info"),
            ("GET", "/health/live"), ("GET", "/health/ready")} <= covered
