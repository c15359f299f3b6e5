"""The README's configuration table says what the code does: every variable in it is one the code
reads, every QUOTEWIRE_ setting is in it, and every default it gives is the code's default
(QUOTEWIRE_* from service.api.config.Settings, nginx's and HOST from service.frontdoor, the rest
from gunicorn.conf.py loaded with those variables unset)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from service.api.config import PREFIX, Settings
from service.frontdoor import DEFAULTS as FRONTDOOR_DEFAULTS
from service.nlp import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_VARIABLES = {"PORT": "port", "WEB_CONCURRENCY": "workers", "GUNICORN_TIMEOUT": "timeout",
                      "GUNICORN_GRACEFUL_TIMEOUT": "graceful_timeout",
                      "GUNICORN_MAX_REQUESTS": "max_requests", "LOG_LEVEL": "loglevel",
                      "PROMETHEUS_MULTIPROC_DIR": "metrics_dir",
                      "GUNICORN_MAX_WORKER_GROWTH_MB": "max_worker_growth_mb",
                      "GUNICORN_CLIENT_TIMEOUT": "client_timeout",
                      "GUNICORN_REQUEST_READ_TIMEOUT": "read_timeout"}
# Defaults the table gives in words, and what they must mean in code.
WORDED_DEFAULTS = {"unset": None, "number of cores": "cores", "a fresh temporary directory": "tempdir"}


def readme_table() -> dict[str, str]:
    """Variable -> its default as the README's Configuration table gives it."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Configuration", 1)[1].split("\n#", 1)[0]
    table: dict[str, str] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        names = re.findall(r"`([A-Z_]+)`", cells[0])
        values = re.findall(r"`([^`]*)`", cells[1]) or [cells[1]]
        if len(values) < len(names):   # one worded default for several variables
            values = values * len(names)
        table.update(zip(names, values))
    return table


def readme_value(raw: str):
    for words, meaning in WORDED_DEFAULTS.items():
        if raw.startswith(words):
            return meaning
    return raw


def gunicorn_defaults() -> dict[str, object]:
    """gunicorn.conf.py's settings with none of its variables set (in a fresh interpreter)."""
    env = {k: v for k, v in os.environ.items() if k not in GUNICORN_VARIABLES}
    script = ("import json, runpy, os\n"
              "c = runpy.run_path('gunicorn.conf.py')\n"
              "print(json.dumps({'port': c['bind'].rsplit(':', 1)[1], 'workers': c['workers'],"
              " 'cores': c['available_cores'](), 'timeout': c['timeout'],"
              " 'graceful_timeout': c['graceful_timeout'], 'max_requests': c['max_requests'],"
              " 'loglevel': c['loglevel'], 'metrics_dir': os.environ['PROMETHEUS_MULTIPROC_DIR'],"
              " 'max_worker_growth_mb': c['max_worker_growth_mb'], 'client_timeout': c['client_timeout'],"
              " 'read_timeout': c['read_timeout']}))")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def code_default(variable: str, gunicorn: dict) -> object:
    if variable in FRONTDOOR_DEFAULTS:
        return FRONTDOOR_DEFAULTS[variable]
    if variable.startswith(PREFIX):
        name = variable[len(PREFIX):].lower()
        if name == "model":
            return DEFAULT_MODEL   # Settings.model None means the engine's default
        value = next(f.default for f in fields(Settings) if f.name == name)
        return None if value == () else value
    key = GUNICORN_VARIABLES[variable]
    if key == "workers":
        return "cores" if gunicorn["workers"] == gunicorn["cores"] else gunicorn["workers"]
    if key == "metrics_dir":
        return "tempdir" if "quotewire-metrics-" in gunicorn["metrics_dir"] else gunicorn["metrics_dir"]
    return gunicorn[key]


@pytest.fixture(scope="module")
def table():
    return readme_table()


def test_the_table_lists_every_setting_and_only_real_ones(table):
    settings = {PREFIX + f.name.upper() for f in fields(Settings)}
    assert settings <= table.keys(), settings - table.keys()
    known = settings | GUNICORN_VARIABLES.keys() | FRONTDOOR_DEFAULTS.keys()
    assert table.keys() <= known, table.keys() - known


def test_every_default_in_the_table_is_the_codes(table):
    gunicorn = gunicorn_defaults()
    wrong = {}
    for variable, raw in table.items():
        documented, actual = readme_value(raw), code_default(variable, gunicorn)
        same = (documented == actual or str(documented) == str(actual)
                or (isinstance(actual, (int, float)) and not isinstance(actual, bool)
                    and re.fullmatch(r"[0-9.]+", str(documented)) and float(documented) == actual))
        if not same:
            wrong[variable] = (raw, actual)
    assert not wrong, f"README default vs code: {wrong}"
