"""Slack text → HTML: mrkdwn (bold, italic, strike, code, quotes, links, mentions) and
plain_text. Everything that came from the app is escaped; only the markup made here is not.

Slack's own escaping rules apply to the input: a bot writes ``&amp; &lt; &gt;`` for the
three characters and ``<…>`` for links and mentions, so those three entities are decoded
before escaping for HTML (or a ``&lt;`` would show as the five characters ``&lt;``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping

# The shortcodes syncbot writes, and a few common ones; others stay as typed.
EMOJI = {
    "white_check_mark": "✅",
    "warning": "⚠️",
    "no_entry": "⛔",
    "hourglass_flowing_sand": "⏳",
    "arrows_counterclockwise": "🔄",
    "memory": "📝",
    "x": "❌",
    "tada": "🎉",
    "red_circle": "🔴",
    "large_green_circle": "🟢",
    "electric_plug": "🔌",
    "eyes": "👀",
}

# Slack draws emoji as pictures; this page has no pictures and a machine may have no emoji
# font, so each one syncbot uses is drawn as a coloured badge around a common glyph.
GLYPHS = {
    "✅": ("ok", "✓"),
    "✔": ("ok", "✓"),
    "❌": ("bad", "✕"),
    "⛔": ("bad", "\u2212"),  # a minus sign
    "⚠": ("warn", "!"),
    "🔴": ("dot red", "●"),
    "🟢": ("dot green", "●"),
    "⏸": ("plain", "❚❚"),
    "⏳": ("plain", "◔"),
    "🔄": ("plain", "↻"),
    "🔌": ("plain", "⚡"),
    "📝": ("plain", "✎"),
    "🎉": ("plain", "★"),
    "👀": ("plain", "◉"),
}

Names = Mapping[str, str]  # Slack id (U…, C…) → what Slack shows for it

_ANGLE = re.compile(r"<([^<>\n]+)>")
_FENCE = re.compile(r"```(.*?)```", re.DOTALL)
_CODE = re.compile(r"`([^`\n]+)`")
_STYLES = (
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), "b"),
    (re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"), "i"),
    (re.compile(r"(?<![\w~])~(?=\S)([^~\n]+?)(?<=\S)~(?![\w~])"), "s"),
)
_GLYPH = re.compile("|".join(map(re.escape, GLYPHS)))
_URL = re.compile(r"(?i)^[a-z][a-z0-9+.-]*:")
_EMOJI = re.compile(r":([a-z0-9_+-]+):")


def slack_unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def emoji(escaped: str) -> str:
    """Known :shortcodes: and emoji characters as badges (the text is already HTML-escaped,
    which keeps colons, letters and emoji as they were)."""
    return glyphs(_EMOJI.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), escaped))


def glyphs(escaped: str) -> str:
    shown = escaped.replace("\ufe0f", "")  # the "draw as emoji" selector: drawn here instead
    return _GLYPH.sub(_badge, shown)


def _badge(match: re.Match[str]) -> str:
    kind, glyph = GLYPHS[match.group(0)]
    return f'<span class="emoji {kind}" role="img" aria-label="{match.group(0)}">{glyph}</span>'


def plain_text(text: str, *, with_emoji: bool = True) -> str:
    shown = esc(text)
    return (emoji(shown) if with_emoji else shown).replace("\n", "<br>")


def mrkdwn(text: str, names: Names | None = None) -> str:
    """One mrkdwn string as HTML (inline markup, ``<br>`` for new lines)."""
    parts = _FENCE.split(text)
    out = []
    for index, part in enumerate(parts):
        if index % 2:  # inside ``` … ```
            out.append(f"<pre>{esc(slack_unescape(part.strip(chr(10))))}</pre>")
        else:
            out.append(_lines(part, names or {}))
    return "".join(out)


def _lines(text: str, names: Names) -> str:
    rendered = []
    for line in text.split("\n"):
        if line.startswith("&gt;") or line.startswith(">"):
            body = line.removeprefix("&gt;").removeprefix(">").lstrip()
            rendered.append(f'<span class="quote">{_inline(body, names)}</span>')
        else:
            rendered.append(_inline(line, names))
    return "<br>".join(rendered)


def _inline(text: str, names: Names) -> str:
    """Code spans first (nothing inside them is formatted), then links/mentions, then styles."""
    pieces = _CODE.split(text)
    out = []
    for index, piece in enumerate(pieces):
        if index % 2:
            out.append(f"<code>{esc(slack_unescape(piece))}</code>")
        else:
            out.append(_angles(piece, names))
    return "".join(out)


def _angles(text: str, names: Names) -> str:
    out, last = [], 0
    for match in _ANGLE.finditer(text):
        out.append(_styled(text[last : match.start()]))
        out.append(_angle(match.group(1), names))
        last = match.end()
    out.append(_styled(text[last:]))
    return "".join(out)


def _styled(text: str) -> str:
    shown = esc(slack_unescape(text))
    for pattern, tag in _STYLES:
        shown = pattern.sub(_wrap(tag), shown)
    return emoji(shown)


def _wrap(tag: str) -> Callable[[re.Match[str]], str]:
    return lambda m: f"<{tag}>{m.group(1)}</{tag}>"


def _angle(inner: str, names: Names) -> str:
    """``<@U1>``, ``<#C1|general>``, ``<!here>``, ``<https://x|label>`` as Slack shows them."""
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return _mention("@" + (label or names.get(target[1:], target[1:])))
    if target.startswith("#"):
        return _mention("#" + (label or names.get(target[1:], target[1:])))
    if target.startswith("!date^"):  # a date Slack formats per reader: show the fallback
        return esc(slack_unescape(label or target))
    if target.startswith("!"):
        return _mention("@" + (label or target[1:].split("^")[0]))
    if not _URL.match(target):  # not a link Slack would make: show it as it was typed
        return esc("<" + slack_unescape(inner) + ">")
    return link(slack_unescape(target), _styled(label) if label else esc(slack_unescape(target)))


def _mention(text: str) -> str:
    return f'<span class="mention">{esc(text)}</span>'


def link(url: str, inner_html: str) -> str:
    """A link only for web addresses: a ``javascript:`` URL in a message stays text."""
    if not re.match(r"(?i)^(https?|mailto):", url):
        return inner_html
    return f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{inner_html}</a>'
