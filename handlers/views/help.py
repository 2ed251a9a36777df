"""`/sync help`, and the answers to a mistyped command."""

from __future__ import annotations

from typing import Any

from handlers.views.blocks import context, message, section

VERB_LINES = (
    ("connect", "connect your Salesforce org(s) and your Smartsheet account"),
    ("create", "build a workflow: one Salesforce object ↔ one sheet"),
    ("list", "your workflows (`list all`: everyone's, for admins)"),
    ("show ID", "one workflow: fields, status, last sync"),
    ("edit ID", "change a workflow"),
    ("pause ID / resume ID", "stop or restart syncing"),
    ("run ID", "sync that workflow now"),
    ("errors ID", "what could not be synced, and why"),
    ("history ID", "the latest changes syncbot wrote, with Revert"),
    ("delete ID", "remove a workflow (rows and records stay)"),
    ("transfer ID @person", "give a workflow to someone else (admins)"),
    ("admin", "access, poll interval and API use (admins)"),
)


def help_message(note: str = "") -> dict[str, Any]:
    lines = "\n".join(f"• `/sync {verb}` — {what}" for verb, what in VERB_LINES)
    blocks = [section(note)] if note else []
    blocks += [
        section("*syncbot keeps Salesforce records and Smartsheet sheets in sync.*\n" + lines)
    ]
    blocks.append(context("Start with `/sync connect`, then `/sync create`."))
    return message(note or "syncbot: /sync connect, create, list, show, run, errors…", blocks)


def unknown_verb(verb: str, closest: str | None) -> dict[str, Any]:
    hint = f" Did you mean `/sync {closest}`?" if closest else ""
    return help_message(f"I don't know `/sync {verb}`.{hint}")


def bad_argument(reason: str) -> dict[str, Any]:
    return help_message(f"That didn't work: {reason}.")
