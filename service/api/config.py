"""Service settings: defaults, overridden by QUOTEWIRE_* environment variables, overridden by the
dict given to create_app(). Invalid values fail at startup with a message naming the variable."""
from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any, Mapping

from ..nlp import DEFAULT_BATCH_SIZE

PREFIX = "QUOTEWIRE_"


@dataclass(frozen=True)
class Settings:
    model: str | None = None             # spaCy model name; None = the engine's default
    max_body_bytes: int = 5 * 1024 * 1024  # larger request bodies get 413
    max_text_chars: int = 100_000        # longer texts get 422: about 8 s of parsing, under the time limit
    max_batch: int = 100                 # articles per batch request
    batch_size: int = DEFAULT_BATCH_SIZE  # nlp.pipe minibatch size
    article_timeout: float = 10.0        # seconds one article may take before 504
    request_timeout: float = 60.0        # seconds a whole request may take (keep < gunicorn timeout)
    api_key: str | None = None           # when set, every /v1/ call needs X-API-Key
    cors_origins: tuple[str, ...] = ()   # origins allowed to call /v1/ from a browser
    log_level: str = "INFO"

    def public_limits(self) -> dict[str, Any]:
        """The limits a client may want to know (GET /v1/info)."""
        return {"max_body_bytes": self.max_body_bytes, "max_text_chars": self.max_text_chars,
                "max_batch": self.max_batch, "article_timeout_s": self.article_timeout,
                "request_timeout_s": self.request_timeout, "api_key_required": bool(self.api_key)}


def _parse(name: str, kind: type, raw: Any) -> Any:
    """Convert one raw value (env string or Python value) to the field's type."""
    if raw is None:
        return None
    try:
        if kind is tuple:
            items = raw.split(",") if isinstance(raw, str) else list(raw)
            return tuple(item.strip() for item in items if item.strip())
        if kind is str:
            value = str(raw).strip()
            return value or None
        value = kind(raw)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{PREFIX}{name.upper()}: cannot read {str(raw)[:40]!r} as {kind.__name__}") from exc
    if value <= 0:
        raise ValueError(f"{PREFIX}{name.upper()}: must be positive, got {value}")
    return value


_TYPES = {"model": str, "max_body_bytes": int, "max_text_chars": int, "max_batch": int,
          "batch_size": int, "article_timeout": float, "request_timeout": float,
          "api_key": str, "cors_origins": tuple, "log_level": str}


def load_settings(overrides: Mapping[str, Any] | None = None,
                  environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from the environment, then `overrides` (keys like "QUOTEWIRE_MAX_BATCH")."""
    environ = os.environ if environ is None else environ
    overrides = overrides or {}
    values = {}
    for field in fields(Settings):
        key = PREFIX + field.name.upper()
        if key in overrides:
            values[field.name] = _parse(field.name, _TYPES[field.name], overrides[key])
        elif key in environ:
            values[field.name] = _parse(field.name, _TYPES[field.name], environ[key])
    settings = Settings(**values)
    if settings.log_level:
        object.__setattr__(settings, "log_level", settings.log_level.upper())
    return settings
