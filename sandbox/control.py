"""The sandbox's control surface over HTTP, for scripts and other processes.

GET  /<service>/counters            {"<endpoint>": n, ...}
GET  /<service>/requests            [{endpoint, method, path, status}, ...]
POST /<service>/faults              {"endpoint": "rows.*", "status": 429, "body": ..., "times": 2,
                                     "delay": 0, "headers": {}}
DELETE /<service>/faults
POST /<service>/reset               back to the seeded state
POST /<service>/tokens/expire       {"token": "..."}
POST /<service>/tokens/revoke       {"token": "..."}
POST /salesforce/records/purge      {"object": "Account", "id": "001..."}  hard delete / purge
                                    {"object": "Account"} or {} empties the recycle bin
POST /salesforce/records/undelete   {"object": "Account", "id": "001..."}
POST /salesforce/api-access         {"enabled": false}  an edition without API access
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from sandbox.core import Emulator, json_response
from sandbox.salesforce import SalesforceEmulator
from sandbox.salesforce.errors import SfError


class ControlApp:
    def __init__(self, emulators: Mapping[str, Emulator]) -> None:
        self.emulators = dict(emulators)
        self.url_map = Map(
            [
                Rule("/<service>/counters", endpoint="counters", methods=["GET"]),
                Rule("/<service>/requests", endpoint="requests", methods=["GET"]),
                Rule("/<service>/faults", endpoint="faults", methods=["POST", "DELETE"]),
                Rule("/<service>/reset", endpoint="reset", methods=["POST"]),
                Rule("/<service>/tokens/<action>", endpoint="tokens", methods=["POST"]),
                Rule("/<service>/records/<action>", endpoint="records", methods=["POST"]),
                Rule("/<service>/api-access", endpoint="api_access", methods=["POST"]),
            ]
        )

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        try:
            endpoint, args = self.url_map.bind_to_environ(environ).match()
        except Exception:  # any routing failure is a 404 here
            return json_response({"error": "not_found"}, 404)(environ, start_response)
        args = dict(args)
        emulator = self.emulators.get(args.pop("service"))
        if emulator is None:
            return json_response({"error": "unknown_service"}, 404)(environ, start_response)
        response = getattr(self, "_" + endpoint)(request, emulator, **args)
        return response(environ, start_response)

    def _counters(self, request: Request, emulator: Emulator) -> Response:
        return json_response(emulator.control.snapshot())

    def _requests(self, request: Request, emulator: Emulator) -> Response:
        return json_response(
            [
                {"endpoint": r.endpoint, "method": r.method, "path": r.path, "status": r.status}
                for r in emulator.control.calls()
            ]
        )

    def _faults(self, request: Request, emulator: Emulator) -> Response:
        if request.method == "DELETE":
            emulator.control.clear_faults()
            return json_response({"ok": True})
        spec = json.loads(request.get_data(as_text=True) or "{}")
        emulator.control.inject(
            spec.get("endpoint", "*"),
            spec.get("status", 500),
            spec.get("body"),
            times=int(spec.get("times", 1)),
            delay=float(spec.get("delay", 0)),
            headers=spec.get("headers"),
            after=int(spec.get("after", 0)),
        )
        return json_response({"ok": True})

    def _reset(self, request: Request, emulator: Emulator) -> Response:
        emulator.reset()
        return json_response({"ok": True})

    def _tokens(self, request: Request, emulator: Emulator, action: str) -> Response:
        token = json.loads(request.get_data(as_text=True) or "{}").get("token", "")
        if action == "expire":
            emulator.expire_token(token)
        elif action == "revoke":
            emulator.revoke_token(token)
        else:
            return json_response({"error": "unknown_action"}, 404)
        return json_response({"ok": True})

    def _records(self, request: Request, emulator: Emulator, action: str) -> Response:
        spec = json.loads(request.get_data(as_text=True) or "{}")
        if action not in ("purge", "undelete") or not isinstance(emulator, SalesforceEmulator):
            return json_response({"error": "unknown_action"}, 404)
        try:
            if action == "undelete":
                emulator.undelete(spec["object"], spec["id"])
                return json_response({"ok": True})
            if spec.get("id"):
                emulator.purge(spec["object"], spec["id"])
                return json_response({"ok": True, "purged": [spec["id"]]})
            purged = emulator.empty_recycle_bin(spec.get("object"))
            return json_response({"ok": True, "purged": purged})
        except KeyError as missing:
            return json_response({"error": "missing_argument", "argument": str(missing)}, 400)
        except SfError as refused:
            return json_response({"error": refused.item()}, refused.status)

    def _api_access(self, request: Request, emulator: Emulator) -> Response:
        if not isinstance(emulator, SalesforceEmulator):
            return json_response({"error": "unknown_action"}, 404)
        spec = json.loads(request.get_data(as_text=True) or "{}")
        emulator.set_api_access(bool(spec.get("enabled", True)))
        return json_response({"ok": True})
