"""Start and stop the real service on a free loopback port, for benchmarks: by default as in
production, nginx in front of gunicorn (`python -m service.frontdoor`); `frontdoor=False` runs
gunicorn alone (the project's gunicorn.conf.py). Usage:

    with GunicornServer(workers=2, env={"QUOTEWIRE_BATCH_SIZE": "8"}) as server:
        server.url, server.master, server.workers()   # gunicorn's master and workers (psutil)
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class GunicornServer:
    def __init__(self, workers: int = 2, env: dict | None = None, ready_path: str = "/health/ready",
                 startup_seconds: float = 180, frontdoor: bool = True):
        self.frontdoor = frontdoor
        self.workers_count = workers
        self.extra_env = env or {}
        self.ready_path = ready_path
        self.startup_seconds = startup_seconds
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.metrics_dir = tempfile.mkdtemp(prefix="quotewire-bench-metrics-")
        self.log = tempfile.NamedTemporaryFile(prefix="quotewire-bench-", suffix=".log", delete=False)
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "GunicornServer":
        env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": self.metrics_dir, **self.extra_env}
        self.process = subprocess.Popen(self._command(), cwd=ROOT, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()  # never leave a server behind when it fails to come up
            raise
        return self

    def _command(self) -> list[str]:
        if self.frontdoor:
            return [sys.executable, "-m", "service.frontdoor", "--host", "127.0.0.1",
                    "--port", str(self.port), "--workers", str(self.workers_count)]
        return [GUNICORN, "--config", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(self.workers_count), "service.wsgi:app"]

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; log: {self.log.name}")
            try:
                with urllib.request.urlopen(self.url + self.ready_path, timeout=5) as response:
                    if response.status == 200 and len(self.workers()) == self.workers_count:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn not ready after {self.startup_seconds}s; log: {self.log.name}")

    @property
    def master(self) -> psutil.Process:
        """gunicorn's master: the process started, or the frontdoor's gunicorn child."""
        launcher = psutil.Process(self.process.pid)
        if not self.frontdoor:
            return launcher
        return next(child for child in launcher.children() if "gunicorn" in " ".join(child.cmdline()))

    @property
    def nginx(self) -> list[psutil.Process]:
        """nginx's master and workers (none without the frontdoor)."""
        launcher = psutil.Process(self.process.pid)
        return [p for p in launcher.children(recursive=True) if p.name() == "nginx"]

    def workers(self) -> list[psutil.Process]:
        return self.master.children()

    def __exit__(self, *exc) -> None:
        self.stop()
        shutil.rmtree(self.metrics_dir, ignore_errors=True)
        os.unlink(self.log.name)

    def stop(self) -> None:
        """SIGTERM (graceful), then SIGKILL the server's process group if it lingers."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
