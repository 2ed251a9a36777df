"""The seeded workspaces: Acme (the main one) and Globex (for isolation tests)."""

from __future__ import annotations

from .models import Channel, SlackTeam, SlackUserInfo

ACME = "T0SANDBOX1"
GLOBEX = "T0SANDBOX2"

# Scopes the pre-issued bot tokens hold: what syncbot's manifest asks for.
DEFAULT_BOT_SCOPES: tuple[str, ...] = (
    "commands",
    "chat:write",
    "im:write",
    "users:read",
    "users:read.email",
    "team:read",
)


def seed_teams() -> list[SlackTeam]:
    return [
        SlackTeam(
            id=ACME,
            name="Acme",
            domain="acme-sandbox",
            email_domain="acme.example.com",
            bot_user_id="U0BOTACME1",
            bot_id="B0BOTACME1",
            general_channel="C0GENERAL1",
        ),
        SlackTeam(
            id=GLOBEX,
            name="Globex",
            domain="globex-sandbox",
            email_domain="globex.example.com",
            bot_user_id="U0BOTGLBX2",
            bot_id="B0BOTGLBX2",
            general_channel="C0GENERAL2",
        ),
    ]


def _person(
    user_id: str, team_id: str, name: str, real_name: str, domain: str, **flags: bool
) -> SlackUserInfo:
    person = SlackUserInfo(
        id=user_id, team_id=team_id, name=name, real_name=real_name, email=f"{name}@{domain}"
    )
    for flag, value in flags.items():
        setattr(person, flag, value)
    return person


def seed_users(teams: list[SlackTeam]) -> list[SlackUserInfo]:
    acme = "acme.example.com"
    people = [
        _person(
            "U0ALICE001",
            ACME,
            "alice",
            "Alice Archer",
            acme,
            is_admin=True,
            is_owner=True,
            is_primary_owner=True,
        ),
        _person("U0BOB00002", ACME, "bob", "Bob Baker", acme, is_admin=True),
        _person("U0CAROL003", ACME, "carol", "Carol Chen", acme),
        _person("U0DAVE0004", ACME, "dave", "Dave Diaz", acme),
        _person(
            "U0ERIN0005",
            GLOBEX,
            "erin",
            "Erin Evans",
            "globex.example.com",
            is_admin=True,
            is_owner=True,
            is_primary_owner=True,
        ),
    ]
    bots = [
        SlackUserInfo(
            id=t.bot_user_id,
            team_id=t.id,
            name="syncbot",
            real_name="syncbot",
            email="",
            is_bot=True,
        )
        for t in teams
    ]
    return people + bots


def seed_channels(teams: list[SlackTeam], users: list[SlackUserInfo]) -> list[Channel]:
    channels = []
    for team in teams:
        members = {u.id for u in users if u.team_id == team.id}
        channels.append(
            Channel(id=team.general_channel, team_id=team.id, name="general", members=members)
        )
    return channels
