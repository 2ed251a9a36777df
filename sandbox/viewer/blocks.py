"""Block Kit blocks → HTML, pure: ``render_blocks(blocks, names)`` for a message, a Home
tab or a modal body. Unknown blocks show as a labelled placeholder, never as raw JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .elements import element, text_object
from .mrkdwn import Names, esc, link
from .richtext import rich_text

Block = dict[str, Any]


def render_blocks(blocks: Any, names: Names | None = None) -> str:
    if not isinstance(blocks, list):
        return ""
    return "".join(render_block(b, names or {}) for b in blocks)


def render_block(block: Any, names: Names) -> str:
    if not isinstance(block, dict):
        return ""
    kind = str(block.get("type", ""))
    render = _BLOCKS.get(kind)
    inner = render(block, names) if render else f'<span class="unknown">[{esc(kind)} block]</span>'
    return f'<div class="block {esc(kind)}">{inner}</div>'


def section(block: Block, names: Names) -> str:
    body = (
        f'<div class="text">{text_object(block.get("text"), names)}</div>'
        if block.get("text")
        else ""
    )
    fields = block.get("fields") or []
    if fields:
        cells = "".join(f'<div class="field">{text_object(f, names)}</div>' for f in fields)
        body += f'<div class="fields">{cells}</div>'
    accessory = block.get("accessory")
    side = f'<div class="accessory">{element(accessory, names)}</div>' if accessory else ""
    return f'<div class="section-body">{body}</div>{side}'


def header(block: Block, names: Names) -> str:
    return f"<h4>{text_object(block.get('text'), names)}</h4>"


def divider(block: Block, names: Names) -> str:
    return "<hr>"


def context(block: Block, names: Names) -> str:
    return "".join(element(e, names) for e in block.get("elements") or [])


def actions(block: Block, names: Names) -> str:
    return "".join(element(e, names) for e in block.get("elements") or [])


def image(block: Block, names: Names) -> str:
    # No outside fetches from this page: the image shows as its title and alt text.
    title = text_object(block.get("title"), names)
    alt = esc(block.get("alt_text", ""))
    url = str(block.get("image_url", ""))
    caption = f"<figcaption>{title}</figcaption>" if title else ""
    return f'<figure>{caption}<div class="image-box">{link(url, "▣ " + alt)}</div></figure>'


def input_block(block: Block, names: Names) -> str:
    optional = ' <span class="hint">(optional)</span>' if block.get("optional") else ""
    label = f"<label>{text_object(block.get('label'), names)}{optional}</label>"
    hint = block.get("hint")
    below = f'<div class="hint">{text_object(hint, names)}</div>' if hint else ""
    return f"{label}{element(block.get('element'), names)}{below}"


def markdown(block: Block, names: Names) -> str:
    # The "markdown" block holds standard Markdown; shown as text with its line breaks.
    return esc(block.get("text", "")).replace("\n", "<br>")


_BLOCKS: dict[str, Callable[[Block, Names], str]] = {
    "section": section,
    "header": header,
    "divider": divider,
    "context": context,
    "actions": actions,
    "image": image,
    "input": input_block,
    "rich_text": rich_text,
    "markdown": markdown,
}
