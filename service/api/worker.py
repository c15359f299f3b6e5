"""gunicorn's sync worker, with a bound on every pause while a client sends its request, and on
the whole of it.

Run bare, a sync worker reads the request line, headers and body with blocking reads: a client
that stalls holds the worker until gunicorn's own worker timeout (GUNICORN_TIMEOUT), whose abort
answers gunicorn's HTML 500 and replaces the worker. Here each read waits at most
GUNICORN_CLIENT_TIMEOUT seconds (10), and the request must be all in within
GUNICORN_REQUEST_READ_TIMEOUT seconds (20) of the worker taking the connection, so a client that
trickles a byte within each pause is stopped too (keep both below GUNICORN_TIMEOUT, and the read
timeout plus QUOTEWIRE_REQUEST_TIMEOUT too). Either in the request line or headers gets a JSON 408
from the worker, in the body one from the app (api/parsing.py). Once the answer begins, neither
applies; writes block as before. In production nginx reads each request whole first
(nginx.conf), so these reads never wait there.
"""
from __future__ import annotations

import json
import os
import socket
import time
from contextlib import contextmanager

from gunicorn.workers.sync import SyncWorker

from .errors import ClientStalled, ClientTooSlow, error_body
from .logs import REQUEST_ID_HEADER, request_id_from

CLIENT_TIMEOUT_VARIABLE = "GUNICORN_CLIENT_TIMEOUT"
DEFAULT_CLIENT_TIMEOUT_S = 10.0
READ_TIMEOUT_VARIABLE = "GUNICORN_REQUEST_READ_TIMEOUT"
DEFAULT_READ_TIMEOUT_S = 20.0


def _seconds(environ, variable: str, default: float) -> tuple[float, str]:
    raw = environ.get(variable) or str(default)
    try:
        return float(raw), raw
    except ValueError:
        raise SystemExit(f"{variable}: cannot read {raw[:40]!r} as a number") from None


def client_timeout_s(environ, worker_timeout: float) -> float:
    """GUNICORN_CLIENT_TIMEOUT, which must be positive and below the worker timeout (the worker
    must answer before gunicorn aborts it)."""
    seconds, raw = _seconds(environ, CLIENT_TIMEOUT_VARIABLE, DEFAULT_CLIENT_TIMEOUT_S)
    if not 0 < seconds < worker_timeout:
        raise SystemExit(f"{CLIENT_TIMEOUT_VARIABLE}: must be positive and below the worker "
                         f"timeout ({worker_timeout:g} s), got {raw}")
    return seconds


def read_timeout_s(environ, client_timeout: float, worker_timeout: float) -> float:
    """GUNICORN_REQUEST_READ_TIMEOUT, which must be at least the client timeout (one pause) and
    below the worker timeout."""
    seconds, raw = _seconds(environ, READ_TIMEOUT_VARIABLE, DEFAULT_READ_TIMEOUT_S)
    if not client_timeout <= seconds < worker_timeout:
        raise SystemExit(f"{READ_TIMEOUT_VARIABLE}: must be at least {CLIENT_TIMEOUT_VARIABLE} "
                         f"({client_timeout:g} s) and below the worker timeout ({worker_timeout:g} s), "
                         f"got {raw}")
    return seconds


class ClientConnection(socket.socket):
    """The client's socket: a read that waits longer than `pause_s` raises ClientStalled, and one
    past `read_s` after the connection was taken ClientTooSlow, until the answer begins (its
    writes) or the worker starts closing the connection (its closing reads have their own
    timeout): then `deadline` is None and reads are plain ones."""

    pause_s: float = DEFAULT_CLIENT_TIMEOUT_S
    read_s: float = DEFAULT_READ_TIMEOUT_S
    deadline: float | None = None   # time.monotonic() when the request must be in; None: answering or closing

    @classmethod
    def taking_over(cls, client: socket.socket, pause_s: float, read_s: float) -> "ClientConnection":
        connection = cls(client.family, client.type, client.proto, fileno=client.detach())
        connection.pause_s, connection.read_s = pause_s, read_s
        connection.deadline = time.monotonic() + read_s
        connection.settimeout(pause_s)
        return connection

    def recv(self, size: int, flags: int = 0) -> bytes:
        if self.deadline is None:
            return super().recv(size, flags)
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise ClientTooSlow(self.read_s)
        self.settimeout(min(self.pause_s, left))
        try:
            return super().recv(size, flags)
        except TimeoutError:
            if left > self.pause_s:
                raise ClientStalled(self.pause_s) from None
            raise ClientTooSlow(self.read_s) from None   # the wait was what was left of read_s

    @contextmanager
    def _blocking(self):
        self.deadline = None   # the answer has begun: the request was read
        self.settimeout(None)
        try:
            yield
        finally:
            self.settimeout(self.pause_s)

    def sendall(self, data, flags: int = 0) -> None:
        with self._blocking():
            super().sendall(data, flags)

    def sendfile(self, file, offset: int = 0, count: int | None = None) -> int:
        with self._blocking():
            return super().sendfile(file, offset, count)

    def shutdown(self, how: int) -> None:
        self.deadline = None
        super().shutdown(how)


def stalled_response(message: str) -> bytes:
    body = json.dumps(error_body(408, message), separators=(",", ":")).encode()
    head = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n"
            f"{REQUEST_ID_HEADER}: {request_id_from(None)}\r\n\r\n")
    return head.encode("ascii") + body


class ClientTimeoutWorker(SyncWorker):
    """SyncWorker whose client reads give up after GUNICORN_CLIENT_TIMEOUT seconds of silence, or
    GUNICORN_REQUEST_READ_TIMEOUT seconds after the connection was taken."""

    def init_process(self):
        self.client_timeout = client_timeout_s(os.environ, self.cfg.timeout)
        self.read_timeout = read_timeout_s(os.environ, self.client_timeout, self.cfg.timeout)
        super().init_process()

    def accept(self, listener):
        client, addr = listener.accept()
        connection = ClientConnection.taking_over(client, self.client_timeout, self.read_timeout)
        connection.set_inheritable(False)
        self.handle(listener, connection, addr)

    def handle_error(self, req, client, addr, exc):
        """A stall or trickle before the app has the request (request line, headers): a JSON 408.
        (One in the body is the app's to answer: it reads the body.)"""
        if not isinstance(exc, ClientStalled):
            return super().handle_error(req, client, addr, exc)
        part = "headers" if req is None else "body"
        self.log.warning("client too slow in its request %s: %s; answered 408", part, exc)
        try:
            client.sendall(stalled_response(exc.describe(part)))
        except OSError:
            self.log.debug("could not send the 408: the client has gone")
