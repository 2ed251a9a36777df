"""The machinery every emulator shares: routing, fault injection, call counters, request log.

An emulator is a WSGI application built on werkzeug's routing. Each route has an
*endpoint name* (e.g. ``query`` or ``rows.add``); counters, the request log and injected
faults are keyed by that name, so tests can say "the next 2 calls to ``rows.update``
answer 429" or "how many ``query`` calls did the tick make".
"""

from __future__ import annotations

import fnmatch
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

Handler = Callable[..., Response]


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body), status=status, headers=headers, content_type="application/json"
    )


@dataclass
class Fault:
    """An injected failure: the next ``times`` calls to matching endpoints get this answer.

    ``endpoint`` is an fnmatch pattern over endpoint names (``"*"`` matches all).
    ``body`` None means "the emulator's own error body for this status".
    ``delay`` alone (status None) only slows the call down and then serves it normally.
    ``after`` lets that many matching calls through first (an outage in the middle of a
    run of calls).
    """

    endpoint: str
    status: int | None = 500
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1
    delay: float = 0.0
    after: int = 0


@dataclass(frozen=True)
class RecordedRequest:
    endpoint: str
    method: str
    path: str
    query: dict[str, str]
    body: str
    headers: dict[str, str]
    status: int
    token: str | None


class Control:
    """Test-facing state of one emulator: counters, request log, pending faults."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counters: Counter[str] = Counter()
        self.requests: list[RecordedRequest] = []
        self._faults: list[Fault] = []

    def inject(
        self,
        endpoint: str,
        status: int | None = 500,
        body: Any = None,
        *,
        times: int = 1,
        delay: float = 0.0,
        headers: dict[str, str] | None = None,
        after: int = 0,
    ) -> Fault:
        fault = Fault(endpoint, status, body, dict(headers or {}), times, delay, after)
        with self._lock:
            self._faults.append(fault)
        return fault

    def slow(self, endpoint: str, seconds: float, times: int = 1) -> Fault:
        return self.inject(endpoint, None, times=times, delay=seconds)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def take_fault(self, endpoint: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.times > 0 and fnmatch.fnmatchcase(endpoint, fault.endpoint):
                    if fault.after > 0:
                        fault.after -= 1
                        continue
                    fault.times -= 1
                    if fault.times == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def record(self, entry: RecordedRequest) -> None:
        with self._lock:
            self.counters[entry.endpoint] += 1
            self.requests.append(entry)

    def count(self, pattern: str = "*") -> int:
        with self._lock:
            return sum(n for name, n in self.counters.items() if fnmatch.fnmatchcase(name, pattern))

    def calls(self, pattern: str = "*") -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if fnmatch.fnmatchcase(r.endpoint, pattern)]

    def reset_counters(self) -> None:
        with self._lock:
            self.counters.clear()
            self.requests.clear()

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self.counters)


_SECRET_HEADERS = {"authorization", "cookie"}


def bearer_token(request: Request) -> str | None:
    auth = request.headers.get("Authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    return None


class Emulator:
    """Base WSGI app. Subclasses set ``name``, build ``rules()`` and implement handlers.

    A handler is the method ``on_<endpoint>`` with dots replaced by underscores,
    called as ``handler(request, **url_args)``.
    """

    name = "emulator"

    def __init__(self) -> None:
        self.control = Control()
        self.url_map = Map(list(self.rules()), strict_slashes=False, merge_slashes=False)
        self.lock = threading.RLock()  # emulator state is mutated under this lock

    # -- to override ----------------------------------------------------------------
    def rules(self) -> Iterable[Rule]:
        return []

    def error_response(self, status: int, body: Any = None) -> Response:
        """Render an injected fault (or routing error) in the service's own error format."""
        return json_response(body if body is not None else {"error": status}, status)

    def not_found(self, request: Request) -> Response:
        return self.error_response(404)

    def reset(self) -> None:
        """Back to the seeded state; counters, log and faults cleared."""
        self.control.reset_counters()
        self.control.clear_faults()

    def expire_token(self, token: str) -> None:
        raise NotImplementedError

    def revoke_token(self, token: str) -> None:
        raise NotImplementedError

    def decorate(self, request: Request, response: Response) -> Response:
        """Hook for headers every response carries (e.g. Sforce-Limit-Info)."""
        return response

    # -- machinery -----------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        response = self._handle(request)
        return response(environ, start_response)

    def _handle(self, request: Request) -> Response:
        adapter = self.url_map.bind_to_environ(request.environ)
        try:
            endpoint, args = adapter.match()
        except MethodNotAllowed:
            return self._finish(request, "unmatched", self.error_response(405))
        except NotFound:
            return self._finish(request, "unmatched", self.not_found(request))
        except HTTPException as exc:  # e.g. a redirect for a trailing slash
            return self._finish(request, "unmatched", exc.get_response(request.environ))
        fault = self.control.take_fault(str(endpoint))
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status is not None:
                response = self.error_response(fault.status, fault.body)
                response.headers.update(fault.headers)
                return self._finish(request, str(endpoint), response)
        handler = getattr(self, "on_" + str(endpoint).replace(".", "_"))
        response = handler(request, **args)
        return self._finish(request, str(endpoint), self.decorate(request, response))

    def _finish(self, request: Request, endpoint: str, response: Response) -> Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _SECRET_HEADERS}
        self.control.record(
            RecordedRequest(
                endpoint=endpoint,
                method=request.method,
                path=request.path,
                query=dict(request.args.items()),
                body=request.get_data(as_text=True),
                headers=headers,
                status=response.status_code,
                token=bearer_token(request),
            )
        )
        return response
