"""One WSGI application made of a list of routes: Bolt's handler for /slack/*, the connect
flows for /connect/*, and whatever else the composition root adds (health, metrics).

Transport only: each route is a WSGI callable; `serve_in_thread` runs the whole thing on
loopback for tests and the demo (production uses `syncbot serve`)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from sync.courtesy import Courtesy

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
PageHandler = Callable[..., Response]  # (request, **route args) -> Response


@dataclass(frozen=True)
class Route:
    rule: str
    app: WSGIApp
    methods: tuple[str, ...] = ("GET", "POST")


def page_route(rule: str, handler: PageHandler, methods: tuple[str, ...] = ("GET",)) -> Route:
    """A route whose handler takes a werkzeug Request (and the rule's arguments)."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        args = environ.get("syncbot.route_args", {})
        return handler(Request(environ), **args)(environ, start_response)

    return Route(rule, app, methods)


def slack_routes(bolt: App) -> list[Route]:
    handler = SlackRequestHandler(bolt)
    return [
        Route("/slack/events", handler, ("POST",)),
        Route("/slack/install", handler, ("GET",)),
        Route("/slack/oauth_redirect", handler, ("GET",)),
    ]


class WebApp:
    def __init__(self, routes: Sequence[Route], bolt: App | None = None) -> None:
        self.routes = list(routes)
        self.bolt = bolt  # the Slack app behind /slack/*, for tests and wiring
        self._map = Map(
            [Rule(r.rule, endpoint=i, methods=list(r.methods)) for i, r in enumerate(self.routes)]
        )

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        try:
            index, args = self._map.bind_to_environ(environ).match()
        except HTTPException as exc:
            answer: Iterable[bytes] = exc(environ, start_response)
            return answer
        environ["syncbot.route_args"] = args
        answer = self.routes[index].app(environ, start_response)
        return answer


def served_first(app: WSGIApp, courtesy: Courtesy) -> WSGIApp:
    """`app`, each request marked as being served until its body is sent, so the engine
    steps aside meanwhile (sync/courtesy.py)."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        courtesy.begin()
        try:
            answer = app(environ, start_response)
        except BaseException:
            courtesy.end()
            raise
        return (
            _SizedServed(answer, courtesy)
            if hasattr(answer, "__len__")
            else _Served(answer, courtesy)
        )

    return wrapped


class _Served:
    """An answer whose request counts as served until the server closes it (PEP 3333: the
    server calls `close`, whatever happened while sending)."""

    def __init__(self, answer: Iterable[bytes], courtesy: Courtesy) -> None:
        self._answer, self._courtesy = answer, courtesy

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._answer)

    def close(self) -> None:
        try:
            close = getattr(self._answer, "close", None)
            if close is not None:
                close()
        finally:
            self._courtesy.end()


class _SizedServed(_Served):
    """The same, keeping the answer's length: waitress sets Content-Length from a body of
    one chunk only when it can ask its length."""

    def __len__(self) -> int:
        return len(self._answer)  # type: ignore[arg-type]


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class RunningServer:
    """A threaded werkzeug server on 127.0.0.1 and a port the OS picks. `app` may be set
    after the port is known (the Slack app's redirect URL contains it)."""

    def __init__(self, app: WSGIApp | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self._server: BaseWSGIServer = make_server(
            host, port, self._dispatch, threaded=True, request_handler=_Quiet
        )
        self.url = f"http://{host}:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True, name="syncbot-web"
        )

    def _dispatch(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if self.app is None:
            return Response("starting", status=503)(environ, start_response)
        return self.app(environ, start_response)

    def start(self) -> RunningServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def serve_in_thread(
    app: WSGIApp | None = None, host: str = "127.0.0.1", port: int = 0
) -> RunningServer:
    return RunningServer(app, host, port).start()
