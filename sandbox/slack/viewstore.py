"""Modal stacks and App Home tabs, stored the way Slack returns them from views.*.

Views reaching this store were already validated (``view_rules.check_view``).

A person has at most one modal stack (root + up to 2 pushed views) and one Home view per
app. Every change gives the view a new ``hash``; views.update/publish with a stale hash get
``hash_conflict``. Input state survives an update when block_id and action_id stay the same,
which is why bots change a block_id to clear a field.
"""

from __future__ import annotations

import copy
from typing import Any

from .blockkit import with_block_ids, with_text_defaults
from .errors import SlackError
from .ids import IdFactory

MAX_STACK = 3  # "push_limit_reached: ... Currently the limit is 3."

Owner = tuple[str, str]  # (team_id, user_id)


class ViewStore:
    def __init__(self, ids: IdFactory, app_id: str) -> None:
        self._ids = ids
        self._app_id = app_id
        self.views: dict[str, dict[str, Any]] = {}
        self.owners: dict[str, Owner] = {}
        self.stacks: dict[Owner, list[str]] = {}
        self.homes: dict[Owner, str] = {}

    # -- helpers ---------------------------------------------------------------------
    def _render(
        self,
        view: dict[str, Any],
        *,
        view_id: str,
        team_id: str,
        bot_id: str,
        root_view_id: str,
        previous_view_id: str | None,
    ) -> dict[str, Any]:
        stored: dict[str, Any] = {"id": view_id, "team_id": team_id, "type": view["type"]}
        if view["type"] == "modal":
            stored["title"] = with_text_defaults(view["title"])
        stored["close"] = with_text_defaults(view.get("close"))
        stored["submit"] = with_text_defaults(view.get("submit"))
        stored.update(
            {
                "blocks": with_block_ids(view["blocks"], self._ids.block_id),
                "private_metadata": view.get("private_metadata", ""),
                "callback_id": view.get("callback_id", ""),
                "external_id": view.get("external_id", ""),
                "state": {"values": {}},
                "hash": self._ids.view_hash(),
                "clear_on_close": bool(view.get("clear_on_close", False)),
                "notify_on_close": bool(view.get("notify_on_close", False)),
                "root_view_id": root_view_id,
                "previous_view_id": previous_view_id,
                "app_id": self._app_id,
                "app_installed_team_id": team_id,
                "bot_id": bot_id,
            }
        )
        return stored

    def _check_external_id(self, team_id: str, view: dict[str, Any], own_id: str | None) -> None:
        external_id = view.get("external_id")
        if not external_id:
            return
        for vid, stored in self.views.items():
            if (
                vid != own_id
                and stored["team_id"] == team_id
                and stored.get("external_id") == external_id
            ):
                raise SlackError("duplicate_external_id")

    def _store(self, stored: dict[str, Any], owner: Owner) -> dict[str, Any]:
        self.views[stored["id"]] = stored
        self.owners[stored["id"]] = owner
        return copy.deepcopy(stored)

    def find(self, team_id: str, view_id: str | None, external_id: str | None) -> str:
        """The view views.update may change: a Home tab or a modal still on screen.

        A modal the person closed, that closed on submit or was replaced by a new stack
        is gone for Slack: views.update answers ``not_found`` as for an unknown id.
        """
        for vid, stored in self.views.items():
            named = vid == view_id if view_id else stored.get("external_id") == external_id
            if named and stored["team_id"] == team_id and self.is_shown(vid):
                return vid
        raise SlackError("not_found")

    def is_shown(self, view_id: str) -> bool:
        """A Home view always is; a modal while it is in its owner's stack."""
        if self.views[view_id]["type"] == "home":
            return True
        return self.stack_of(view_id) is not None

    # -- views.open / push / update / publish -------------------------------------------
    def open(self, owner: Owner, view: dict[str, Any], bot_id: str) -> dict[str, Any]:
        self._check_external_id(owner[0], view, None)
        view_id = self._ids.view_id()
        stored = self._render(
            view,
            view_id=view_id,
            team_id=owner[0],
            bot_id=bot_id,
            root_view_id=view_id,
            previous_view_id=None,
        )
        # A new modal replaces whatever stack the person had open.
        self.stacks[owner] = [view_id]
        return self._store(stored, owner)

    def push(self, owner: Owner, view: dict[str, Any], bot_id: str) -> dict[str, Any]:
        stack = self.stacks.get(owner)
        if not stack:
            raise SlackError("not_found")
        if len(stack) >= MAX_STACK:
            raise SlackError("push_limit_reached")
        self._check_external_id(owner[0], view, None)
        view_id = self._ids.view_id()
        stored = self._render(
            view,
            view_id=view_id,
            team_id=owner[0],
            bot_id=bot_id,
            root_view_id=stack[0],
            previous_view_id=stack[-1],
        )
        stack.append(view_id)
        return self._store(stored, owner)

    def update(
        self, view_id: str, view: dict[str, Any], expected_hash: str | None, bot_id: str
    ) -> dict[str, Any]:
        current = self.views[view_id]
        if expected_hash and expected_hash != current["hash"]:
            raise SlackError("hash_conflict")
        self._check_external_id(current["team_id"], view, view_id)
        stored = self._render(
            view,
            view_id=view_id,
            team_id=current["team_id"],
            bot_id=bot_id,
            root_view_id=current["root_view_id"],
            previous_view_id=current["previous_view_id"],
        )
        stored["state"] = {"values": _kept_values(current, stored["blocks"])}
        return self._store(stored, self.owners[view_id])

    def publish(
        self, owner: Owner, view: dict[str, Any], expected_hash: str | None, bot_id: str
    ) -> dict[str, Any]:
        home_id = self.homes.get(owner)
        if home_id and expected_hash and expected_hash != self.views[home_id]["hash"]:
            raise SlackError("hash_conflict")
        self._check_external_id(owner[0], view, home_id)
        view_id = home_id or self._ids.view_id()
        stored = self._render(
            view,
            view_id=view_id,
            team_id=owner[0],
            bot_id=bot_id,
            root_view_id=view_id,
            previous_view_id=None,
        )
        self.homes[owner] = view_id
        return self._store(stored, owner)

    # -- what the person does -------------------------------------------------------------
    def stack_of(self, view_id: str) -> list[str] | None:
        owner = self.owners.get(view_id)
        stack = self.stacks.get(owner) if owner else None
        return stack if stack and view_id in stack else None

    def close(self, view_id: str) -> None:
        """Close this view and any pushed on top of it (closing the root ends the stack)."""
        stack = self.stack_of(view_id)
        if stack is None:
            return
        del stack[stack.index(view_id) :]
        if not stack:
            self.stacks.pop(self.owners[view_id], None)

    def clear(self, view_id: str) -> None:
        owner = self.owners.get(view_id)
        if owner:
            self.stacks.pop(owner, None)

    def replace(self, view_id: str, view: dict[str, Any], bot_id: str) -> dict[str, Any]:
        """``response_action: update`` — the same view id shows new content."""
        return self.update(view_id, view, None, bot_id)

    def set_value(self, view_id: str, block_id: str, action_id: str, entry: dict[str, Any]) -> None:
        values = self.views[view_id]["state"]["values"]
        values.setdefault(block_id, {})[action_id] = entry


def _kept_values(old: dict[str, Any], blocks: list[Any]) -> dict[str, Any]:
    """Input state Slack carries over: same block_id and action_id in the new blocks."""
    present = {
        (b.get("block_id"), b["element"].get("action_id"))
        for b in blocks
        if isinstance(b, dict) and isinstance(b.get("element"), dict)
    }
    kept: dict[str, Any] = {}
    for block_id, actions in old["state"]["values"].items():
        for action_id, entry in actions.items():
            if (block_id, action_id) in present:
                kept.setdefault(block_id, {})[action_id] = entry
    return kept
