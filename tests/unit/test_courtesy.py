"""The engine steps aside while Slack is being answered (sync/courtesy.py), never for
longer than its longest pause, and not at all when nothing is being served."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from bot.web import served_first
from sync.courtesy import Courtesy


def _in_thread(step: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=step, daemon=True)
    thread.start()
    return thread


def test_with_nothing_served_the_engine_goes_straight_on() -> None:
    courtesy = Courtesy()

    courtesy.step_aside()

    assert courtesy.pauses == 0


def test_a_step_waits_while_a_request_is_served_and_goes_on_when_it_is_answered() -> None:
    courtesy = Courtesy(longest_pause=60)
    courtesy.begin()

    step = _in_thread(courtesy.step_aside)
    step.join(0.2)
    assert step.is_alive()  # still waiting: the request is being served

    courtesy.end()
    step.join(5)
    assert not step.is_alive()
    assert courtesy.pauses == 1


def test_two_requests_at_once_hold_the_engine_until_both_are_answered() -> None:
    courtesy = Courtesy(longest_pause=60)
    courtesy.begin()
    courtesy.begin()
    step = _in_thread(courtesy.step_aside)

    courtesy.end()
    step.join(0.2)
    assert step.is_alive()

    courtesy.end()
    step.join(5)
    assert not step.is_alive()


def test_a_stream_of_requests_slows_the_engine_but_never_stops_it() -> None:
    courtesy = Courtesy(longest_pause=0.05)
    courtesy.begin()  # never answered

    step = _in_thread(courtesy.step_aside)
    step.join(5)

    assert not step.is_alive()
    assert courtesy.pauses == 1


def test_bytes_arriving_hold_the_engine_for_a_moment_only() -> None:
    courtesy = Courtesy(longest_pause=60)
    courtesy.notice()  # a request on its way, not yet served

    step = _in_thread(courtesy.step_aside)
    step.join(5)

    assert not step.is_alive()  # the grace ran out without a request being served
    assert courtesy.pauses == 1


def test_the_web_layer_marks_a_request_as_served_until_its_answer_is_closed() -> None:
    courtesy = Courtesy(longest_pause=60)
    seen: list[int] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        seen.append(courtesy.in_flight)
        start_response("200 OK", [])
        return [b"ok"]

    answer = served_first(app, courtesy)({}, lambda *a: None)
    assert seen == [1]  # inside the app: being served
    assert list(answer) == [b"ok"]
    assert courtesy.in_flight == 1  # the body is not closed yet
    answer.close()  # type: ignore[attr-defined]
    assert courtesy.in_flight == 0


def test_a_request_that_raises_is_not_left_marked_as_served() -> None:
    courtesy = Courtesy()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        raise RuntimeError("broken")

    with pytest.raises(RuntimeError):
        served_first(app, courtesy)({}, lambda *a: None)
    assert courtesy.in_flight == 0


def test_the_answer_keeps_its_length_so_the_server_can_set_content_length() -> None:
    # waitress sets Content-Length itself only for a body whose length it can ask
    courtesy = Courtesy()

    def listed(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response("200 OK", [])
        return [b"hello"]

    def streamed(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response("200 OK", [])
        yield b"hello"

    sized = served_first(listed, courtesy)({}, lambda *a: None)
    unsized = served_first(streamed, courtesy)({}, lambda *a: None)

    assert len(sized) == 1  # type: ignore[arg-type]
    assert not hasattr(unsized, "__len__")
    assert list(unsized) == [b"hello"]
    sized.close()  # type: ignore[attr-defined]
    unsized.close()  # type: ignore[attr-defined]
    assert courtesy.in_flight == 0
