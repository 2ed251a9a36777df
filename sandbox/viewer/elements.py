"""Block Kit interactive elements (buttons, menus, inputs) as read-only HTML.

The page only shows what a person would see: every control is disabled, a select shows
its initial choice (or its placeholder), an overflow menu opens as a plain list.
"""

from __future__ import annotations

from typing import Any

from .mrkdwn import Names, esc, link, mrkdwn, plain_text

Element = dict[str, Any]

_SELECTS = {
    "static_select",
    "external_select",
    "users_select",
    "conversations_select",
    "channels_select",
}
_MULTI_SELECTS = {"multi_" + kind for kind in _SELECTS}


def text_object(obj: Any, names: Names | None = None) -> str:
    """A text object (plain_text or mrkdwn) as HTML; anything else as escaped text."""
    if isinstance(obj, str):
        return plain_text(obj)
    if not isinstance(obj, dict):
        return ""
    text = str(obj.get("text", ""))
    if obj.get("type") == "mrkdwn":
        return mrkdwn(text, names)
    return plain_text(text, with_emoji=obj.get("emoji", True) is not False)


def element(el: Any, names: Names | None = None) -> str:
    if not isinstance(el, dict):
        return ""
    kind = str(el.get("type", ""))
    if kind in ("plain_text", "mrkdwn"):
        return f'<span class="text">{text_object(el, names)}</span>'
    render = _RENDERERS.get(kind)
    if render is not None:
        return render(el, names or {})
    if kind in _SELECTS or kind in _MULTI_SELECTS:
        return select(el, names or {})
    return f'<span class="unknown">[{esc(kind or "element")}]</span>'


def button(el: Element, names: Names) -> str:
    style = el.get("style")
    classes = "button" + (f" {esc(style)}" if style in ("primary", "danger") else "")
    label = text_object(el.get("text"), names)
    shown = f'<button class="{classes}" type="button" disabled>{label}</button>'
    url = el.get("url")
    return link(str(url), shown) if url else shown


def overflow(el: Element, names: Names) -> str:
    items = "".join(f"<li>{text_object(o.get('text'), names)}</li>" for o in _options(el))
    return f'<details class="overflow"><summary>⋯</summary><ul>{items}</ul></details>'


def select(el: Element, names: Names) -> str:
    chosen = _chosen(el, names)
    if chosen:
        shown = ", ".join(chosen)
        classes = "select"
    else:
        shown = text_object(el.get("placeholder"), names) or "Select an item"
        classes = "select placeholder"
    return (
        f'<span class="{classes}" aria-disabled="true">{shown}<span class="caret">▾</span></span>'
    )


def _chosen(el: Element, names: Names) -> list[str]:
    options = el.get("initial_options") or (
        [el["initial_option"]] if el.get("initial_option") else []
    )
    picked = [text_object(o.get("text"), names) for o in options if isinstance(o, dict)]
    for key in ("initial_user", "initial_conversation", "initial_channel"):
        if el.get(key):
            picked.append(esc(names.get(el[key], el[key])))
    for key in ("initial_users", "initial_conversations", "initial_channels"):
        picked += [esc(names.get(v, v)) for v in el.get(key) or []]
    return picked


def _options(el: Element) -> list[dict[str, Any]]:
    options = [o for o in el.get("options") or [] if isinstance(o, dict)]
    for group in el.get("option_groups") or []:
        options += [o for o in group.get("options") or [] if isinstance(o, dict)]
    return options


def choices(el: Element, names: Names) -> str:
    """Checkboxes and radio buttons: every option, the initial ones ticked."""
    kind = "checkbox" if el.get("type") == "checkboxes" else "radio"
    initial = el.get("initial_options") or (
        [el["initial_option"]] if el.get("initial_option") else []
    )
    ticked = {o.get("value") for o in initial if isinstance(o, dict)}
    rows = []
    for option in _options(el):
        checked = " checked" if option.get("value") in ticked else ""
        description = option.get("description")
        extra = (
            f'<span class="hint">{text_object(description, names)}</span>' if description else ""
        )
        rows.append(
            f'<label class="choice"><input type="{kind}" disabled{checked}>'
            f"{text_object(option.get('text'), names)}{extra}</label>"
        )
    return f'<div class="choices">{"".join(rows)}</div>'


def text_input(el: Element, names: Names) -> str:
    value = esc(el.get("initial_value", ""))
    placeholder = esc(_plain(el.get("placeholder")))
    if el.get("multiline"):
        return f'<textarea disabled placeholder="{placeholder}">{value}</textarea>'
    return f'<input type="text" disabled value="{value}" placeholder="{placeholder}">'


def date_picker(el: Element, names: Names) -> str:
    value = el.get("initial_date") or el.get("initial_time") or _plain(el.get("placeholder"))
    return f'<span class="select">▦ {esc(value or "Select a date")}</span>'


def image(el: Element, names: Names) -> str:
    # No outside fetches from this page: an image shows as its alt text in a frame.
    return f'<span class="image-thumb" title="{esc(el.get("image_url", ""))}">▣ {esc(el.get("alt_text", ""))}</span>'


def _plain(obj: Any) -> str:
    return str(obj.get("text", "")) if isinstance(obj, dict) else ""


_RENDERERS = {
    "button": button,
    "overflow": overflow,
    "checkboxes": choices,
    "radio_buttons": choices,
    "plain_text_input": text_input,
    "number_input": text_input,
    "email_text_input": text_input,
    "url_text_input": text_input,
    "datepicker": date_picker,
    "timepicker": date_picker,
    "datetimepicker": date_picker,
    "image": image,
}
