"""What the views need from the app: settings, the engine and the counters."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

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
