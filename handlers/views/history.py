"""`/sync history ID`: the audit trail, 20 at a time, each line with Revert."""

from __future__ import annotations

from typing import Any

from handlers.ids import ActionId
from handlers.views.blocks import Block, actions, button, clip, context, message, section
from handlers.views.workflows import when
from sync.services import ChangeEntry, HistoryPage, WorkflowSummary

SIDE = {"to_smartsheet": "sheet", "to_salesforce": "Salesforce"}


def _value(value: str | None) -> str:
    return f"`{clip(value, 60)}`" if value else "_empty_"


def _person(entry: ChangeEntry) -> str:
    """A revert was asked for in Slack (a user id: mention it); other changes name the
    Salesforce user or the sheet editor's e-mail."""
    return f"<@{entry.caused_by}>" if entry.revert_of else str(entry.caused_by)


def change_line(entry: ChangeEntry) -> str:
    where = entry.record_id or f"row {entry.row_id}"
    who = f" · by {_person(entry)}" if entry.caused_by else ""
    if entry.created:
        return _created_line(entry, who)
    kind = f"Revert of #{entry.revert_of} · " if entry.revert_of else ""
    state = {"pending": " · ⏳ waiting for the next sync", "failed": f" · ❌ {entry.note}"}.get(
        entry.state, ""
    )
    return (
        f"*#{entry.id}* {kind}{entry.field} → {entry.column} on {where} ({SIDE.get(entry.direction, entry.direction)})\n"
        f"{_value(entry.before)} → {_value(entry.after)}\n_{when(entry.at)}{who}{state}_"
    )


def _created_line(entry: ChangeEntry, who: str) -> str:
    """A row or record syncbot made: its values on one line, nothing to revert."""
    if entry.direction == "to_smartsheet":
        what = f"New row for {entry.record_id}"
    else:
        what = f"New record from row {entry.row_id}"
    values = f"`{clip(entry.after, 280)}`" if entry.after else "_no values_"
    return f"*#{entry.id}* {what}\n{values}\n_{when(entry.at)}{who}_"


def history_view(wf: WorkflowSummary, page: HistoryPage) -> dict[str, Any]:
    if not page.entries:
        return message(
            f"No changes logged for workflow {wf.id} yet.",
            [section(f"*{wf.name}*: no changes logged yet.")],
        )
    blocks: list[Block] = [section(f"*Changes written by {wf.name}* ({page.total}), newest first")]
    for entry in page.entries:
        revertable = entry.state == "done" and not entry.created
        accessory = button("Revert", ActionId.REVERT, f"{wf.id}:{entry.id}") if revertable else None
        blocks.append(section(change_line(entry), accessory))
    blocks.append(_pager(page) or context(f"{page.total} change{'s' if page.total != 1 else ''}"))
    return message(f"History of workflow {wf.id}: {page.total} changes", blocks)


def _pager(page: HistoryPage) -> Block | None:
    size = len(page.entries)
    buttons = []
    if page.offset > 0:
        buttons.append(
            button(
                "◀ Newer", ActionId.HISTORY_PAGE, f"{page.workflow_id}:{max(0, page.offset - 20)}"
            )
        )
    if page.offset + size < page.total:
        buttons.append(
            button("Older ▶", ActionId.HISTORY_PAGE, f"{page.workflow_id}:{page.offset + size}")
        )
    return actions(*buttons) if buttons else None


def revert_requested(entry: ChangeEntry) -> dict[str, Any]:
    text = f"Revert of change #{entry.revert_of} requested: the next sync writes {_value(entry.after)} back to {entry.column}."
    return message(text, [section(text)])
