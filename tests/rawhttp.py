"""Raw HTTP over a socket, for requests no client library will send: malformed chunked bodies,
oversized header blocks, bare LF, slow and stalled clients."""
from __future__ import annotations

import json
import select
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class RawResponse:
    status: int | None      # None: the connection closed (or timed out) without a status line
    headers: dict[str, str]
    body: bytes
    seconds: float                  # until the server closed the connection
    first_byte_seconds: float | None  # until the answer began (None: no answer)

    def json(self):
        return json.loads(self.body)


def address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname, parts.port


def parse_response(data: bytes) -> tuple[int | None, dict[str, str], bytes]:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split()[1])
    except (IndexError, ValueError):
        return None, {}, data
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = _dechunk(body)
    return status, headers, body


def _dechunk(body: bytes) -> bytes:
    out = b""
    while body:
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out, body = out + rest[:size], rest[size + 2:]
    return out


def send_raw(url: str, data: bytes, timeout: float = 30, pieces: list[tuple[float, bytes]] = ()) -> RawResponse:
    """Send `data`, then each (pause seconds, bytes) of `pieces` until the server answers or
    closes; read until the server closes."""
    started = time.monotonic()
    with socket.create_connection(address(url), timeout=timeout) as sock:
        received, first_byte = b"", None
        try:
            sock.sendall(data)
            for pause, piece in pieces:
                if select.select([sock], [], [], pause)[0]:
                    break   # the server has answered (or closed): the rest would go unread
                sock.sendall(piece)
        except OSError:
            pass  # the server may answer and close before we have sent everything
        try:
            while chunk := sock.recv(65536):
                first_byte = first_byte or time.monotonic() - started
                received += chunk
        except (socket.timeout, ConnectionResetError):
            pass
    status, headers, body = parse_response(received)
    return RawResponse(status, headers, body, time.monotonic() - started, first_byte)


def request_head(method: str, path: str, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: quotewire.test", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def chunked_post(path: str, chunks: bytes) -> bytes:
    return request_head("POST", path, {"Content-Type": "application/json",
                                       "Transfer-Encoding": "chunked"}) + chunks


def chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)
