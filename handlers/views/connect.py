"""`/sync connect` prompt, the My Domain modal, and the "Connected …" DM."""

from __future__ import annotations

from typing import Any

from handlers.ids import ActionId, BlockId, CallbackId
from handlers.views.blocks import Block, actions, button, context, message, plain, section
from sync.services import ConnectionInfo, ConnectUrls

NAMES = {"salesforce": "Salesforce", "smartsheet": "Smartsheet"}


def connection_line(c: ConnectionInfo) -> str:
    state = "" if c.status == "active" else f" — ⚠️ {c.status}, reconnect it"
    who = f" as {c.username}" if c.username and c.username not in c.label else ""
    return f"• {NAMES.get(c.kind, c.kind)}: *{c.label}*{who}{state}"


def connection_block(c: ConnectionInfo) -> Block:
    """One connection with its Reconnect button (App Home): new tokens for the same
    account, or the way back after a revoked or expired sign-in."""
    return section(connection_line(c), button("Reconnect", ActionId.RECONNECT, f"conn:{c.id}"))


def connect_prompt(connections: list[ConnectionInfo], urls: ConnectUrls) -> dict[str, Any]:
    have = "\n".join(connection_line(c) for c in connections) or "You have no connections yet."
    blocks: list[Block] = [
        section(f"*Your connections*\n{have}"),
        actions(
            button(
                "Connect Salesforce",
                ActionId.CONNECT_SALESFORCE,
                "production",
                url=urls.salesforce,
                style="primary",
            ),
            button(
                "Salesforce sandbox",
                ActionId.CONNECT_SALESFORCE_SANDBOX,
                "sandbox",
                url=urls.salesforce_sandbox,
            ),
            button("My Domain…", ActionId.CONNECT_SALESFORCE_DOMAIN, "domain"),
            button(
                "Connect Smartsheet",
                ActionId.CONNECT_SMARTSHEET,
                "smartsheet",
                url=urls.smartsheet,
                style="primary",
            ),
        ),
    ]
    blocks += (
        [
            actions(
                *[
                    button(f"Disconnect {c.label}"[:75], ActionId.DISCONNECT, str(c.id))
                    for c in connections[:5]
                ]
            )
        ]
        if connections
        else []
    )
    blocks.append(context("Links work once, for you only, for 10 minutes."))
    return message("Connect Salesforce and Smartsheet", blocks)


def domain_modal(response_url: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": CallbackId.SALESFORCE_DOMAIN,
        "title": plain("Salesforce My Domain", 24),
        "submit": plain("Get link", 24),
        "close": plain("Cancel", 24),
        "private_metadata": response_url[:3000],
        "blocks": [
            {
                "type": "input",
                "block_id": BlockId.DOMAIN,
                "label": plain("Your My Domain"),
                "hint": plain("For example acme.my.salesforce.com", 150),
                "element": {"type": "plain_text_input", "action_id": "domain"},
            }
        ],
    }


def domain_link(domain: str, url: str) -> dict[str, Any]:
    return message(
        f"Connect Salesforce at {domain}",
        [
            section(
                f"Sign in at *{domain}*:",
                button("Connect", ActionId.CONNECT_SALESFORCE, "domain", url=url, style="primary"),
            )
        ],
    )


def connected_dm(
    provider: str, account: str, slack_user: str, connection_id: int
) -> dict[str, Any]:
    text = f"Connected {account} to syncbot — not you? Disconnect it."
    return message(
        text,
        [
            section(
                f"✅ Connected *{account}* ({NAMES.get(provider, provider)}) for <@{slack_user}> — not you?",
                button("Disconnect", ActionId.DISCONNECT, str(connection_id), style="danger"),
            )
        ],
    )


def connected_prompt(account: str) -> dict[str, Any]:
    return message(
        f"Connected {account}.", [section(f"✅ Connected *{account}*. Next: `/sync create`.")]
    )


def disconnected(label: str, paused: int) -> dict[str, Any]:
    extra = f" {paused} workflow{'s' if paused != 1 else ''} using it paused." if paused else ""
    return message(f"Disconnected {label}.{extra}", [section(f"Disconnected *{label}*.{extra}")])
