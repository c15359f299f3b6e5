"""gunicorn's sync worker, with a bound on every pause while a client sends its request.

Run bare, a sync worker reads the request line, headers and body with blocking reads: a client
that stalls holds the worker until gunicorn's own worker timeout (GUNICORN_TIMEOUT), whose abort
answers gunicorn's HTML 500 and replaces the worker. Here each read waits at most
GUNICORN_CLIENT_TIMEOUT seconds (10; keep below GUNICORN_TIMEOUT); a stall in the request line or
headers gets a JSON 408 from the worker, a stall in the body one from the app (api/parsing.py).
Writes block as before. In production nginx reads each request whole first (nginx.conf), so
these reads never wait there.
"""
from __future__ import annotations

import json
import os
import socket
from contextlib import contextmanager

from gunicorn.workers.sync import SyncWorker

from .errors import ClientStalled, error_body, stalled_message
from .logs import REQUEST_ID_HEADER, request_id_from

CLIENT_TIMEOUT_VARIABLE = "GUNICORN_CLIENT_TIMEOUT"
DEFAULT_CLIENT_TIMEOUT_S = 10.0


def client_timeout_s(environ, worker_timeout: float) -> float:
    """GUNICORN_CLIENT_TIMEOUT, which must be positive and below the worker timeout (the worker
    must answer before gunicorn aborts it)."""
    raw = environ.get(CLIENT_TIMEOUT_VARIABLE) or str(DEFAULT_CLIENT_TIMEOUT_S)
    try:
        seconds = float(raw)
    except ValueError:
        raise SystemExit(f"{CLIENT_TIMEOUT_VARIABLE}: cannot read {raw[:40]!r} as a number") from None
    if not 0 < seconds < worker_timeout:
        raise SystemExit(f"{CLIENT_TIMEOUT_VARIABLE}: must be positive and below the worker "
                         f"timeout ({worker_timeout:g} s), got {raw}")
    return seconds


class ClientConnection(socket.socket):
    """The client's socket: a read that waits longer than `pause_s` raises ClientStalled, until
    the worker starts closing the connection (its closing reads have their own timeout)."""

    pause_s: float = DEFAULT_CLIENT_TIMEOUT_S
    closing: bool = False

    @classmethod
    def taking_over(cls, client: socket.socket, pause_s: float) -> "ClientConnection":
        connection = cls(client.family, client.type, client.proto, fileno=client.detach())
        connection.pause_s = pause_s
        connection.settimeout(pause_s)
        return connection

    def recv(self, size: int, flags: int = 0) -> bytes:
        try:
            return super().recv(size, flags)
        except TimeoutError:
            if self.closing:
                raise
            raise ClientStalled(self.pause_s) from None

    @contextmanager
    def _blocking(self):
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
        self.closing = True
        super().shutdown(how)


def stalled_response(message: str) -> bytes:
    body = json.dumps(error_body(408, message), separators=(",", ":")).encode()
    head = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n"
            f"{REQUEST_ID_HEADER}: {request_id_from(None)}\r\n\r\n")
    return head.encode("ascii") + body


class ClientTimeoutWorker(SyncWorker):
    """SyncWorker whose client reads give up after GUNICORN_CLIENT_TIMEOUT seconds of silence."""

    def init_process(self):
        self.client_timeout = client_timeout_s(os.environ, self.cfg.timeout)
        super().init_process()

    def accept(self, listener):
        client, addr = listener.accept()
        connection = ClientConnection.taking_over(client, self.client_timeout)
        connection.set_inheritable(False)
        self.handle(listener, connection, addr)

    def handle_error(self, req, client, addr, exc):
        """A stall before the app has the request (request line, headers): a JSON 408. (A stall
        in the body is the app's to answer: it reads the body.)"""
        if not isinstance(exc, ClientStalled):
            return super().handle_error(req, client, addr, exc)
        part = "headers" if req is None else "body"
        self.log.warning("client stalled in its request %s: %s; answered 408", part, exc)
        try:
            client.sendall(stalled_response(stalled_message(part, exc.seconds)))
        except OSError:
            self.log.debug("could not send the 408: the client has gone")
