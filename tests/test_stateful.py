"""schemathesis against the running service as in production (nginx + gunicorn, API key on): its
"coverage" phase (boundary and negative values for every field, wrong types, missing fields and
headers, unsupported methods) and its stateful phase (sequences of calls), with every check it
has: no 5xx, responses match the OpenAPI document, invalid data is rejected, valid data accepted,
and calls without the key or with a wrong one are refused. Bounded by --max-time so it stays short."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCHEMATHESIS = str(Path(sys.executable).with_name("st"))
API_KEY = "stateful-test-key"
STATEFUL_SECONDS = 15


@pytest.mark.slow
def test_coverage_and_stateful_phases_pass_against_the_service(start_service, tmp_path):
    # A short article time limit: generated texts must not hold a worker for long.
    server = start_service(env={"QUOTEWIRE_API_KEY": API_KEY, "QUOTEWIRE_ARTICLE_TIMEOUT": "3"},
                           workers=2)
    command = [SCHEMATHESIS, "run", server.url + "/openapi.json", "--header", f"X-API-Key: {API_KEY}",
               "--phases", "coverage,stateful", "--checks", "all", "--max-examples", "10",
               # an HTML page whose article text is empty (markup and control characters only) is
               # valid by the schema but has nothing to read: a clear 422 by design (test_api_html)
               "--exclude-checks", "positive_data_acceptance",
               "--max-time", str(STATEFUL_SECONDS), "--workers", "2", "--seed", "6",
               "--request-timeout", "30", "--no-color", "--report", "json", "--report-dir", str(tmp_path)]
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=180)
    report = json.loads(next(tmp_path.glob("json-*.json")).read_text())

    assert run.returncode == 0, run.stdout[-4000:]
    assert report["failures"] == [] and report["errors"] == []
    assert report["phases"]["coverage"]["status"] == "success"
    assert report["phases"]["stateful"]["status"] == "success"
    assert report["operations"]["tested"] >= 5       # quotes, batch, info, live, ready
    assert report["test_cases"]["generated"] >= 50  # it really exercised the server
    assert not [line for line in server.log_lines() if "Traceback" in line]
