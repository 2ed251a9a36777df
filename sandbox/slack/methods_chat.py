"""conversations.open and the chat.* methods."""

from __future__ import annotations

from typing import Any

from .args import flag, json_arg, text_arg
from .blockkit import check_blocks, with_block_ids
from .call import Call
from .errors import SlackError, invalid
from .models import Channel

MAX_MESSAGE_BLOCKS = 50
MAX_TEXT_CHARS = 40_000
MAX_IM_USERS = 8


def message_content(call: Call) -> dict[str, Any]:
    """text/blocks/attachments of a message, validated as chat.postMessage does."""
    args = call.args
    content: dict[str, Any] = {}
    text = text_arg(args, "text")
    if len(text) > MAX_TEXT_CHARS:
        raise SlackError("msg_too_long")
    blocks = json_arg(args, "blocks", "invalid_blocks_format")
    if blocks:
        if not isinstance(blocks, list):
            raise SlackError("invalid_blocks_format")
        problems = check_blocks(blocks, "/blocks", MAX_MESSAGE_BLOCKS)
        if problems:
            raise invalid("invalid_blocks", problems)
        content["blocks"] = with_block_ids(blocks, call.state.ids.block_id)
    attachments = json_arg(args, "attachments", "invalid_attachments")
    if attachments:
        content["attachments"] = attachments
    if not text and not content:
        raise SlackError("no_text")
    content["text"] = text
    if args.get("thread_ts"):
        content["thread_ts"] = text_arg(args, "thread_ts")
    return content


def _channel(call: Call, *, users_allowed: bool) -> Channel:
    name = text_arg(call.args, "channel")
    if not name:
        raise SlackError("channel_not_found")
    known = call.state.members(call.team.id) if users_allowed else set()
    return call.state.messages.resolve(call.team.id, name, known)


def _can_post(call: Call, channel: Channel) -> None:
    if channel.is_im:
        return
    if call.team.bot_user_id not in channel.members and not call.has_scope("chat:write.public"):
        raise SlackError("not_in_channel")


def chat_post_message(call: Call) -> dict[str, Any]:
    channel = _channel(call, users_allowed=True)
    _can_post(call, channel)
    message = call.state.messages.post(channel, call.author, message_content(call))
    return {"ok": True, "channel": channel.id, "ts": message["ts"], "message": message}


def chat_update(call: Call) -> dict[str, Any]:
    # chat.update wants the D… id of an IM, not the user id.
    channel = _channel(call, users_allowed=False)
    ts = text_arg(call.args, "ts")
    message = call.state.messages.update(channel, ts, call.author, message_content(call))
    return {
        "ok": True,
        "channel": channel.id,
        "ts": ts,
        "text": message.get("text", ""),
        "message": message,
    }


def chat_delete(call: Call) -> dict[str, Any]:
    channel = _channel(call, users_allowed=False)
    ts = text_arg(call.args, "ts")
    call.state.messages.delete(channel, ts, call.author)
    return {"ok": True, "channel": channel.id, "ts": ts}


def chat_post_ephemeral(call: Call) -> dict[str, Any]:
    channel = _channel(call, users_allowed=True)
    user = call.state.user_in(call.team.id, text_arg(call.args, "user"))
    if user.id not in channel.members:
        raise SlackError("user_not_in_channel")
    message = call.state.messages.post_ephemeral(
        channel, user.id, call.author, message_content(call)
    )
    return {"ok": True, "message_ts": message["ts"]}


def _im_body(channel: Channel, created: float) -> dict[str, Any]:
    return {
        "id": channel.id,
        "created": int(created),
        "is_im": True,
        "is_org_shared": False,
        "user": channel.im_user,
        "last_read": "0000000000.000000",
        "latest": None,
        "unread_count": 0,
        "unread_count_display": 0,
        "is_open": True,
        "priority": 0,
    }


def _open_im(call: Call, channel: Channel) -> dict[str, Any]:
    body: dict[str, Any] = {"ok": True}
    if channel.opened:
        body.update({"no_op": True, "already_open": True})
    channel.opened = True
    if flag(call.args, "return_im"):
        body["channel"] = _im_body(channel, call.state.clock())
    else:
        body["channel"] = {"id": channel.id}
    return body


def conversations_open(call: Call) -> dict[str, Any]:
    existing = text_arg(call.args, "channel")
    if existing:
        channel = call.state.messages.channels.get(existing)
        if channel is None or channel.team_id != call.team.id or not channel.is_im:
            raise SlackError("channel_not_found")
        return _open_im(call, channel)
    users = [u.strip() for u in text_arg(call.args, "users").split(",") if u.strip()]
    if not users:
        raise SlackError("users_list_not_supplied")
    if len(users) > MAX_IM_USERS:
        raise SlackError("too_many_users")
    if len(users) > 1:
        # Group DMs (mpim) are not emulated; syncbot only opens 1:1 DMs.
        raise SlackError("method_not_supported_for_channel_type")
    user = call.state.user_in(call.team.id, users[0])
    if user.deleted:
        raise SlackError("user_disabled")
    return _open_im(call, call.state.messages.im_for(call.team.id, user.id))
