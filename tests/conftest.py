"""Shared fixtures: the real engine, the Flask app and clients, and real gunicorn servers.

- `nlp`: the loaded pipeline, once per session.
- `make_app(**settings)`: an app on that pipeline with QUOTEWIRE_* settings, e.g. make_app(MAX_BATCH=2).
- `app`, `client`, `runner`: Flask's usual trio on the default settings.
- `start_service(env=..., workers=..., wait_for=..., port=...)`: the production stack, nginx in
  front of gunicorn (`python -m service.frontdoor`), on a free loopback port (or `port`); returns
  a GunicornServer (url, process, log). What a client sees is tested on this.
- `start_gunicorn(...)`: gunicorn alone (the project's gunicorn.conf.py), the same way: for what
  is gunicorn's own (its workers, their metrics, its timeouts when it runs without nginx).
- `live_server`: the base URL of one shared 2-worker service (nginx + gunicorn).
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "tests" / "data" / "seeds"
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
STARTUP_SECONDS = 180  # model load on a machine shared with other jobs


def seed_text(prefix: str) -> str:
    """A seed article by its file-name prefix ("000", "003")."""
    return next(SEEDS_DIR.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def nlp():
    from service.nlp import load_pipeline
    return load_pipeline()


@pytest.fixture(scope="session")
def seeds() -> dict[str, str]:
    return {path.name.split("_")[0]: path.read_text(encoding="utf-8")
            for path in sorted(SEEDS_DIR.glob("*.txt"))}


@pytest.fixture
def make_app(nlp):
    """Build an app on the session's pipeline; keyword arguments are QUOTEWIRE_* settings."""
    from service import create_app

    def build(pipeline=nlp, **settings):
        config = {"TESTING": True, **{f"QUOTEWIRE_{k.upper()}": v for k, v in settings.items()}}
        if pipeline is not None:
            config["QUOTEWIRE_PIPELINE"] = pipeline
        return create_app(config)

    return build


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class GunicornServer:
    url: str
    process: subprocess.Popen
    log_path: Path
    metrics_dir: str
    env: dict = field(default_factory=dict)

    def gunicorn_pid(self) -> int:
        """gunicorn's master: the process itself, or the frontdoor's gunicorn child."""
        launcher = psutil.Process(self.process.pid)
        if "gunicorn" in " ".join(launcher.cmdline()[:3]):
            return launcher.pid
        return next(child.pid for child in launcher.children() if "gunicorn" in " ".join(child.cmdline()))

    def log_lines(self) -> list[str]:
        return self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM (graceful), then SIGKILL the whole process group if it lingers."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _wait_until(server: GunicornServer, path: str, deadline: float) -> None:
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.process.returncode}:\n"
                               + "\n".join(server.log_lines()[-30:]))
        try:
            if requests.get(server.url + path, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{path} did not answer 200 within {STARTUP_SECONDS}s:\n"
                               + "\n".join(server.log_lines()[-30:]))
        time.sleep(0.3)


def _server_factory(tmp_path_factory, command):
    """start(env=..., workers=2, wait_for="/health/ready", extra_args=(), port=None) ->
    GunicornServer, for `command(port, workers, extra_args)` on `port` (default: a free one);
    every server started is stopped at the end."""
    servers: list[GunicornServer] = []

    def start(env: dict | None = None, workers: int = 2, wait_for: str = "/health/ready",
              extra_args: tuple[str, ...] = (), port: int | None = None) -> GunicornServer:
        port = port or free_port()
        log_path = tmp_path_factory.mktemp("server") / "server.log"
        metrics_dir = tempfile.mkdtemp(prefix="quotewire-test-metrics-")
        full_env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": metrics_dir, **(env or {})}
        with open(log_path, "wb") as log:
            process = subprocess.Popen(command(port, workers, extra_args), cwd=ROOT, env=full_env,
                                       stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        server = GunicornServer(f"http://127.0.0.1:{port}", process, log_path, metrics_dir, full_env)
        servers.append(server)
        _wait_until(server, wait_for, time.monotonic() + STARTUP_SECONDS)
        return server

    return start, servers


def gunicorn_command(port: int, workers: int, extra_args) -> list[str]:
    return [GUNICORN, "--config", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), *extra_args, "service.wsgi:app"]


def frontdoor_command(port: int, workers: int, extra_args) -> list[str]:
    assert not extra_args, "the frontdoor takes its settings from the environment"
    return [sys.executable, "-m", "service.frontdoor", "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers)]


def _servers_stopped_at_the_end(tmp_path_factory, command):
    start, servers = _server_factory(tmp_path_factory, command)
    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def start_gunicorn(tmp_path_factory):
    """Factory: gunicorn alone (the project's gunicorn.conf.py), for what is gunicorn's own."""
    yield from _servers_stopped_at_the_end(tmp_path_factory, gunicorn_command)


@pytest.fixture(scope="session")
def start_service(tmp_path_factory):
    """Factory: the production stack, nginx in front of gunicorn (service/frontdoor.py)."""
    yield from _servers_stopped_at_the_end(tmp_path_factory, frontdoor_command)


@pytest.fixture(scope="session")
def live_server(start_service) -> str:
    """Base URL of the production stack (nginx + 2 gunicorn workers) with default settings."""
    return start_service(workers=2).url
