"""The ``rich_text`` block (what Slack's composer sends, and what apps may post) as HTML."""

from __future__ import annotations

from typing import Any

from .mrkdwn import EMOJI, Names, esc, glyphs, link

_STYLE_TAGS = (("code", "code"), ("bold", "b"), ("italic", "i"), ("strike", "s"))


def rich_text(block: dict[str, Any], names: Names) -> str:
    return "".join(_container(part, names) for part in block.get("elements") or [])


def _container(part: Any, names: Names) -> str:
    if not isinstance(part, dict):
        return ""
    kind = part.get("type")
    inner = _inline_all(part.get("elements") or [], names)
    if kind == "rich_text_preformatted":
        return f"<pre>{inner}</pre>"
    if kind == "rich_text_quote":
        return f'<div class="quote">{inner}</div>'
    if kind == "rich_text_list":
        tag = "ol" if part.get("style") == "ordered" else "ul"
        items = "".join(
            f"<li>{_container(item, names)}</li>" for item in part.get("elements") or []
        )
        return f"<{tag}>{items}</{tag}>"
    return f"<div>{inner}</div>"


def _inline_all(elements: list[Any], names: Names) -> str:
    return "".join(_inline(e, names) for e in elements if isinstance(e, dict))


def _inline(el: dict[str, Any], names: Names) -> str:
    kind = el.get("type")
    if kind == "text":
        shown = glyphs(esc(el.get("text", ""))).replace("\n", "<br>")
    elif kind == "link":
        url = str(el.get("url", ""))
        shown = link(url, esc(el.get("text") or url))
    elif kind == "emoji":
        name = str(el.get("name", ""))
        shown = glyphs(esc(EMOJI.get(name, f":{name}:")))
    elif kind in ("user", "channel", "usergroup"):
        key = {"user": "user_id", "channel": "channel_id", "usergroup": "usergroup_id"}[kind]
        sign = "#" if kind == "channel" else "@"
        ident = str(el.get(key, ""))
        shown = f'<span class="mention">{esc(sign + names.get(ident, ident))}</span>'
    elif kind == "broadcast":
        shown = f'<span class="mention">@{esc(el.get("range", ""))}</span>'
    else:
        shown = ""
    return _styled(shown, el.get("style") or {})


def _styled(shown: str, style: dict[str, Any]) -> str:
    for key, tag in _STYLE_TAGS:
        if style.get(key):
            shown = f"<{tag}>{shown}</{tag}>"
    return shown
