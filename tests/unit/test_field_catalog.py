"""What the builder offers: related fields one level up (read-only), type-ahead order, and a
describe cache that saves calls while a modal is open."""

from __future__ import annotations

from sync.field_catalog import (
    DescribeCache,
    matching_fields,
    matching_objects,
    related_label,
    selectable_fields,
)
from sync.model import SalesforceType
from sync.ports import ObjectInfo
from tests.unit.builders import a_describe, a_field, a_lookup

ACCOUNT = a_describe(
    "Account", a_field("Id", SalesforceType.ID), a_field("Name", label="Account Name")
)
OPPORTUNITY = a_describe(
    "Opportunity",
    a_field("Name", label="Opportunity Name"),
    a_lookup("AccountId", "Account", "Account"),
    a_lookup("SecretId", "Secret__c", "Secret__r"),
)


class CountingOrg:
    def __init__(self) -> None:
        self.calls = {"describe_global": 0, "describe": 0}

    def describe_global(self) -> list[ObjectInfo]:
        self.calls["describe_global"] += 1
        return [
            ObjectInfo("Account", "Account", False, True, True, True),
            ObjectInfo("AccountHistory", "Account History", False, False, False, False),
        ]

    def describe(self, name: str):  # type: ignore[no-untyped-def]
        self.calls["describe"] += 1
        return {"Account": ACCOUNT, "Opportunity": OPPORTUNITY}[name]


def test_related_fields_come_one_level_up_and_are_read_only() -> None:
    fields = selectable_fields(OPPORTUNITY, lambda name: ACCOUNT if name == "Account" else None)
    related = {f.name: f for f in fields if f.is_related}
    assert set(related) == {"Account.Id", "Account.Name"}  # Secret__c cannot be described
    assert related["Account.Name"].label == "Account \u203a Account Name"
    assert not related["Account.Name"].writable


def test_a_related_label_keeps_the_relationship_apart_from_the_field() -> None:
    assert related_label("Account", "Account Name") == "Account \u203a Account Name"
    assert related_label("Owner", "Email") == "Owner \u203a Email"
    assert related_label("Secret__r", "Name") == "Secret__r \u203a Name"


def test_type_ahead_puts_own_fields_first() -> None:
    fields = selectable_fields(OPPORTUNITY, lambda name: ACCOUNT if name == "Account" else None)
    names = [f.name for f in matching_fields(fields, "name")]
    assert names == ["Name", "Account.Name"]


def test_the_cache_answers_repeated_type_ahead_without_new_calls() -> None:
    now = [0.0]
    cache = DescribeCache(lambda: now[0])
    org = CountingOrg()
    for _ in range(5):
        objects = cache.objects(1, org)  # type: ignore[arg-type]
        cache.describe(1, org, "Opportunity")  # type: ignore[arg-type]
    assert [o.name for o in objects] == ["Account"]  # not queryable: left out
    assert org.calls == {"describe_global": 1, "describe": 1}
    now[0] = 121.0
    cache.objects(1, org)  # type: ignore[arg-type]
    assert org.calls["describe_global"] == 2
    assert [o.name for o in matching_objects(objects, "acc")] == ["Account"]
