"""GET /health/live (the process answers) and GET /health/ready (model loaded, test parse passes)."""
from __future__ import annotations

from flask import jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from .errors import ServiceError
from .schemas import ErrorSchema, LiveSchema, ReadySchema
from .state import state

blp = Blueprint("health", __name__, url_prefix="/health", description="Liveness and readiness.")


@blp.route("/live")
class Live(MethodView):
    @blp.response(200, LiveSchema)
    def get(self):
        """The process is up (says nothing about the model)"""
        return jsonify({"status": "ok"})


@blp.route("/ready")
class Ready(MethodView):
    @blp.response(200, ReadySchema)
    @blp.alt_response(503, schema=ErrorSchema, description="Model not loaded or test parse failed")
    def get(self):
        """Ready for traffic: the model is loaded and a test parse finds its quote (rerun every few seconds)"""
        engine = state().engine
        passed, reason, probe_ms = engine.readiness()
        if not passed:
            raise ServiceError(503, f"Not ready: {reason}")
        return jsonify({"status": "ready", "model": engine.model_name, "probe_ms": round(probe_ms, 2)})
