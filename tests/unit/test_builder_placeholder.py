"""The placeholder gate: what replaces a submission's placeholder is sent only once Slack
has applied the ack, however late the ack lands; never covered by it."""

from __future__ import annotations

from typing import Any

from handlers.builder.placeholder import ACK_WINDOW_SECONDS, PlaceholderGate, slack_error

PLACEHOLDER = {"type": "modal", "callback_id": "loading"}
RESULT = {"type": "modal", "callback_id": "preview"}


class SlackApiFailure(Exception):
    """Shaped like slack_sdk's SlackApiError: the answer's body under `.response`."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.response = {"ok": False, "error": error}


class OneModal:
    """A modal as Slack keeps it: each change gives a new hash, a stale hash is refused.
    The ack's placeholder lands after `ack_after` of the bot's views.update calls."""

    def __init__(self, ack_after: int | None) -> None:
        self.view: dict[str, Any] = {"callback_id": "filter"}
        self.hash, self.ack_after, self.calls = "h0", ack_after, 0

    def views_update(self, *, view_id: str, view: dict[str, Any], hash: str = "") -> Any:
        self.calls += 1
        if self.calls == self.ack_after:
            self._show(PLACEHOLDER)  # Slack applies the ack just before this call
        if hash and hash != self.hash:
            raise SlackApiFailure("hash_conflict")
        self._show(view)
        return {"ok": True, "view": {**view, "hash": self.hash}}

    def _show(self, view: dict[str, Any]) -> None:
        self.view, self.hash = view, f"h{int(self.hash[1:]) + 1}"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def gate_on(modal: OneModal, clock: Clock) -> PlaceholderGate:
    return PlaceholderGate(modal, "V1", "h0", PLACEHOLDER, lambda: clock.now, clock.sleep)


def test_a_result_ready_before_the_ack_lands_waits_for_it() -> None:
    modal, clock = OneModal(ack_after=3), Clock()
    gate_on(modal, clock).update(RESULT)
    assert modal.view == RESULT
    assert modal.calls == 4  # two probes answered ok, the third conflicts, then the result


def test_an_ack_already_applied_costs_one_probe() -> None:
    modal, clock = OneModal(ack_after=1), Clock()
    gate = gate_on(modal, clock)
    gate.update({"callback_id": "loading", "text": "checked 2,000 / 2,500"})
    gate.update(RESULT)
    assert modal.view == RESULT
    assert modal.calls == 3  # one probe, then both updates straight through


def test_an_ack_that_never_lands_does_not_hold_the_result_back_for_good() -> None:
    modal, clock = OneModal(ack_after=None), Clock()  # Slack gave up on the answer
    gate_on(modal, clock).update(RESULT)
    assert modal.view == RESULT
    assert clock.now >= ACK_WINDOW_SECONDS - 0.5
    assert modal.calls <= 10


def test_other_slack_errors_are_not_taken_for_the_ack() -> None:
    assert slack_error(SlackApiFailure("not_found")) == "not_found"
    assert slack_error(ValueError("x")) == ""
