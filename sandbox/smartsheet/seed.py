"""The seeded account: three people, an OAuth app, and the sheets they work with.

"Pipeline" (owned by owner, shared with editor as EDITOR and viewer as VIEWER) holds
``seed_size`` deals; "Support Queue" is owner's alone; "Sync Target" is empty.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .cells import WriteContext
from .columns import check_new_sheet_columns, new_column
from .model import IdSource, Sheet, SsUser, to_second
from .oauth import OAuthApp
from .rows import RowWrite, add_rows

STAGES = ["Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost"]
TAGS = ["Enterprise", "SMB", "Renewal", "Upsell", "Partner"]
_COMPANIES = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Wonka",
    "Hooli",
    "Soylent",
    "Tyrell",
    "Cyberdyne",
    "Vandelay",
]
_PEOPLE = [("owner", "Morgan", "Lee"), ("editor", "Sam", "Rivera"), ("viewer", "Alex", "Chen")]

PIPELINE_COLUMNS: list[dict[str, Any]] = [
    {"title": "Deal", "type": "TEXT_NUMBER", "primary": True},
    {"title": "Amount", "type": "TEXT_NUMBER"},
    {"title": "Stage", "type": "PICKLIST", "options": STAGES},
    {"title": "Close Date", "type": "DATE"},
    {"title": "Won", "type": "CHECKBOX"},
    {"title": "Owner", "type": "CONTACT_LIST"},
    {"title": "Tags", "type": "MULTI_PICKLIST", "options": TAGS},
    {"title": "Salesforce Id", "type": "TEXT_NUMBER"},
    {"title": "Sync Status", "type": "TEXT_NUMBER"},
]
SUPPORT_COLUMNS: list[dict[str, Any]] = [
    {"title": "Subject", "type": "TEXT_NUMBER", "primary": True},
    {
        "title": "Priority",
        "type": "PICKLIST",
        "options": ["High", "Medium", "Low"],
        "validation": True,
    },
    {"title": "Status", "type": "PICKLIST", "options": ["New", "Working", "Closed"]},
    {"title": "Opened", "type": "DATE"},
    {"title": "Assignee", "type": "CONTACT_LIST"},
    {"title": "Watchers", "type": "MULTI_CONTACT_LIST"},
    {"title": "Escalated", "type": "CHECKBOX"},
]
TARGET_COLUMNS: list[dict[str, Any]] = [
    {"title": "Name", "type": "TEXT_NUMBER", "primary": True},
    {"title": "Amount", "type": "TEXT_NUMBER"},
    {"title": "Stage", "type": "PICKLIST", "options": STAGES},
    {"title": "Close Date", "type": "DATE"},
]


@dataclass
class Account:
    ids: IdSource
    users: dict[str, SsUser]
    sheets: list[Sheet]
    app: OAuthApp


def build_account(*, seed: int, seed_size: int, now: datetime) -> Account:
    ids = IdSource(seed)
    users = {
        alias: SsUser(alias, ids.next(), f"{first}.{last}@example.com".lower(), first, last)
        for alias, first, last in _PEOPLE
    }
    app = OAuthApp(client_id=ids.token(22), client_secret=ids.token(26))
    builder = _Builder(ids, users, random.Random(seed), to_second(now - timedelta(days=30)))
    pipeline = builder.sheet("Pipeline", PIPELINE_COLUMNS, builder.deals(seed_size))
    pipeline.shares.update(editor="EDITOR", viewer="VIEWER")
    support = builder.sheet(
        "Support Queue", SUPPORT_COLUMNS, builder.tickets(max(3, seed_size // 10))
    )
    target = builder.sheet("Sync Target", TARGET_COLUMNS, [])
    return Account(ids, users, [pipeline, support, target], app)


def make_sheet(
    ids: IdSource, name: str, columns: list[dict[str, Any]], owner: str, moment: datetime
) -> Sheet:
    built = [new_column(raw, ids) for raw in columns]
    check_new_sheet_columns(built)
    return Sheet(
        id=ids.next(),
        name=name,
        owner=owner,
        created_at=moment,
        modified_at=moment,
        columns=built,
        permalink_key=ids.token(22),
    )


class _Builder:
    def __init__(
        self, ids: IdSource, users: dict[str, SsUser], rng: random.Random, start: datetime
    ) -> None:
        self.ids, self.users, self.rng, self.start = ids, users, rng, start

    def sheet(self, name: str, columns: list[dict[str, Any]], rows: list[dict[str, Any]]) -> Sheet:
        sheet = make_sheet(self.ids, name, columns, "owner", self.start)
        directory = {u.email: u for u in self.users.values()}
        for number, values in enumerate(rows):
            moment = self.start + timedelta(minutes=number)
            job = RowWrite(sheet, "owner", moment, WriteContext(directory, True, True), self.ids)
            add_rows(job, [{"cells": self._cells(sheet, values)}], partial=False)
        sheet.modified_at = self.start + timedelta(minutes=len(rows))
        return sheet

    @staticmethod
    def _cells(sheet: Sheet, values: dict[str, Any]) -> list[dict[str, Any]]:
        cells = []
        for title, value in values.items():
            column = sheet.column_titled(title)
            assert column is not None
            key = "objectValue" if isinstance(value, dict) else "value"
            cells.append({"columnId": column.id, key: value})
        return cells

    def deals(self, count: int) -> list[dict[str, Any]]:
        return [self._deal(number) for number in range(1, count + 1)]

    def _deal(self, number: int) -> dict[str, Any]:
        rng = self.rng
        stage = rng.choice(STAGES)
        close = self.start.date() + timedelta(days=rng.randrange(0, 120))
        owner = self.users[rng.choice(["owner", "editor"])]
        tags = sorted(rng.sample(TAGS, rng.randrange(0, 3)), key=TAGS.index)
        deal: dict[str, Any] = {
            "Deal": f"{rng.choice(_COMPANIES)} deal {number:03d}",
            "Amount": rng.randrange(5, 500) * 100,
            "Stage": stage,
            "Close Date": close.isoformat(),
            "Won": stage == "Closed Won",
            "Owner": owner.email,
        }
        if tags:
            deal["Tags"] = {"objectType": "MULTI_PICKLIST", "values": tags}
        return deal

    def tickets(self, count: int) -> list[dict[str, Any]]:
        people = list(self.users.values())
        return [
            {
                "Subject": f"Ticket {number}: {self.rng.choice(['Login', 'Billing', 'Export'])} issue",
                "Priority": self.rng.choice(["High", "Medium", "Low"]),
                "Status": self.rng.choice(["New", "Working", "Closed"]),
                "Opened": (self.start.date() + timedelta(days=number)).isoformat(),
                "Assignee": people[number % len(people)].email,
                "Watchers": {
                    "objectType": "MULTI_CONTACT",
                    "values": [
                        {"objectType": "CONTACT", "email": p.email}
                        for p in people[: 1 + number % 2]
                    ],
                },
                "Escalated": number % 4 == 0,
            }
            for number in range(1, count + 1)
        ]
