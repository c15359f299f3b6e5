"""JSON logs on stdout, each line carrying the request id. Also used by gunicorn.conf.py for
gunicorn's own error and access logs, so every line the service prints is one JSON object."""
from __future__ import annotations

import logging
import re
import sys
import uuid

from pythonjsonlogger.json import JsonFormatter

LOGGER_NAME = "quotewire"
REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is kept only if it is short and plain, so logs cannot be forged or flooded.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
BASE_FIELDS = "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"


def request_id_from(incoming: str | None) -> str:
    """The client's X-Request-ID when it is safe to log, else a fresh one."""
    if incoming and _SAFE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record logged while a Flask request is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            from flask import g, has_request_context  # lazy: gunicorn's master logs before Flask loads
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


def json_formatter() -> JsonFormatter:
    return JsonFormatter(BASE_FIELDS, rename_fields={"levelname": "level", "name": "logger", "process": "pid"})


def configure_app_logging(level: str) -> logging.Logger:
    """The "quotewire" logger writes JSON to stdout (once, however many apps are created)."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(level)
    logger.propagate = False
    if not any(getattr(h, "_quotewire", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(json_formatter())
        handler.addFilter(RequestIdFilter())
        handler._quotewire = True
        logger.addHandler(handler)
    return logger


class GunicornAccessFormatter(JsonFormatter):
    """gunicorn passes its access-log atoms as the record's args: lift them into JSON fields."""

    ATOMS = {"remote_addr": "h", "method": "m", "path": "U", "query": "q", "status": "s",
             "bytes": "B", "duration_ms": "M", "user_agent": "a", "request_id": "{x-request-id}o"}

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        atoms = record.args if isinstance(record.args, dict) or hasattr(record.args, "get") else {}
        for field, atom in self.ATOMS.items():
            value = atoms.get(atom) if atoms else None
            log_data[field] = None if value in (None, "-") else value
        if log_data.get("status") is not None:
            try:
                log_data["status"] = int(log_data["status"])
            except (TypeError, ValueError):
                pass


def gunicorn_logconfig(level: str = "INFO") -> dict:
    """dictConfig for gunicorn: error and access logs as JSON on stdout."""
    formatter = {"()": "pythonjsonlogger.json.JsonFormatter", "fmt": BASE_FIELDS,
                 "rename_fields": {"levelname": "level", "name": "logger", "process": "pid"}}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": formatter,
            "access": {**formatter, "()": "service.api.logs.GunicornAccessFormatter"},
        },
        # Engine and library logs (root) carry the request id too.
        "filters": {"request_id": {"()": "service.api.logs.RequestIdFilter"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json",
                        "stream": "ext://sys.stdout", "filters": ["request_id"]},
            "error_console": {"class": "logging.StreamHandler", "formatter": "json",
                              "stream": "ext://sys.stdout"},
            "access_console": {"class": "logging.StreamHandler", "formatter": "access",
                               "stream": "ext://sys.stdout"},
        },
        "root": {"level": level, "handlers": ["console"]},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["access_console"], "propagate": False},
        },
    }
