"""The workspace page: Slack per workspace and person, then the sheets, then the Salesforce
records (pure: snapshots in, HTML out). ``fragment`` is what the page's script re-fetches."""

from __future__ import annotations

import json
from dataclasses import dataclass

from .assets import PAGE_SCRIPT, PAGE_STYLE
from .data_snapshot import Table
from .mrkdwn import Names, esc, glyphs
from .slack_html import conversation_html, home_html, modal_html
from .slack_snapshot import Person, SlackSnapshot, Workspace

REFRESH_MS = 2000


@dataclass(frozen=True)
class Snapshot:
    slack: SlackSnapshot
    sheets: tuple[Table, ...]
    records: tuple[Table, ...]


def page(content: str, etag: str, nonce: str, fragment_url: str = "fragment") -> str:
    """The whole page around ``fragment(snapshot)``; ``etag`` is that fragment's, so the
    first poll answers 304 when nothing changed since."""
    quoted_etag = f'"{etag}"'  # as the ETag header carries it
    settings = (
        f"const FRAGMENT_URL = {_js_string(fragment_url)}; const REFRESH_MS = {REFRESH_MS};"
        f" const INITIAL_ETAG = {_js_string(quoted_etag)};"
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<title>syncbot sandbox workspace</title>"
        "<link rel='icon' href='data:,'>"  # or the browser asks this server for /favicon.ico
        f"<style>{PAGE_STYLE}</style></head><body>"
        "<header><h1>syncbot sandbox</h1>"
        "<span class='hint'>read-only view of the emulated Slack, Smartsheet and Salesforce"
        " · <span id='refreshed'>live</span></span></header>"
        f"<main id='workspace'>{content}</main>"
        f"<script nonce='{esc(nonce)}'>{settings}\n{PAGE_SCRIPT}</script>"
        "</body></html>"
    )


def _js_string(text: str) -> str:
    # Only ever our own path and hash; "<" escaped anyway so it cannot end the script.
    return json.dumps(text).replace("<", "\\u003c")


def fragment(snapshot: Snapshot) -> str:
    slack = "".join(workspace_html(w, snapshot.slack.names) for w in snapshot.slack.workspaces)
    sheets = "".join(table_html(t, "sheet") for t in snapshot.sheets)
    records = "".join(table_html(t, "records") for t in snapshot.records)
    return (
        f'<section id="slack"><h2>Slack</h2>{slack}</section>'
        f'<section id="smartsheet"><h2>Smartsheet</h2>{sheets or _nothing("No sheets.")}</section>'
        f'<section id="salesforce"><h2>Salesforce</h2>{records or _nothing("No records.")}</section>'
    )


def workspace_html(workspace: Workspace, names: Names) -> str:
    channels = "".join(conversation_html(c, names) for c in workspace.channels)
    people = "".join(person_html(p, names) for p in workspace.people)
    body = channels + people or _nothing("Nothing posted and no view opened yet.")
    quiet = "" if channels or people else " quiet"
    return (
        f'<div class="workspace{quiet}" data-team="{esc(workspace.id)}">'
        f"<h3>{esc(workspace.name)} <span class='hint'>{esc(workspace.id)}</span></h3>{body}</div>"
    )


def person_html(person: Person, names: Names) -> str:
    panes = []
    if person.dm:
        panes.append(_pane("Messages with syncbot", conversation_html(person.dm, names)))
    for conversation in person.only_you:
        panes.append(_pane("Only visible to you", conversation_html(conversation, names)))
    if person.home:
        panes.append(_pane("App Home", home_html(person.home, names)))
    if person.modals:
        top = modal_html(person.modals[-1], names, depth=len(person.modals))
        panes.append(_pane("Open modal", top))
    return (
        f'<div class="person" data-user="{esc(person.id)}">'
        f"<h4 class='who'>{esc(person.name)}</h4><div class='panes'>{''.join(panes)}</div></div>"
    )


def _pane(title: str, inner: str) -> str:
    return f'<div class="pane"><div class="pane-title">{esc(title)}</div>{inner}</div>'


def table_html(table: Table, kind: str) -> str:
    head = "".join(f"<th>{esc(c)}</th>" for c in table.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{glyphs(esc(v))}</td>" for v in row) + "</tr>" for row in table.rows
    )
    unit = "rows" if kind == "sheet" else "records"
    cut = table.total - len(table.rows)
    note = f'<div class="hint">and {cut} more</div>' if cut > 0 else ""
    empty = (
        "" if table.rows else f'<tr><td colspan="{len(table.columns)}" class="hint">empty</td></tr>'
    )
    return (
        f'<div class="table {kind}" data-key="{esc(table.key)}">'
        f"<h3>{esc(table.title)} <span class='hint'>{table.total} {unit}</span></h3>"
        f"<div class='scroll'><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{rows}{empty}</tbody></table></div>{note}</div>"
    )


def _nothing(text: str) -> str:
    return f'<p class="hint">{esc(text)}</p>'
