"""Block Kit as the text a person reads in Slack: pure functions, dicts in, lines out.

Messages and views render block by block; interactive elements show as the control a
person sees (``[ Save ]``, ``[ Stage ▾ ]``, ``☑ option``). Mentions and links in mrkdwn
read as Slack shows them (``@Alice``, the link's label). Unknown block types render as
nothing rather than failing: the demo prints what it can and checks texts elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from html.parser import HTMLParser
from typing import Any

Block = Mapping[str, Any]
RULE = "─" * 40

_LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")
_EMOJI = re.compile(r":([a-z0-9_+-]+):")
# The shortcodes syncbot's messages use, as the emoji Slack draws; others stay as typed.
EMOJI = {
    "white_check_mark": "✅",
    "warning": "⚠️",
    "x": "❌",
    "arrows_counterclockwise": "🔄",
    "hourglass_flowing_sand": "⏳",
    "red_circle": "🔴",
    "large_green_circle": "🟢",
    "double_vertical_bar": "⏸",
}


def mrkdwn(text: str, names: Mapping[str, str] | None = None) -> str:
    """Slack's markup as shown: `<@U1>` → `@Name`, `<url|label>` → `label`, a date's
    fallback text, emoji shortcodes as emoji, code fences dropped."""
    known = names or {}

    def shown(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("@"):
            return "@" + known.get(target[1:], label or target[1:])
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!date^"):
            return label or ""
        if target.startswith("!"):
            return label or "@" + target[1:].split("^")[0]
        return label or target

    def emoji(match: re.Match[str]) -> str:
        return EMOJI.get(match.group(1), match.group(0))

    return _EMOJI.sub(emoji, _LINK.sub(shown, text)).replace("```", "")


def text_of(obj: Any, names: Mapping[str, str] | None = None) -> str:
    """The words of a text object (plain_text or mrkdwn), or of a bare string."""
    if isinstance(obj, str):
        return obj
    if not isinstance(obj, Mapping):
        return ""
    raw = str(obj.get("text", ""))
    return mrkdwn(raw, names) if obj.get("type") == "mrkdwn" else raw


# -- elements ---------------------------------------------------------------------------
def _option_texts(options: Any) -> list[str]:
    return [text_of(o.get("text")) for o in options or [] if isinstance(o, Mapping)]


def _button(element: Block) -> str:
    label = text_of(element.get("text"))
    return f"[ {label} ↗ ]" if element.get("url") else f"[ {label} ]"


def _select(element: Block) -> str:
    picked = element.get("initial_option")
    many = element.get("initial_options") or []
    if isinstance(picked, Mapping):
        shown = text_of(picked.get("text"))
    elif many:
        shown = ", ".join(_option_texts(many))
    else:
        shown = text_of(element.get("placeholder")) or "choose"
    return f"[ {shown} ▾ ]"


def _choices(element: Block, on: str, off: str) -> str:
    chosen = element.get("initial_options") or (
        [element["initial_option"]] if element.get("initial_option") else []
    )
    picked = {o.get("value") for o in chosen if isinstance(o, Mapping)}
    return "  ".join(
        f"{on if o.get('value') in picked else off} {text_of(o.get('text'))}"
        for o in element.get("options") or []
        if isinstance(o, Mapping)
    )


def _text_input(element: Block) -> str:
    value = element.get("initial_value") or text_of(element.get("placeholder"))
    return f"[ {value or '…'} ]"


def _overflow(element: Block) -> str:
    return "[ ⋯ " + " | ".join(_option_texts(element.get("options"))) + " ]"


def _date(element: Block) -> str:
    return f"[ {element.get('initial_date') or text_of(element.get('placeholder')) or 'date'} 📅 ]"


def _image(element: Block) -> str:
    return f"[image: {element.get('alt_text', '')}]"


_ELEMENTS: dict[str, Callable[[Block], str]] = {
    "button": _button,
    "overflow": _overflow,
    "plain_text_input": _text_input,
    "number_input": _text_input,
    "email_text_input": _text_input,
    "url_text_input": _text_input,
    "checkboxes": lambda e: _choices(e, "☑", "☐"),
    "radio_buttons": lambda e: _choices(e, "◉", "○"),
    "datepicker": _date,
    "image": _image,
}


def element_text(element: Block) -> str:
    """One interactive element as the control a person sees."""
    kind = str(element.get("type", ""))
    if kind in _ELEMENTS:
        return _ELEMENTS[kind](element)
    if kind.endswith("_select"):
        return _select(element)
    return ""


# -- rich text ---------------------------------------------------------------------------
def _rich_inline(element: Block, names: Mapping[str, str]) -> str:
    kind = element.get("type")
    if kind == "text":
        return str(element.get("text", ""))
    if kind == "link":
        return str(element.get("text") or element.get("url", ""))
    if kind == "user":
        return "@" + names.get(str(element.get("user_id")), str(element.get("user_id")))
    if kind == "channel":
        return "#" + str(element.get("channel_id"))
    if kind == "emoji":
        name = str(element.get("name"))
        return EMOJI.get(name, f":{name}:")
    return ""


def _rich_part(part: Block, names: Mapping[str, str]) -> list[str]:
    kind = part.get("type")
    if kind == "rich_text_list":
        return [
            "• " + line
            for section in part.get("elements") or []
            for line in _rich_part(section, names)
        ]
    words = "".join(_rich_inline(e, names) for e in part.get("elements") or [])
    if kind == "rich_text_quote":
        return ["> " + line for line in words.splitlines()]
    if kind == "rich_text_preformatted":
        return ["    " + line for line in words.splitlines()]
    return words.splitlines()


# -- blocks ------------------------------------------------------------------------------
def _section(block: Block, names: Mapping[str, str]) -> list[str]:
    lines = text_of(block.get("text"), names).splitlines()
    fields = [text_of(f, names) for f in block.get("fields") or []]
    lines += ["   ".join(fields[i : i + 2]) for i in range(0, len(fields), 2)]
    accessory = block.get("accessory")
    if isinstance(accessory, Mapping) and element_text(accessory):
        control = element_text(accessory)
        lines = [*lines[:-1], f"{lines[-1]}   {control}"] if lines else [control]
    return lines


def _input(block: Block, names: Mapping[str, str]) -> list[str]:
    label = text_of(block.get("label"))
    optional = " (optional)" if block.get("optional") else ""
    element = block.get("element")
    control = element_text(element) if isinstance(element, Mapping) else ""
    lines = [f"{label}{optional}: {control}"]
    if block.get("hint"):
        lines.append("  " + text_of(block.get("hint")))
    return lines


def _context(block: Block, names: Mapping[str, str]) -> list[str]:
    parts = [
        _image(e) if e.get("type") == "image" else text_of(e, names)
        for e in block.get("elements") or []
        if isinstance(e, Mapping)
    ]
    return " · ".join(parts).splitlines()


def _actions(block: Block, names: Mapping[str, str]) -> list[str]:
    controls = [element_text(e) for e in block.get("elements") or [] if isinstance(e, Mapping)]
    return ["  ".join(c for c in controls if c)]


def _header(block: Block, names: Mapping[str, str]) -> list[str]:
    return [f"▌ {text_of(block.get('text'))}"]


def _rich_text(block: Block, names: Mapping[str, str]) -> list[str]:
    return [line for part in block.get("elements") or [] for line in _rich_part(part, names)]


_BLOCKS: dict[str, Callable[[Block, Mapping[str, str]], list[str]]] = {
    "section": _section,
    "input": _input,
    "context": _context,
    "actions": _actions,
    "header": _header,
    "rich_text": _rich_text,
    "divider": lambda block, names: [RULE],
    "image": lambda block, names: [_image(block)],
}


def blocks_lines(blocks: Any, names: Mapping[str, str] | None = None) -> list[str]:
    """Every block as the lines a person reads, in order."""
    known = names or {}
    lines: list[str] = []
    for block in blocks or []:
        if isinstance(block, Mapping) and block.get("type") in _BLOCKS:
            lines += _BLOCKS[str(block["type"])](block, known)
    return lines


def message_text(message: Mapping[str, Any], names: Mapping[str, str] | None = None) -> str:
    """A message: its blocks, or its fallback text when it has none."""
    lines = blocks_lines(message.get("blocks"), names)
    return "\n".join(lines) if lines else mrkdwn(str(message.get("text", "")), names)


def view_text(view: Mapping[str, Any], names: Mapping[str, str] | None = None) -> str:
    """A modal or Home tab: title bar, blocks, then its Close/Submit buttons."""
    lines = []
    if view.get("title"):
        lines.append(f"┌─ {text_of(view['title'])} ─┐")
    lines += blocks_lines(view.get("blocks"), names)
    buttons = [f"[ {text_of(view[k])} ]" for k in ("close", "submit") if view.get(k)]
    if buttons:
        lines.append("  ".join(buttons))
    return "\n".join(lines)


def indent(text: str, prefix: str = "  │ ") -> str:
    """Text set off as what Slack shows, one prefix per line."""
    return "\n".join(prefix + line for line in text.splitlines())


def table(headers: list[str], rows: list[list[Any]], more: int = 0) -> str:
    """A plain text grid; `more` rows left out are counted under it."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]

    def line(values: list[str]) -> str:
        return " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(headers), "-+-".join("-" * w for w in widths)] + [line(r) for r in cells]
    if more:
        out.append(f"… and {more} more")
    return "\n".join(out)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _VisibleText(HTMLParser):
    """The words a browser draws: block elements start lines; head, style and script
    draw nothing."""

    HIDDEN = frozenset({"head", "title", "style", "script"})
    BLOCKS = frozenset({"h1", "h2", "h3", "p", "li", "div", "br", "tr", "form", "button"})

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = [""]
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in self.HIDDEN
        if tag in self.BLOCKS:
            self.lines.append("")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in self.HIDDEN and self._hidden > 0

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.lines[-1] += data


def page_text(html: str) -> str:
    """An HTML page (a consent or result page) as the lines a person reads on it."""
    reader = _VisibleText()
    reader.feed(html)
    return "\n".join(" ".join(line.split()) for line in reader.lines if line.strip())
