"""What the demo prints, one kind of line per function: step headings, narration, what
Slack and the browser show (set off by `│` and `▏`), tables, and a held step's `✔`."""

from __future__ import annotations

from bot.demo_render import indent


def heading(number: int, title: str) -> None:
    print(f"\n━━ {number}. {title} ━━", flush=True)


def narrate(text: str) -> None:
    print(text, flush=True)


def slack_shows(where: str, text: str) -> None:
    print(f"  Slack, {where}:", flush=True)
    print(indent(text), flush=True)


def slack_lines(text: str, mark: str = "") -> None:
    """Lines of one Slack message without a caption (e.g. its successive versions)."""
    print(indent(text, f"  │ {mark}"), flush=True)


def browser_shows(text: str) -> None:
    print("  Her browser:", flush=True)
    print(indent(text, "  ▏ "), flush=True)


def grid(title: str, text: str) -> None:
    print(f"  {title}:", flush=True)
    print(indent(text, "    "), flush=True)


def check(line: str) -> None:
    print(f"  ✔ {line}", flush=True)
