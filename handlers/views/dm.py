"""The error DM: one message per workflow incident, grouped by cause, updated in place,
ending as Resolved; buttons turn into the outcome once used."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from handlers.ids import ActionId
from handlers.views.blocks import (
    Block,
    actions,
    button,
    clip,
    context,
    message,
    option,
    section,
)

ROWS_SHOWN = 5
AUTH_CODES = {"auth_revoked"}
FIXES = {
    "auth_revoked": "Reconnect the account: the saved sign-in no longer works.",
    "access_denied": "Ask your Salesforce or Smartsheet admin to restore your access.",
    "not_found": "The sheet, column, object or field is gone: edit the workflow.",
    "configuration": "Edit the workflow to fix its set-up.",
    "safety_stop": "Check the sheet and the records, then resume the workflow if it is right.",
    "api_allowance": "Syncing resumes by itself when the API allowance is available again.",
}
ROW_FIX = "Fix the value in the row; syncbot tries again when it changes."
DM_MODE_LABELS = {"all": "DM each incident", "digest": "Daily digest", "mute": "Mute"}
DIGEST_WORKFLOWS = 40  # one section each keeps the digest under Slack's 50 message blocks


@dataclass(frozen=True)
class IncidentView:
    workflow_id: int
    workflow_name: str
    sheet_url: str
    problems: dict[str, tuple[str, str]]  # key -> (code, message); key "" = workflow-level
    outcome: str = ""  # set once a button was used ("Paused by <@U1> 14:02")
    resolved: bool = False
    rows: Mapping[str, int] = field(default_factory=dict)  # record id -> its sheet row


def summary_text(view: IncidentView) -> str:
    if view.resolved:
        return clip(f"Resolved: {view.workflow_name} syncs without errors again.", 150)
    rows = sum(1 for k in view.problems if k)
    first = next(iter(view.problems.values()))[1] if view.problems else ""
    what = f"{rows} row error{'s' if rows != 1 else ''}" if rows else first
    return clip(f"{view.workflow_name}: {what}", 150)


def _causes(problems: dict[str, tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key, (code, text) in sorted(problems.items()):
        grouped[code].append((key, text))
    return grouped


def _row_link(sheet_url: str, key: str, rows: Mapping[str, int]) -> str:
    """A row not linked to a record is keyed "row:<id>", a record by its Id: either links
    its row itself (a sheet URL's `rowId`); a record without a row links the sheet."""
    row = key.removeprefix("row:")
    if row != key and row.isdigit():
        return f"<{sheet_url}?rowId={row}|row {row}>"
    if key in rows:
        return f"<{sheet_url}?rowId={rows[key]}|row {rows[key]}> ({key})"
    return f"<{sheet_url}|record {key}>"


def _cause_block(code: str, items: list[tuple[str, str]], view: IncidentView) -> Block:
    sheet_url = view.sheet_url
    if items and not items[0][0]:  # a workflow-level problem
        return section(f"*{items[0][1]}*\n{FIXES.get(code, 'Open the workflow to see why.')}")
    shown = items[:ROWS_SHOWN]
    lines = [f"• {_row_link(sheet_url, key, view.rows)}: {text}" for key, text in shown]
    more = f"\nand {len(items) - ROWS_SHOWN} more" if len(items) > ROWS_SHOWN else ""
    count = f"{len(items)} row{'s' if len(items) != 1 else ''}"
    return section(
        f"*{count} could not be synced* ({code})\n"
        + "\n".join(lines)
        + more
        + f"\n_{FIXES.get(code, ROW_FIX)}_"
    )


def _buttons(view: IncidentView) -> Block:
    wf = str(view.workflow_id)
    elements = [
        button("View errors", ActionId.VIEW_ERRORS, wf),
        button("Open sheet", ActionId.OPEN_SHEET, wf, url=view.sheet_url),
        button("Pause", ActionId.PAUSE, wf),
        dm_mode_menu(view.workflow_id, "all"),
    ]
    if any(code in AUTH_CODES for code, _ in view.problems.values()):
        elements.insert(0, button("Reconnect", ActionId.RECONNECT, wf, style="primary"))
    return actions(*elements)


def incident_message(view: IncidentView) -> dict[str, Any]:
    title = f"*{view.workflow_name}* (workflow {view.workflow_id})"
    if view.resolved:
        blocks: list[Block] = [section(f"✅ {title}: resolved, it syncs without errors again.")]
    else:
        blocks = [section(f"⚠️ {title} has problems")]
        causes = _causes(view.problems)
        blocks += [_cause_block(code, items, view) for code, items in list(causes.items())[:10]]
        blocks.append(context(view.outcome) if view.outcome else _buttons(view))
    return message(summary_text(view), blocks)


def editor_message(view: IncidentView, editor: str) -> dict[str, Any]:
    """For the person who last edited the failing rows: their rows only, no owner buttons."""
    blocks = [
        section(
            f"Rows you edited in a sheet synced by *{view.workflow_name}* could not be synced to Salesforce."
        )
    ]
    blocks += [_cause_block(code, items, view) for code, items in _causes(view.problems).items()]
    text = clip(
        f"{len(view.problems)} row(s) you edited in {view.workflow_name} could not be synced", 150
    )
    del editor
    return message(text, blocks)


def dm_mode_menu(workflow_id: int, current: str) -> dict[str, Any]:
    """Per workflow: a DM per incident, a daily digest, or nothing (values "mode:id")."""
    choices = [option(label, f"{mode}:{workflow_id}") for mode, label in DM_MODE_LABELS.items()]
    return {
        "type": "static_select",
        "action_id": ActionId.DM_MODE,
        "placeholder": {"type": "plain_text", "text": "Error DMs…"},
        "initial_option": choices[list(DM_MODE_LABELS).index(current)],
        "options": choices,
    }


def mode_outcome(mode: str, stamp: str) -> str:
    """What the DM shows once a mode was picked, with where to change it again."""
    what = {
        "all": "a DM for each new incident",
        "digest": "one daily digest of its incidents",
        "mute": "no DMs about it",
    }[mode]
    return f"{stamp}: {what}. Change it any time in syncbot's App Home."


@dataclass(frozen=True)
class DigestEntry:
    workflow_id: int
    workflow_name: str
    sheet_url: str
    incidents: tuple[tuple[dict[str, tuple[str, str]], bool], ...]  # (problems, still open)


def _incident_line(problems: dict[str, tuple[str, str]], still_open: bool) -> str:
    rows = sum(1 for key in problems if key)
    causes = sorted({code for code, _ in problems.values()})
    general = next((text for key, (_, text) in problems.items() if not key), "")
    what = [f"{rows} row{'s' if rows != 1 else ''} could not be synced"] if rows else []
    what += [general] if general else []
    state = "🔴 open" if still_open else "✅ resolved"
    return clip(f"• {state}: {'; '.join(what) or 'errors'} ({', '.join(causes)})", 400)


def digest_message(day: str, entries: list[DigestEntry]) -> dict[str, Any]:
    count = sum(len(e.incidents) for e in entries)
    still = sum(1 for e in entries for _, is_open in e.incidents if is_open)
    summary = (
        f"syncbot daily digest {day}: {count} incident{'s' if count != 1 else ''} in "
        f"{len(entries)} workflow{'s' if len(entries) != 1 else ''}, {still} still open"
    )
    blocks: list[Block] = [section(f"*{summary}*")]
    for entry in entries[:DIGEST_WORKFLOWS]:
        lines = [_incident_line(p, is_open) for p, is_open in entry.incidents[-5:]]
        blocks.append(
            section(
                f"*{entry.workflow_name}* (workflow {entry.workflow_id}) · "
                f"<{entry.sheet_url}|sheet>\n" + "\n".join(lines),
                button("View errors", ActionId.VIEW_ERRORS, str(entry.workflow_id)),
            )
        )
    if len(entries) > DIGEST_WORKFLOWS:
        blocks.append(context(f"and {len(entries) - DIGEST_WORKFLOWS} more workflows"))
    blocks.append(
        context("Open errors: View errors. Choose a DM per incident or mute in App Home.")
    )
    return message(summary, blocks)
