"""Messages, modals and Home tabs as Slack lays them out, from their Block Kit (pure)."""

from __future__ import annotations

import time
from typing import Any

from .blocks import render_blocks
from .elements import text_object
from .mrkdwn import Names, esc, mrkdwn
from .slack_snapshot import Conversation, Message


def message_html(message: Message, names: Names) -> str:
    badge = '<span class="badge">APP</span>' if message.from_app else ""
    edited = ' <span class="hint">(edited)</span>' if message.edited else ""
    only_you = '<div class="hint only-you">Only visible to you</div>' if message.only_you else ""
    return (
        f'<div class="message" data-ts="{esc(message.ts)}">{only_you}'
        f'<div class="meta"><b>{esc(message.author)}</b>{badge}'
        f' <span class="time">{esc(clock_time(message.ts))}</span>{edited}</div>'
        f'<div class="content">{content_html(message.content, names)}</div></div>'
    )


def content_html(content: dict[str, Any], names: Names) -> str:
    """Blocks when there are any (Slack then shows ``text`` only in notifications)."""
    blocks = content.get("blocks")
    body = render_blocks(blocks, names) if blocks else mrkdwn(str(content.get("text", "")), names)
    for attachment in content.get("attachments") or []:
        body += _attachment(attachment, names)
    return body


def _attachment(attachment: Any, names: Names) -> str:
    if not isinstance(attachment, dict):
        return ""
    color = str(attachment.get("color", "#ddd"))
    colour = esc(color if color.startswith("#") else "#ddd")
    inner = render_blocks(attachment.get("blocks"), names)
    for key in ("pretext", "title", "text", "footer"):
        if attachment.get(key):
            inner += f"<div>{mrkdwn(str(attachment[key]), names)}</div>"
    return f'<div class="attachment" style="border-left-color:{colour}">{inner}</div>'


def clock_time(ts: str) -> str:
    try:
        return time.strftime("%H:%M:%S", time.gmtime(float(ts)))
    except ValueError:
        return ts


def conversation_html(conversation: Conversation, names: Names) -> str:
    earlier = conversation.total - len(conversation.messages)
    note = f'<div class="hint">{earlier} earlier messages not shown</div>' if earlier else ""
    messages = "".join(message_html(m, names) for m in conversation.messages)
    return (
        f'<div class="conversation" data-id="{esc(conversation.id)}">'
        f'<div class="conversation-title">{esc(conversation.title)}</div>{note}{messages}</div>'
    )


def modal_html(view: dict[str, Any], names: Names, depth: int = 1) -> str:
    """The top of a person's modal stack: title bar, blocks, Close / Submit."""
    title = text_object(view.get("title"), names)
    stacked = f' <span class="hint">({depth} views stacked)</span>' if depth > 1 else ""
    close = view.get("close") or {"type": "plain_text", "text": "Cancel"}
    buttons = f'<button type="button" disabled>{text_object(close, names)}</button>'
    if view.get("submit"):
        submit = text_object(view["submit"], names)
        buttons += f'<button class="button primary" type="button" disabled>{submit}</button>'
    return (
        f'<div class="modal" data-view-id="{esc(view.get("id", ""))}">'
        f'<div class="modal-title">{title}{stacked}</div>'
        f'<div class="modal-body">{render_blocks(view.get("blocks"), names)}</div>'
        f'<div class="modal-footer">{buttons}</div></div>'
    )


def home_html(view: dict[str, Any], names: Names) -> str:
    return (
        f'<div class="home" data-view-id="{esc(view.get("id", ""))}">'
        f"{render_blocks(view.get('blocks'), names)}</div>"
    )
