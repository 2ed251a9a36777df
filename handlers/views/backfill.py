"""The owner's message while a new workflow's first backfill runs, and its summary."""

from __future__ import annotations

from handlers.ids import ActionId
from handlers.views.kit import Block, actions, button, section
from handlers.views.limits import guard_blocks


def progress_message(name: str, done: int, total: int) -> tuple[str, list[Block]]:
    # Before the first page the total is unknown: "0 / 0" would read as "nothing matched".
    counted = f"{done:,} / {total:,} records" if total else "starting"
    text = f"“{name}” is saved. Backfill {counted}…"
    return text, guard_blocks([section(f":arrows_counterclockwise: {text}")])


def summary_message(
    name: str, workflow_id: int, rows_created: int, row_errors: int, sheet_url: str
) -> tuple[str, list[Block]]:
    text = f"“{name}” is syncing: {rows_created:,} rows created, {row_errors:,} row errors."
    blocks = [section(f":white_check_mark: {text} <{sheet_url}|Open the sheet>")]
    if row_errors:
        blocks.append(
            actions(
                f"backfill_{workflow_id}",
                button("View errors", ActionId.VIEW_ERRORS, str(workflow_id)),
            )
        )
    return text, guard_blocks(blocks)
