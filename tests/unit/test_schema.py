"""sync.schema.resolve_field against describes: recorded ones (Opportunity and Account from a
dev org, API v48.0; With_Reference__c with custom lookups) and a small hand-made User.

Facts: a parent field is reached through the lookup's `relationshipName` (`Account` for
AccountId, `account_ref__r` for account_ref__c), never through the Id field's name (SOQL
guide, "Using Relationship Queries"); describe names are case-insensitive.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from sync.connectors.describe import to_object_describe
from sync.errors import ConfigurationError
from sync.model import SalesforceType
from sync.ports import ObjectDescribe
from sync.schema import resolve_field
from tests.unit.builders import FakeOrg, a_describe, a_field, a_lookup

RECORDED = Path(__file__).parents[1] / "fixtures" / "recorded" / "salesforce"
T = SalesforceType


@cache
def recorded(file_name: str) -> ObjectDescribe:
    return to_object_describe(json.loads((RECORDED / file_name).read_text()))


def user() -> ObjectDescribe:
    return a_describe(
        "User",
        a_field("Email", T.EMAIL, label="Email"),
        a_field("Name", label="Full Name", createable=False, updateable=False),
        a_lookup("ManagerId", "User", "Manager"),
    )


@pytest.fixture
def org() -> FakeOrg:
    return FakeOrg(
        recorded("Opportunity.json"),
        recorded("Account.json"),
        recorded("with_reference.json"),
        user(),
    )


class TestOwnFields:
    def test_a_field_of_the_object_is_its_describe_entry(self, org: FakeOrg) -> None:
        amount = resolve_field(org, "Opportunity", "Amount")

        assert amount == recorded("Opportunity.json").fields["Amount"]
        assert amount.type is T.CURRENCY
        assert amount.writable

    def test_names_are_matched_ignoring_case_and_come_back_canonical(self, org: FakeOrg) -> None:
        assert resolve_field(org, "Opportunity", "stagename").name == "StageName"

    def test_a_formula_like_field_is_not_writable(self, org: FakeOrg) -> None:
        assert not resolve_field(org, "Opportunity", "IsWon").writable

    def test_an_unknown_field_is_explained(self, org: FakeOrg) -> None:
        with pytest.raises(ConfigurationError) as refused:
            resolve_field(org, "Opportunity", "Amout")

        assert str(refused.value) == (
            "Opportunity has no field “Amout” that you can see "
            "(it may not exist, or your Salesforce profile hides it)."
        )


class TestRelatedFields:
    def test_account_name_on_opportunity(self, org: FakeOrg) -> None:
        name = resolve_field(org, "Opportunity", "Account.Name")

        assert name.name == "Account.Name"
        assert name.type is T.STRING
        assert name.label == "Account \u203a Account Name"  # issue #11: no "Account Account Name"
        assert name.is_related
        assert org.calls == ["Opportunity", "Account"]

    def test_account_owner_email_walks_two_lookups(self, org: FakeOrg) -> None:
        email = resolve_field(org, "Opportunity", "Account.Owner.Email")

        assert (email.name, email.type) == ("Account.Owner.Email", T.EMAIL)
        assert org.calls == ["Opportunity", "Account", "User"]

    def test_the_path_comes_back_with_canonical_names(self, org: FakeOrg) -> None:
        assert resolve_field(org, "Opportunity", "account.owner.EMAIL").name == (
            "Account.Owner.Email"
        )

    def test_custom_lookups_go_through_their_r_relationship(self, org: FakeOrg) -> None:
        name = resolve_field(org, "With_Reference__c", "account_ref__r.Name")

        assert name.name == "account_ref__r.Name"

    def test_a_lookup_chain_may_repeat_an_object(self, org: FakeOrg) -> None:
        path = "Account.Owner.Manager.Manager.Email"

        assert resolve_field(org, "Opportunity", path).name == path

    @pytest.mark.parametrize(
        "path",
        ["Account.Name", "Account.Owner.Email", "Owner.Name", "account_ref__r.Name"],
    )
    def test_related_fields_are_never_writable(self, org: FakeOrg, path: str) -> None:
        obj = "With_Reference__c" if path.startswith("account_ref") else "Opportunity"

        field = resolve_field(org, obj, path)

        assert (field.writable, field.createable, field.updateable) == (False, False, False)

    def test_an_unknown_relationship_is_explained(self, org: FakeOrg) -> None:
        with pytest.raises(ConfigurationError) as refused:
            resolve_field(org, "Opportunity", "Acount.Name")

        assert str(refused.value) == "Opportunity has no lookup called “Acount” that you can see."

    def test_the_id_field_is_not_a_relationship_name(self, org: FakeOrg) -> None:
        with pytest.raises(ConfigurationError, match="no lookup called “AccountId”"):
            resolve_field(org, "Opportunity", "AccountId.Name")

    def test_a_plain_field_is_not_a_relationship(self, org: FakeOrg) -> None:
        with pytest.raises(ConfigurationError, match="no lookup called “Name”"):
            resolve_field(org, "Opportunity", "Name.Length")

    def test_an_unknown_field_on_the_parent_names_the_parent(self, org: FakeOrg) -> None:
        with pytest.raises(ConfigurationError, match=r"^Account has no field “Colour”"):
            resolve_field(org, "Opportunity", "Account.Colour")

    @pytest.mark.parametrize("path", ["", ".", "Account.", ".Name", "Account..Name"])
    def test_malformed_paths_are_refused_without_a_describe(self, org: FakeOrg, path: str) -> None:
        with pytest.raises(ConfigurationError, match="is not a field name on Opportunity"):
            resolve_field(org, "Opportunity", path)

        assert org.calls == []

    def test_paths_deeper_than_soql_allows_are_refused(self, org: FakeOrg) -> None:
        too_deep = "Account.Owner.Manager.Manager.Manager.Manager.Email"

        with pytest.raises(ConfigurationError):
            resolve_field(org, "Opportunity", too_deep)
