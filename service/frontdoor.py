"""`python -m service.frontdoor`: the service as it runs in production, nginx in front of gunicorn.

gunicorn (gunicorn.conf.py) listens on a private unix socket; nginx (nginx.conf, a template
filled from the environment) listens on PORT, reads each request whole and passes it on. Both
are stopped, gracefully, when this process gets SIGTERM or SIGINT, and both when either exits.
nginx's log lines are passed on as JSON, like every other line on stdout.

Environment: PORT (8000), HOST (0.0.0.0), WEB_CONCURRENCY (gunicorn workers), NGINX_WORKERS (1),
QUOTEWIRE_MAX_BODY_BYTES (the app's body limit, enforced by nginx as well),
NGINX_CLIENT_TIMEOUT (10 s: the longest pause allowed while a client sends its headers or
body; a body with a Content-Length then gets a JSON 408, stalled headers or a stalled chunked body
have their connection closed with no answer, by nginx's design: nginx.conf says why),
GUNICORN_TIMEOUT (90 s; nginx waits a little longer).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http import HTTPStatus
from pathlib import Path

from . import limits
from .api.config import Settings

ROOT = Path(__file__).resolve().parent.parent
# The environment variables read here (besides PORT, QUOTEWIRE_MAX_BODY_BYTES, GUNICORN_TIMEOUT
# and WEB_CONCURRENCY, whose defaults are the app's and gunicorn.conf.py's) and their defaults.
DEFAULTS = {"HOST": "0.0.0.0", "NGINX_WORKERS": 1, "NGINX_CLIENT_TIMEOUT": 10}
DEFAULT_GUNICORN_TIMEOUT_S = 90
UPSTREAM_GRACE_S = 10        # nginx waits this much longer than gunicorn's own worker timeout
SOCKET_WAIT_S = 300          # gunicorn binds its socket once the model is loaded
ERROR_PREFIX = "/.quotewire-error/"  # internal locations (a named location fails for a 414)
PLACEHOLDER = re.compile(r"\$\{(\w+)\}")

# The errors nginx answers itself (gunicorn's answers pass through untouched). 494 is nginx's
# code for a header line over its buffer; it goes out as 400.
NGINX_ERRORS = {
    400: (400, "The request is not valid HTTP (malformed request line, headers or chunked body)."),
    494: (400, "A request header line is larger than 4 KB, or all headers larger than 16 KB."),
    408: (408, "The request body stalled: nothing arrived for {client_timeout} s."),
    413: (413, "Request body is larger than the limit of {max_body_bytes} bytes."),
    414: (414, "The request line (URL) is longer than 4 KB."),
    501: (501, "Transfer-Encoding not supported: send the body as is or chunked."),
    502: (502, "The service is restarting or a worker was lost; try again."),
    503: (503, "The service is not available; try again."),
    504: (504, "The service did not answer in time."),
}
STALLED_BODY = 408
# After these the connection is closed: the rest of a stalled body must not be read as a request.
CLOSE_AFTER = {STALLED_BODY}


def config_file(name: str) -> Path:
    """A config beside the package (the project root), or in the working directory."""
    beside_package = ROOT / name
    return beside_package if beside_package.exists() else Path(name)


def render(template: str, values: dict) -> str:
    """${name} placeholders filled in; an unknown name is an error, nginx's $variables stay."""
    return PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), template)


def error_pages(max_body_bytes: int, client_timeout: str) -> str:
    """error_page lines and one internal location per error, each answering the JSON error shape."""
    blocks = []
    for nginx_code, (status, message) in NGINX_ERRORS.items():
        text = message.format(max_body_bytes=max_body_bytes, client_timeout=client_timeout)
        body = json.dumps({"code": status, "status": HTTPStatus(status).phrase, "message": text,
                           "errors": {}})
        close = "            keepalive_timeout 0;\n" if nginx_code in CLOSE_AFTER else ""
        blocks.append(
            f"        error_page {nginx_code} {ERROR_PREFIX}{nginx_code};\n"
            f"        location = {ERROR_PREFIX}{nginx_code} {{\n"
            f"            internal;\n{close}"
            f"            default_type application/json;\n"
            f"            add_header X-Request-ID $quotewire_request_id always;\n"
            f"            return {status} '{body}';\n"
            f"        }}")
    return "\n".join(blocks)


def positive_number(environ, name: str, default: float) -> float:
    raw = environ.get(name)
    try:
        value = float(raw) if raw not in (None, "") else default
    except ValueError:
        raise SystemExit(f"{name}: cannot read {raw[:40]!r} as a number") from None
    if value <= 0:
        raise SystemExit(f"{name}: must be positive, got {raw}")
    return value


def nginx_values(environ, runtime_dir: Path, port: int, host: str) -> dict:
    max_body = int(positive_number(environ, "QUOTEWIRE_MAX_BODY_BYTES", Settings.max_body_bytes))
    client_timeout = positive_number(environ, "NGINX_CLIENT_TIMEOUT", DEFAULTS["NGINX_CLIENT_TIMEOUT"])
    return {
        "runtime_dir": runtime_dir, "gunicorn_socket": runtime_dir / "gunicorn.sock",
        "host": host, "port": port, "max_body_bytes": max_body,
        "nginx_workers": int(positive_number(environ, "NGINX_WORKERS", DEFAULTS["NGINX_WORKERS"])),
        "client_timeout": f"{client_timeout:g}",
        "client_timeout_ms": max(1, round(client_timeout * 1000)),
        "stalled_body_page": f"{ERROR_PREFIX}{STALLED_BODY}",
        "upstream_timeout": f"{positive_number(environ, 'GUNICORN_TIMEOUT', DEFAULT_GUNICORN_TIMEOUT_S) + UPSTREAM_GRACE_S:g}",
        "error_pages": error_pages(max_body, f"{client_timeout:g}"),
    }


def nginx_log_line(line: str) -> str:
    """One nginx error-log line as a JSON log line (nginx's access lines are JSON already)."""
    if line.startswith("{"):
        return line
    match = re.match(r"\S+ \S+ \[(\w+)\] (.*)", line)
    level, message = (match.group(1), match.group(2)) if match else ("notice", line)
    return json.dumps({"timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "level": level.upper(),
                       "logger": "nginx", "message": message})


def _pass_on_as_json(stream) -> None:
    for raw in stream:
        sys.stdout.write(nginx_log_line(raw.decode("utf-8", "replace").rstrip("\n")) + "\n")
        sys.stdout.flush()


def _wait_for_socket(path: Path, gunicorn: subprocess.Popen) -> bool:
    deadline = time.monotonic() + SOCKET_WAIT_S
    while not path.exists():
        if gunicorn.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def serve(port: int, host: str, workers: int | None) -> int:
    runtime_dir = Path(tempfile.mkdtemp(prefix="quotewire-frontdoor-"))
    runtime_dir.chmod(0o755)  # nginx's workers run as nobody when started as root
    values = nginx_values(os.environ, runtime_dir, port, host)
    nginx_config = runtime_dir / "nginx.conf"
    nginx_config.write_text(render(config_file("nginx.conf").read_text(encoding="utf-8"), values),
                            encoding="utf-8")
    gunicorn_args = [sys.executable, "-m", "gunicorn", "--config", str(config_file("gunicorn.conf.py")),
                     "--bind", f"unix:{values['gunicorn_socket']}"]
    if workers:
        gunicorn_args += ["--workers", str(workers)]
    children: list[subprocess.Popen] = []
    signalled: set[int] = set()

    def stop(signum=None, frame=None):
        # Each child is told once: a second SIGTERM that reaches gunicorn's master while its
        # Python is exiting (handlers reset) kills it by the signal, a failed exit for a clean stop.
        for child, graceful in zip(children, (signal.SIGTERM, signal.SIGQUIT)):
            if child.poll() is None and child.pid not in signalled:
                signalled.add(child.pid)
                child.send_signal(graceful)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        children.append(subprocess.Popen(gunicorn_args + ["service.wsgi:app"]))
        if not _wait_for_socket(values["gunicorn_socket"], children[0]):
            stop()
            return children[0].wait() or 1
        nginx = subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-e", "stderr",
                                  "-c", str(nginx_config)],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        children.append(nginx)
        # A pipe this process owns: nginx can open /dev/stdout on it as any user.
        threading.Thread(target=_pass_on_as_json, args=(nginx.stdout,), daemon=True).start()
        while all(child.poll() is None for child in children):
            time.sleep(0.2)
        stop()  # one has exited: the service is incomplete without it
        codes = [child.wait() for child in children]
        return next((code for code in codes if code), 0)  # a crash (or a signal) is not success
    finally:
        stop()
        for child in children:
            child.wait()
        shutil.rmtree(runtime_dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="nginx in front of gunicorn, as in production.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--host", default=os.environ.get("HOST", DEFAULTS["HOST"]))
    parser.add_argument("--workers", type=limits.argparse_type(limits.serve_workers), default=None,
                        help=f"gunicorn workers, 1 to {limits.MAX_WORKERS} (default: WEB_CONCURRENCY or the cores)")
    args = parser.parse_args(argv)
    return serve(args.port, args.host, args.workers)


if __name__ == "__main__":
    sys.exit(main())
