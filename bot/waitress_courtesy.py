"""Waitress told about Slack first (sync/courtesy.py): its connections say when a
request's bytes arrive, and its loop takes every waiting connection in one turn."""

from __future__ import annotations

from typing import Any

from waitress.channel import HTTPChannel

from sync.courtesy import Courtesy


def noticing_channel(courtesy: Courtesy) -> type[HTTPChannel]:
    """Waitress's connection, telling `courtesy` when a request's bytes arrive (before it
    is parsed and served: see sync/courtesy.py)."""

    class Noticing(HTTPChannel):  # type: ignore[misc]  # waitress has no type hints
        def received(self, data: bytes) -> bool:
            courtesy.notice()
            return bool(super().received(data))

    return Noticing


ACCEPT_BATCH = 16  # connections taken per wake-up of waitress's loop


def accept_in_batches(server: Any, courtesy: Courtesy) -> None:
    """Waitress accepts one connection per turn of its loop, and each turn has to win the
    interpreter back from the engine: fifty people at once waited 0.3 s just to be
    accepted. Take what is waiting, up to ACCEPT_BATCH, in one turn."""
    accept_one = server.handle_accept

    def handle_accept() -> None:
        courtesy.notice()
        for _ in range(ACCEPT_BATCH):
            known = len(server._map)  # each accepted connection joins the loop's map
            accept_one()
            if len(server._map) == known:
                return  # nothing more was waiting

    server.handle_accept = handle_accept
