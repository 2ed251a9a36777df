"""What happens when the bot POSTs to a response_url.

The JSON body may carry ``text``/``blocks``, ``response_type`` (``ephemeral`` by default or
``in_channel``), ``replace_original`` and ``delete_original``. Slack answers
``{"ok": true}``; an unknown or expired URL gets ``expired_url``, a sixth use ``used_url``.
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.wrappers import Request

from .blockkit import check_blocks, with_block_ids
from .errors import SlackError, invalid
from .messagestore import Author
from .models import ResponseUrl, ResponseUrlPost
from .state import SlackState

MAX_BLOCKS = 50


def read_body(request: Request) -> dict[str, Any]:
    raw = request.form.get("payload") if request.mimetype != "application/json" else None
    try:
        body = json.loads(raw if raw is not None else request.get_data(as_text=True))
    except ValueError:
        raise SlackError("invalid_payload") from None
    if not isinstance(body, dict):
        raise SlackError("invalid_payload")
    return body


def _content(state: SlackState, body: dict[str, Any]) -> dict[str, Any]:
    content: dict[str, Any] = {}
    blocks = body.get("blocks")
    if blocks:
        problems = check_blocks(blocks, "/blocks", MAX_BLOCKS)
        if problems:
            raise invalid("invalid_blocks", problems)
        content["blocks"] = with_block_ids(blocks, state.ids.block_id)
    if body.get("attachments"):
        content["attachments"] = body["attachments"]
    text = body.get("text") or ""
    if not text and not content:
        raise SlackError("no_text")
    content["text"] = str(text)
    return content


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def apply(
    state: SlackState, handle: ResponseUrl, body: dict[str, Any], author: Author
) -> str | None:
    """Carry out one response_url post; returns the ts of the message it touched."""
    messages = state.messages
    if _truthy(body.get("delete_original")):
        if handle.message_ts:
            messages.remove(handle.message_ts)
        return handle.message_ts
    content = _content(state, body)
    if _truthy(body.get("replace_original")) and handle.message_ts:
        messages.replace(handle.message_ts, content)
        return handle.message_ts
    if handle.channel_id is None:
        return None
    channel = messages.channels.get(handle.channel_id) or messages.im_for(
        handle.team_id, handle.user_id
    )
    if body.get("response_type") == "in_channel":
        posted = messages.post(channel, author, content)
    else:
        posted = messages.post_ephemeral(channel, handle.user_id, author, content)
    return str(posted["ts"])


def record(
    handle: ResponseUrl, url: str, body: dict[str, Any], message_ts: str | None
) -> ResponseUrlPost:
    return ResponseUrlPost(
        url=url,
        source=handle.source,
        team_id=handle.team_id,
        user_id=handle.user_id,
        channel_id=handle.channel_id,
        body=body,
        message_ts=message_ts,
    )
