"""App Home: what needs attention first, then workflows, connections, Create, admin usage."""

from __future__ import annotations

from typing import Any

from handlers.ids import ActionId
from handlers.views.blocks import Block, actions, button, context, divider, header, section
from handlers.views.connect import connection_block
from handlers.views.dm import dm_mode_menu
from handlers.views.workflows import overflow, workflow_line
from sync.services import ConnectionInfo, WorkflowSummary

MAX_HOME_WORKFLOWS = 20  # 2 blocks each keeps the tab below Slack's 100 blocks
MAX_HOME_CONNECTIONS = 15  # 1 block each: with the workflows, still below 100


def attention(workflows: list[WorkflowSummary], connections: list[ConnectionInfo]) -> list[str]:
    lines = [f"🔌 {c.label} needs reconnecting" for c in connections if c.status != "active"]
    lines += [
        f"🔴 {w.name}: {w.open_errors} open error{'s' if w.open_errors != 1 else ''}"
        for w in workflows
        if w.status == "failing"
    ]
    return lines


def home_view(
    workflows: list[WorkflowSummary],
    connections: list[ConnectionInfo],
    *,
    usage: list[str] | None = None,
    dm_modes: dict[int, str] | None = None,
) -> dict[str, Any]:
    blocks: list[Block] = [header("syncbot")]
    needs = attention(workflows, connections)
    if needs:
        blocks += [section("*Needs attention*\n" + "\n".join(needs[:20])), divider()]
    blocks.append(section(f"*Your workflows* ({len(workflows)})"))
    for wf in workflows[:MAX_HOME_WORKFLOWS]:
        blocks.append(section(workflow_line(wf), overflow(wf)))
        mode = (dm_modes or {}).get(wf.id, "all")
        blocks.append(actions(dm_mode_menu(wf.id, mode), block_id=f"dm_mode_{wf.id}"))
    if len(workflows) > MAX_HOME_WORKFLOWS:
        blocks.append(context(f"and {len(workflows) - MAX_HOME_WORKFLOWS} more: `/sync list`"))
    blocks.append(
        actions(button("Create workflow", ActionId.CREATE_WORKFLOW, "create", style="primary"))
    )
    blocks += [divider(), section("*Your connections*" + ("" if connections else "\nNone yet."))]
    blocks += [connection_block(c) for c in connections[:MAX_HOME_CONNECTIONS]]
    if len(connections) > MAX_HOME_CONNECTIONS:
        blocks.append(
            context(f"and {len(connections) - MAX_HOME_CONNECTIONS} more: `/sync connect`")
        )
    blocks.append(actions(button("Connect an account", ActionId.RECONNECT, "new")))
    if usage is not None:
        blocks += [
            divider(),
            section(
                "*API use today (admins)*\n" + ("\n".join(usage) or "No Salesforce calls yet.")
            ),
        ]
    return {"type": "home", "blocks": blocks}
