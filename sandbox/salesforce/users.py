"""Seeded users, their profiles, field-level security and record sharing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from .ids import make_id
from .schema import FieldDef, ObjectDef

# Fields the "limited" profile has no field-level access to: absent from describe,
# unknown to SOQL, rejected in writes.
LIMITED_HIDDEN = frozenset(
    {
        ("Opportunity", "Amount"),
        ("Opportunity", "ExpectedRevenue"),  # derived from Amount, hidden with it
        ("Account", "AnnualRevenue"),
        ("Project__c", "Budget__c"),
        ("Project__c", "Score__c"),  # formula over Budget__c
    }
)

# Fields the "limited" profile may read but not edit (field-level security "Read Access"
# without "Edit Access"): describe shows createable/updateable false, writes fail with
# INVALID_FIELD_FOR_INSERT_UPDATE.
LIMITED_READ_ONLY = frozenset({("Opportunity", "NextStep")})

# Objects the "limited" profile has no Read permission on: absent from describeGlobal,
# describe answers NOT_FOUND (as Salesforce does for an object the user cannot access).
LIMITED_HIDDEN_OBJECTS = frozenset({"Case"})

# The "rep" profile reads Cases but field-level security hides their Origin.
REP_HIDDEN = frozenset({("Case", "Origin")})


@dataclass(frozen=True)
class SfUser:
    alias: str
    id: str
    username: str
    first_name: str
    last_name: str
    email: str
    profile: str
    view_all: bool  # "View All Data"/"Modify All Data": sharing does not apply
    hidden_fields: frozenset[tuple[str, str]] = frozenset()
    read_only_fields: frozenset[tuple[str, str]] = frozenset()
    timezone: str = "America/Los_Angeles"
    title: str = ""
    hidden_objects: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def sees_object(self, object_name: str) -> bool:
        return object_name not in self.hidden_objects

    def sees_field(self, object_name: str, field_name: str) -> bool:
        return (object_name, field_name) not in self.hidden_fields

    def edits_field(self, object_name: str, field: FieldDef, *, inserting: bool) -> bool:
        """Field-level edit access of this profile, on top of the field's own flags."""
        allowed = field.createable if inserting else field.updateable
        return allowed and (object_name, field.name) not in self.read_only_fields

    def visible_fields(self, obj: ObjectDef) -> list[FieldDef]:
        return [f for f in obj.fields if self.sees_field(obj.name, f.name)]

    def described_fields(self, obj: ObjectDef) -> list[FieldDef]:
        """What describe shows this user: visible fields, read-only ones not writable."""
        return [
            replace(f, createable=False, updateable=False)
            if (obj.name, f.name) in self.read_only_fields
            else f
            for f in self.visible_fields(obj)
        ]

    def visible_field(self, obj: ObjectDef, name: str) -> FieldDef | None:
        found = obj.field(name)
        return found if found is not None and self.sees_field(obj.name, found.name) else None

    def sees_record(self, obj: ObjectDef, record: Mapping[str, Any]) -> bool:
        """Private objects show a user only the records they own (no roles, no sharing rules)."""
        return self.view_all or not obj.private_sharing or record.get("OwnerId") == self.id

    def edits_record(self, obj: ObjectDef, record: Mapping[str, Any], *, deleting: bool) -> bool:
        """Public Read/Write lets others edit; Private and Public Read Only objects, and every
        delete, need ownership (or View/Modify All Data)."""
        owner_only = deleting or obj.private_sharing or obj.read_only_sharing
        return self.view_all or not owner_only or record.get("OwnerId") == self.id


def seeded_users(org_tag: str) -> dict[str, SfUser]:
    def uid(n: int) -> str:
        return make_id("005", org_tag, n)

    return {
        "admin": SfUser(
            "admin",
            uid(1),
            "alex.carter@acme-sandbox.example",
            "Alex",
            "Carter",
            "alex.carter@acme-sandbox.example",
            "System Administrator",
            True,
            title="Salesforce Administrator",
        ),
        "rep": SfUser(
            "rep",
            uid(2),
            "riley.brooks@acme-sandbox.example",
            "Riley",
            "Brooks",
            "riley.brooks@acme-sandbox.example",
            "Standard User",
            False,
            REP_HIDDEN,
            timezone="America/New_York",
            title="Account Executive",
        ),
        "limited": SfUser(
            "limited",
            uid(3),
            "lena.fischer@acme-sandbox.example",
            "Lena",
            "Fischer",
            "lena.fischer@acme-sandbox.example",
            "Limited Sales User",
            False,
            LIMITED_HIDDEN,
            LIMITED_READ_ONLY,
            timezone="Europe/Paris",
            title="Sales Assistant",
            hidden_objects=LIMITED_HIDDEN_OBJECTS,
        ),
    }


def user_record(user: SfUser, stamp: str, creator_id: str) -> dict[str, Any]:
    """The User sObject row for a seeded user."""
    return {
        "Id": user.id,
        "IsDeleted": False,
        "Username": user.username,
        "LastName": user.last_name,
        "FirstName": user.first_name,
        "Name": user.name,
        "CompanyName": "Acme Sandbox",
        "Title": user.title,
        "Email": user.email,
        "Alias": (user.first_name[0] + user.last_name[:4]).lower(),
        "IsActive": True,
        "TimeZoneSidKey": user.timezone,
        "CreatedDate": stamp,
        "CreatedById": creator_id,
        "LastModifiedDate": stamp,
        "LastModifiedById": creator_id,
        "SystemModstamp": stamp,
    }
