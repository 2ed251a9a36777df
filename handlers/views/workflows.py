"""Workflow list (paged, overflow menu per line), detail, errors, and one-line outcomes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers.ids import ActionId
from handlers.views.blocks import (
    Block,
    actions,
    button,
    context,
    divider,
    message,
    option,
    plain,
    section,
)
from sync.services import OpenError, RunResult, WorkflowDetail, WorkflowSummary

PAGE_SIZE = 10  # 10 workflows, 2 blocks each, stays far below Slack's 50 blocks per message
_STATUS = {"active": "🟢 active", "paused": "⏸ paused", "failing": "🔴 failing"}


def when(at: datetime | None) -> str:
    if at is None:
        return "never"
    return f"<!date^{int(at.timestamp())}^{{date_short_pretty}} {{time}}|{at:%Y-%m-%d %H:%M} UTC>"


def status_text(wf: WorkflowSummary) -> str:
    text = _STATUS.get(wf.status, wf.status)
    if wf.status == "paused" and wf.paused_reason:
        text += f" ({wf.paused_reason})"
    return text


def workflow_line(wf: WorkflowSummary) -> str:
    errors = (
        f" · {wf.open_errors} open error{'s' if wf.open_errors != 1 else ''}"
        if wf.open_errors
        else ""
    )
    return (
        f"*{wf.id}. {wf.name}*\n{wf.object_name} ↔ <{wf.sheet_url}|sheet {wf.sheet_id}>\n"
        f"{status_text(wf)} · last sync {when(wf.last_sync)}{errors}"
    )


OVERFLOW_LIMIT = 5  # Slack refuses an overflow menu of more than 5 options


def overflow(wf: WorkflowSummary) -> dict[str, Any]:
    """Run now, Pause/Resume, Edit, Errors, Delete; History is one tap further, on the
    detail (`/sync show`), because Slack's overflow menu holds five choices."""
    toggle = ("Resume", "resume") if wf.status == "paused" else ("Pause", "pause")
    choices = [
        ("Run now", "run"),
        toggle,
        ("Edit", "edit"),
        ("Errors", "errors"),
        ("Delete", "delete"),
    ]
    return {
        "type": "overflow",
        "action_id": ActionId.WORKFLOW_MENU,
        "options": [option(label, f"{verb}:{wf.id}") for label, verb in choices],
    }


def workflow_list(
    workflows: list[WorkflowSummary], *, page: int = 0, everyone: bool = False
) -> dict[str, Any]:
    if not workflows:
        return message(
            "You have no workflows yet.",
            [
                section("You have no workflows yet. Create one with `/sync create`."),
                create_button(),
            ],
        )
    pages = (len(workflows) + PAGE_SIZE - 1) // PAGE_SIZE
    page = max(0, min(page, pages - 1))
    shown = workflows[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    title = "All workflows" if everyone else "Your workflows"
    blocks: list[Block] = [section(f"*{title}* ({len(workflows)})", _create())]
    for wf in shown:
        blocks += [divider(), section(workflow_line(wf), overflow(wf))]
    if pages > 1:
        blocks.append(_pager(page, pages, everyone))
    return message(f"{title}: {len(workflows)}", blocks)


def _create() -> Block:
    """Opens the workflow builder, as `/sync create` does (the same button as App Home's)."""
    return button("Create workflow", ActionId.CREATE_WORKFLOW, "create", style="primary")


def create_button() -> Block:
    return actions(_create(), block_id="create_workflow")


def _pager(page: int, pages: int, everyone: bool) -> Block:
    scope = "all" if everyone else "mine"
    buttons = []
    if page > 0:
        buttons.append(button("◀ Previous", ActionId.LIST_PAGE, f"{scope}:{page - 1}"))
    if page < pages - 1:
        buttons.append(button("Next ▶", ActionId.LIST_PAGE, f"{scope}:{page + 1}"))
    return actions(*buttons)


def workflow_detail(detail: WorkflowDetail) -> dict[str, Any]:
    wf = detail.summary
    lines = "\n".join(f"• {m.field} → *{m.column}* ({m.direction.value})" for m in detail.fields)
    sf = detail.salesforce.label if detail.salesforce else "missing connection"
    ss = detail.smartsheet.label if detail.smartsheet else "missing connection"
    blocks = [
        section(workflow_line(wf), overflow(wf)),
        section(f"*Fields*\n{lines or 'none'}"),
        context(f"Owner <@{wf.owner_id}> · Salesforce: {sf} · Smartsheet: {ss}"),
        actions(
            button("History", ActionId.HISTORY_PAGE, f"{wf.id}:0"),
            button("Errors", ActionId.VIEW_ERRORS, str(wf.id)),
        ),
    ]
    return message(f"Workflow {wf.id}: {wf.name} ({wf.status})", blocks)


def errors_view(wf: WorkflowSummary, errors: list[OpenError]) -> dict[str, Any]:
    if not errors:
        return message(
            f"Workflow {wf.id} has no open errors.",
            [section(f"*{wf.name}* has no open errors. ✅")],
        )
    blocks: list[Block] = [section(f"*Open errors of {wf.name}* ({len(errors)}), newest first")]
    for e in errors[:40]:
        blocks.append(section(f"*{_error_place(wf, e)}* — {e.message}\n_since {when(e.since)}_"))
    return message(f"Workflow {wf.id}: {len(errors)} open errors", blocks)


def _error_place(wf: WorkflowSummary, e: OpenError) -> str:
    """Where it went wrong, linked: the row itself when its id is known (Smartsheet opens
    a sheet URL's `rowId` row), else the sheet."""
    if e.scope == "workflow":
        return "Workflow"
    record = "" if e.key.startswith("row:") else f" (record {e.key})"
    if e.row_id is None:
        return f"<{wf.sheet_url}|Row>{record}"
    return f"<{wf.sheet_url}?rowId={e.row_id}|Row {e.row_id}>{record}"


def run_result(wf: WorkflowSummary, result: RunResult) -> dict[str, Any]:
    if result.skipped:
        text = f"Workflow {wf.id} is being synced by another instance right now; try again in a minute."
    elif result.failures:
        text = f"Workflow {wf.id} ran with problems: {'; '.join(result.failures)}"
    else:
        text = (
            f"Workflow {wf.id} synced: {result.rows_created} rows added, {result.rows_updated} "
            f"updated, {result.records_created} records created, {result.records_updated} "
            f"updated, {result.row_errors} row errors."
        )
    return message(text, [section(text)])


def delete_confirm(wf: WorkflowSummary) -> dict[str, Any]:
    """The confirm dialog of the Delete choice: says what goes and what stays."""
    return {
        "title": plain("Delete workflow?", 24),
        "text": {
            "type": "mrkdwn",
            "text": (
                f"Delete *{wf.name}* ({wf.object_name} ↔ sheet {wf.sheet_id})? Syncing stops and its "
                "history and errors are removed. The sheet's rows and the Salesforce records stay."
            ),
        },
        "confirm": plain("Delete", 24),
        "deny": plain("Keep it", 24),
        "style": "danger",
    }


def delete_prompt(wf: WorkflowSummary) -> dict[str, Any]:
    confirm = delete_confirm(wf)
    text = (
        f"Delete *{wf.name}*? Rows in the sheet and records in Salesforce stay; syncing and "
        "its history stop."
    )
    return message(
        f"Delete workflow {wf.id}?",
        [
            section(text),
            actions(button("Delete", ActionId.DELETE, str(wf.id), style="danger", confirm=confirm)),
        ],
    )


def outcome(text: str) -> dict[str, Any]:
    return message(text, [section(text)])
