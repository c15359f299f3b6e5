"""What the views need from the app: settings, the engine and the counters."""
from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app, g

from .config import Settings
from .engine import Engine
from .metrics import EngineCounters


@dataclass
class ServiceState:
    settings: Settings
    engine: Engine
    counters: EngineCounters


def state() -> ServiceState:
    return current_app.extensions["quotewire"]


def request_deadline() -> float:
    """time.monotonic() by when the current request must be answered (QUOTEWIRE_REQUEST_TIMEOUT
    from its start): the engine's deadline, and the HTML step's."""
    return g.get("started_monotonic", time.monotonic()) + state().settings.request_timeout
