"""The sandbox's SOQL engine, driven the way the Salesforce emulator drives it.

Pure unit tests: a small in-memory org (schema + records) stands in for the emulator.
Expected error texts come from recorded Salesforce responses and the SOQL guide; the
source of each is named next to the test.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Iterable, Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from simple_salesforce.format import format_soql

from sandbox.salesforce.soql import FieldInfo, QueryResult, SoqlError, run_query

NOW = dt.datetime(2024, 2, 1, 12, 0, tzinfo=dt.UTC)
SUFFIX = string.ascii_uppercase + "012345"
CUSTOM_FIELD_HINT = (
    "If you are attempting to use a custom field, be sure to append the '__c' after the custom "
    "field name. Please reference your WSDL or the describe call for the appropriate names."
)


def make_id(prefix: str, number: int) -> str:
    """A valid 18-character id with mixed case, so case-sensitivity is exercised."""
    body = f"{prefix}aB{number:010d}"
    suffix = ""
    for start in (0, 5, 10):
        chunk = body[start : start + 5]
        suffix += SUFFIX[sum(1 << i for i, c in enumerate(chunk) if c.isupper())]
    return body + suffix


def ref(name: str, relationship: str, *targets: str) -> FieldInfo:
    return FieldInfo(name, "reference", relationship, targets)


SCHEMA: dict[str, list[FieldInfo]] = {
    "Account": [
        FieldInfo("Id", "id"),
        FieldInfo("IsDeleted", "boolean"),
        FieldInfo("Name", "string"),
        FieldInfo("Industry", "picklist"),
        FieldInfo("AnnualRevenue", "currency"),
        FieldInfo("NumberOfEmployees", "int"),
        FieldInfo("CreatedDate", "datetime"),
        FieldInfo("Founded__c", "date"),
        FieldInfo("Tags__c", "multipicklist"),
        FieldInfo("Active__c", "boolean"),
        ref("OwnerId", "Owner", "User", "Group"),
        ref("ParentId", "Parent", "Account"),
    ],
    "Contact": [
        FieldInfo("Id", "id"),
        FieldInfo("IsDeleted", "boolean"),
        FieldInfo("LastName", "string"),
        FieldInfo("Email", "email"),
        ref("AccountId", "Account", "Account"),
        ref("Primary__c", "Primary__r", "Account"),
    ],
    "User": [
        FieldInfo("Id", "id"),
        FieldInfo("Name", "string"),
        FieldInfo("Email", "email"),
        ref("ManagerId", "Manager", "User"),
    ],
    "Group": [FieldInfo("Id", "id"), FieldInfo("Name", "string")],
}

U1, U2, G1 = make_id("005", 1), make_id("005", 2), make_id("00G", 1)
A1, A2, A3, A4, A5 = (make_id("001", n) for n in range(1, 6))
HIDDEN_ACCOUNT = make_id("001", 99)
C1, C2, C3, C4 = (make_id("003", n) for n in range(1, 5))


def account(id_: str, name: str, **values: Any) -> dict[str, Any]:
    return {"Id": id_, "IsDeleted": False, "Name": name, **values}


RECORDS: dict[str, list[dict[str, Any]]] = {
    "User": [
        {"Id": U1, "Name": "Ada Lovelace", "Email": "ada@example.com", "ManagerId": U2},
        {"Id": U2, "Name": "Grace Hopper", "Email": "grace@example.com", "ManagerId": None},
    ],
    "Group": [{"Id": G1, "Name": "Support Queue"}],
    "Account": [
        account(
            A1,
            "Acme",
            Industry="Energy",
            AnnualRevenue=1000000.5,
            NumberOfEmployees=10,
            CreatedDate="2024-01-31T17:05:12.000+0000",
            Founded__c="2001-05-01",
            Tags__c="Red;Blue",
            Active__c=True,
            OwnerId=U1,
            ParentId=None,
        ),
        account(
            A2,
            "globex",
            Industry=None,
            AnnualRevenue=9,
            NumberOfEmployees=9,
            CreatedDate="2024-01-31T15:30:00.000+0000",
            Founded__c=None,
            Tags__c="Blue",
            Active__c=False,
            OwnerId=G1,
            ParentId=A1,
        ),
        account(
            A3,
            "Initech",
            Industry="Banking",
            AnnualRevenue=None,
            NumberOfEmployees=100,
            CreatedDate="2024-02-01T00:00:00.000+0000",
            Founded__c="1999-12-31",
            Tags__c=None,
            Active__c=None,
            OwnerId=U2,
            ParentId=A2,
        ),
        account(
            A4,
            "Umbrella 100%_off",
            Industry="Energy",
            AnnualRevenue=-5,
            NumberOfEmployees=None,
            CreatedDate="2024-01-30T23:59:59.000+0000",
            Founded__c=None,
            Tags__c="Green;Red;Blue",
            Active__c=True,
            OwnerId=U1,
            ParentId=None,
        ),
        account(A5, "Deleted Co", IsDeleted=True, Industry="Energy", OwnerId=U1),
    ],
    "Contact": [
        {"Id": C1, "IsDeleted": False, "LastName": "O'Brien", "AccountId": A1, "Primary__c": A2},
        {"Id": C2, "IsDeleted": False, "LastName": "Smith", "AccountId": None},
        {"Id": C3, "IsDeleted": False, "LastName": "Jones", "AccountId": A3},
        {"Id": C4, "IsDeleted": False, "LastName": "Hidden", "AccountId": HIDDEN_ACCOUNT},
    ],
}


class FakeSchema:
    """One user's view: Opportunity exists in the org but this user may not see it."""

    def __init__(self, fields: dict[str, list[FieldInfo]] | None = None) -> None:
        self.fields = {
            obj: {f.name.lower(): f for f in fs} for obj, fs in (fields or SCHEMA).items()
        }

    def object_name(self, name: str) -> str | None:
        return next((obj for obj in self.fields if obj.lower() == name.lower()), None)

    def field(self, object_name: str, name: str) -> FieldInfo | None:
        return self.fields[object_name].get(name.lower())


class FakeSource:
    """Hands out every stored row, deleted ones too: filtering them is the engine's job."""

    def __init__(self, records: dict[str, list[dict[str, Any]]] | None = None) -> None:
        self.records = records if records is not None else RECORDS
        self.asked: list[tuple[str, bool]] = []

    def rows(self, object_name: str, include_deleted: bool) -> Iterable[Mapping[str, Any]]:
        self.asked.append((object_name, include_deleted))
        return self.records.get(object_name, [])

    def get(self, object_name: str, record_id: str) -> Mapping[str, Any] | None:
        return next((r for r in self.records[object_name] if r["Id"] == record_id), None)

    def attributes(self, object_name: str, record: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "type": object_name,
            "url": f"/services/data/v59.0/sobjects/{object_name}/{record['Id']}",
        }


def query(text: str, **kwargs: Any) -> QueryResult:
    kwargs.setdefault("now", NOW)
    return run_query(text, FakeSchema(), FakeSource(), **kwargs)


def ids(text: str, **kwargs: Any) -> list[str]:
    return [record["Id"] for record in query(text, **kwargs).records]


def attrs(object_name: str, id_: str) -> dict[str, str]:
    return {"type": object_name, "url": f"/services/data/v59.0/sobjects/{object_name}/{id_}"}


def error(text: str) -> SoqlError:
    with pytest.raises(SoqlError) as caught:
        query(text)
    return caught.value


# -- SELECT and the shape of records ----------------------------------------------------


def test_records_start_with_attributes_and_use_canonical_field_names() -> None:
    result = query("select id, NAME, annualrevenue from ACCOUNT where name = 'acme'")
    assert result.total_size == 1
    assert result.records == [
        {"attributes": attrs("Account", A1), "Id": A1, "Name": "Acme", "AnnualRevenue": 1000000.5}
    ]
    assert list(result.records[0]) == ["attributes", "Id", "Name", "AnnualRevenue"]


def test_values_come_back_in_salesforce_json_form() -> None:
    [record] = query(
        "SELECT CreatedDate, Founded__c, Tags__c, Active__c FROM Account WHERE Id = '" + A1 + "'"
    ).records
    assert record["CreatedDate"] == "2024-01-31T17:05:12.000+0000"
    assert record["Founded__c"] == "2001-05-01"
    assert record["Tags__c"] == "Red;Blue"
    assert record["Active__c"] is True


def test_parent_fields_nest_under_the_relationship_name() -> None:
    [record] = query(
        "SELECT LastName, Account.Name, Account.Industry FROM Contact WHERE LastName = 'O\\'Brien'"
    ).records
    assert record == {
        "attributes": attrs("Contact", C1),
        "LastName": "O'Brien",
        "Account": {"attributes": attrs("Account", A1), "Name": "Acme", "Industry": "Energy"},
    }


def test_empty_or_invisible_lookup_gives_null_parent() -> None:
    records = query(
        "SELECT LastName, Account.Name FROM Contact WHERE LastName IN ('Smith', 'Hidden')"
    ).records
    assert [r["Account"] for r in records] == [None, None]


def test_parent_paths_of_any_depth() -> None:
    [jones] = query(
        "SELECT Account.Owner.Email, Account.Owner.Manager.Name FROM Contact "
        "WHERE LastName = 'Jones'"
    ).records
    assert jones["Account"] == {
        "attributes": attrs("Account", A3),
        "Owner": {"attributes": attrs("User", U2), "Email": "grace@example.com", "Manager": None},
    }
    [obrien] = query(
        "SELECT Account.Owner.Manager.Name FROM Contact WHERE LastName = 'O\\'Brien'"
    ).records
    assert obrien["Account"]["Owner"]["Manager"] == {
        "attributes": attrs("User", U2),
        "Name": "Grace Hopper",
    }


def test_custom_relationship_uses_the_r_name() -> None:
    [record] = query(
        "SELECT Primary__c, Primary__r.Name FROM Contact WHERE Primary__c != null"
    ).records
    assert record["Primary__c"] == A2
    assert record["Primary__r"] == {"attributes": attrs("Account", A2), "Name": "globex"}


def test_polymorphic_owner_reports_the_actual_parent_type() -> None:
    records = query("SELECT Owner.Name FROM Account WHERE Name IN ('Acme', 'globex')").records
    assert [r["Owner"] for r in records] == [
        {"attributes": attrs("User", U1), "Name": "Ada Lovelace"},
        {"attributes": attrs("Group", G1), "Name": "Support Queue"},
    ]


def test_count_returns_only_the_total() -> None:
    assert query("SELECT COUNT() FROM Account") == QueryResult([], 4)
    assert query("select count() from Account where Industry = 'energy'") == QueryResult([], 2)
    assert query("SELECT COUNT() FROM Account LIMIT 1") == QueryResult([], 1)
    assert query("SELECT COUNT() FROM Account", include_deleted=True) == QueryResult([], 5)


def test_deleted_rows_appear_only_with_include_deleted() -> None:
    assert ids("SELECT Id FROM Account WHERE Name = 'Deleted Co'") == []
    source = FakeSource()
    text = "SELECT Id, IsDeleted FROM Account WHERE Name = 'Deleted Co'"
    [record] = run_query(text, FakeSchema(), source, include_deleted=True).records
    assert record["IsDeleted"] is True
    assert source.asked == [("Account", True)]  # queryAll is passed on to the emulator


def test_keywords_are_case_insensitive() -> None:
    text = (
        "select id from account where name like '%e%' and industry != null "
        "order by name desc nulls last limit 1 offset 0"
    )
    assert ids(text) == [A4]


# -- WHERE: operators ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("Name = 'ACME'", [A1]),  # strings compare case-insensitively
        ("Name != 'acme'", [A2, A3, A4]),
        ("Name <> 'acme'", [A2, A3, A4]),
        ("Industry != 'Energy'", [A2, A3]),  # null differs from every value
        ("Name < 'H'", [A1, A2]),
        ("Name >= 'initech'", [A3, A4]),
        ("NumberOfEmployees > 9", [A1, A3]),  # numerically, not as text
        ("NumberOfEmployees <= 10", [A1, A2]),
        ("AnnualRevenue < 0", [A4]),
        ("AnnualRevenue = 1000000.5", [A1]),
        ("AnnualRevenue >= -5.0", [A1, A2, A4]),  # null fails ordering comparisons
        ("Industry IN ('energy', 'Banking')", [A1, A3, A4]),
        ("Industry NOT IN ('Energy')", [A2, A3]),
        ("Industry = null", [A2]),
        ("Industry != null", [A1, A3, A4]),
        ("Active__c = true", [A1, A4]),
        ("Active__c = false", [A2, A3]),  # a null checkbox reads as false
        ("Active__c = null", [A2, A3]),  # SOQL guide: "= null" on a boolean means false
        ("Active__c != null", [A1, A4]),
    ],
)
def test_comparison_operators(where: str, expected: list[str]) -> None:
    assert ids(f"SELECT Id FROM Account WHERE {where}") == expected


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("Name LIKE 'a%'", [A1]),
        ("Name LIKE '%EX'", [A2]),
        ("Name LIKE 'Init_ch'", [A3]),
        ("Name LIKE '%100\\%\\_off'", [A4]),  # escaped wildcards are literal
        ("Name LIKE '%100\\%%'", [A4]),
        ("Name LIKE 'Acm'", []),  # LIKE matches the whole value
        ("Industry LIKE 'E%'", [A1, A4]),
        ("NOT Name LIKE 'a%'", [A2, A3, A4]),
    ],
)
def test_like(where: str, expected: list[str]) -> None:
    assert ids(f"SELECT Id FROM Account WHERE {where}") == expected


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("Tags__c INCLUDES ('Red')", [A1, A4]),
        ("Tags__c INCLUDES ('red;blue')", [A1, A4]),  # ';' means all of these
        ("Tags__c INCLUDES ('Green', 'Blue')", [A1, A2, A4]),  # ',' means any of these
        ("Tags__c EXCLUDES ('Red')", [A2, A3]),
        ("Tags__c = 'Blue;Red'", [A1]),  # "=" is an exact match of the selection
        ("Tags__c = 'Blue'", [A2]),
        ("Tags__c != 'Blue'", [A1, A3, A4]),
    ],
)
def test_multipicklist_operators(where: str, expected: list[str]) -> None:
    assert ids(f"SELECT Id FROM Account WHERE {where}") == expected


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("Industry = 'Energy' AND NumberOfEmployees > 9", [A1]),
        ("Industry = 'Banking' OR Name = 'globex'", [A2, A3]),
        ("Industry = 'Energy' AND (Name = 'Acme' OR NumberOfEmployees = null)", [A1, A4]),
        ("(Industry = 'Energy' AND Name = 'Acme') OR Name = 'globex'", [A1, A2]),
        ("NOT Industry = 'Energy'", [A2, A3]),
        ("NOT (Industry = 'Energy' OR Industry = 'Banking')", [A2]),
        ("Industry = 'Energy' AND NOT Name = 'Acme'", [A4]),
        ("Name = 'a' OR Name = 'b' OR Name = 'Acme'", [A1]),
    ],
)
def test_logical_operators_and_parentheses(where: str, expected: list[str]) -> None:
    assert ids(f"SELECT Id FROM Account WHERE {where}") == expected


def test_where_on_parent_fields() -> None:
    assert ids("SELECT Id FROM Contact WHERE Account.Name = 'acme'") == [C1]
    assert ids("SELECT Id FROM Contact WHERE Account.Name = null") == [C2, C4]
    assert ids("SELECT Id FROM Contact WHERE Account.Owner.Email = 'grace@example.com'") == [C3]


# -- WHERE: literals ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("CreatedDate = 2024-01-31T17:05:12Z", [A1]),
        ("CreatedDate = 2024-01-31T17:05:12.000Z", [A1]),
        ("CreatedDate = 2024-01-31T19:05:12+02:00", [A1]),  # compared as instants
        ("CreatedDate = 2024-01-31T12:05:12-05:00", [A1]),
        ("CreatedDate > 2024-01-31T17:05:12Z", [A3]),
        ("CreatedDate >= 2024-01-31T17:05:12Z", [A1, A3]),
        ("Founded__c < 2000-01-01", [A3]),
        ("Founded__c = 2001-05-01", [A1]),
        ("Founded__c = null", [A2, A4]),
    ],
)
def test_date_and_datetime_literals(where: str, expected: list[str]) -> None:
    assert ids(f"SELECT Id FROM Account WHERE {where}") == expected


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("CreatedDate = TODAY", [A3]),
        ("CreatedDate = YESTERDAY", [A1, A2]),
        ("CreatedDate < TODAY", [A1, A2, A4]),
        ("CreatedDate > YESTERDAY", [A3]),
        ("CreatedDate = LAST_N_DAYS:1", [A1, A2, A3]),  # includes today
        ("CreatedDate = LAST_N_DAYS:2", [A1, A2, A3, A4]),
        ("CreatedDate >= LAST_N_DAYS:1", [A1, A2, A3]),
        ("Founded__c < TODAY", [A1, A3]),
        ("CreatedDate = THIS_MONTH", [A3]),
        ("CreatedDate = LAST_MONTH", [A1, A2, A4]),
    ],
)
def test_relative_date_literals_use_now(where: str, expected: list[str]) -> None:
    assert ids(f"SELECT Id FROM Account WHERE {where}", now=NOW) == expected


def test_relative_dates_follow_the_time_zone_of_now() -> None:
    tokyo = dt.timezone(dt.timedelta(hours=9))
    # 2024-02-01 08:30 in Tokyo is still 2024-01-31 in UTC: "today" starts at 15:00Z.
    now = dt.datetime(2024, 2, 1, 8, 30, tzinfo=tokyo)
    assert ids("SELECT Id FROM Account WHERE CreatedDate = TODAY", now=now) == [A1, A2, A3]


def test_string_escapes_are_decoded() -> None:
    records = {"Account": [account(A1, "tab\there"), account(A2, 'quote " and \\ back'),
                           account(A3, "line\nbreak"), account(A4, "caf\u00e9")]}  # fmt: skip

    def found(text: str) -> list[str]:
        result = run_query(text, FakeSchema(), FakeSource(records))
        return [r["Id"] for r in result.records]

    assert found("SELECT Id FROM Account WHERE Name = 'tab\\there'") == [A1]
    assert found("SELECT Id FROM Account WHERE Name = 'quote \\\" and \\\\ back'") == [A2]
    assert found("SELECT Id FROM Account WHERE Name = 'line\\Nbreak'") == [A3]  # upper case too
    assert found("SELECT Id FROM Account WHERE Name = 'caf\\u00e9'") == [A4]


def test_ids_compare_case_sensitively_in_15_characters_and_by_suffix_in_18() -> None:
    assert ids(f"SELECT Id FROM Account WHERE Id = '{A2}'") == [A2]
    assert ids(f"SELECT Id FROM Account WHERE Id = '{A2[:15]}'") == [A2]
    assert ids(f"SELECT Id FROM Account WHERE Id = '{A2.lower()}'") == [A2]  # suffix restores case
    assert ids(f"SELECT Id FROM Account WHERE Id = '{A2[:15].lower()}'") == []
    assert ids(f"SELECT Id FROM Contact WHERE AccountId IN ('{A1}', '{A3[:15]}')") == [C1, C3]


# -- format_soql round trips --------------------------------------------------------------


@given(st.text())
def test_any_string_formatted_by_format_soql_matches_exactly_its_record(name: str) -> None:
    records = {"Account": [account(A1, name), account(A2, name + "a"), account(A3, "b" + name)]}
    text = format_soql("SELECT Id, Name FROM Account WHERE Name = {}", name)
    result = run_query(text, FakeSchema(), FakeSource(records))
    assert [r["Id"] for r in result.records] == [A1]


@given(st.text(min_size=1))
def test_like_prefix_formatted_by_format_soql_matches_its_record(prefix: str) -> None:
    records = {"Account": [account(A1, prefix + "tail"), account(A2, None)]}
    text = format_soql("SELECT Id FROM Account WHERE Name LIKE '{:like}%'", prefix)
    result = run_query(text, FakeSchema(), FakeSource(records))
    assert [r["Id"] for r in result.records] == [A1]


ZONES = [
    dt.UTC,
    dt.timezone(dt.timedelta(hours=2)),
    dt.timezone(dt.timedelta(hours=-5, minutes=-30)),
]


@given(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1),
                    timezones=st.sampled_from(ZONES)))  # fmt: skip
def test_datetime_formatted_by_format_soql_matches_the_same_instant(moment: dt.datetime) -> None:
    stored = f"{moment.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%S}.000+0000"
    records = {"Account": [account(A1, "x", CreatedDate=stored)]}
    text = format_soql("SELECT Id FROM Account WHERE CreatedDate = {}", moment)
    result = run_query(text, FakeSchema(), FakeSource(records))
    assert len(result.records) == 1


# -- ORDER BY, LIMIT, OFFSET --------------------------------------------------------------


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("Industry", [A2, A3, A1, A4]),  # nulls first ascending; ties keep their order
        ("Industry DESC", [A1, A4, A3, A2]),  # nulls last descending
        ("Industry ASC NULLS LAST", [A3, A1, A4, A2]),
        ("Industry DESC NULLS FIRST", [A2, A1, A4, A3]),
        ("Industry, Name DESC", [A2, A3, A4, A1]),
        ("Name", [A1, A2, A3, A4]),  # case-insensitive: globex sorts before Initech
        ("NumberOfEmployees DESC", [A3, A1, A2, A4]),
        ("Parent.Name", [A1, A4, A2, A3]),  # parent paths; no parent sorts as null
        ("CreatedDate", [A4, A2, A1, A3]),
    ],
)
def test_order_by(order: str, expected: list[str]) -> None:
    assert ids(f"SELECT Id FROM Account ORDER BY {order}") == expected


def test_limit_and_offset_apply_after_ordering() -> None:
    assert ids("SELECT Id FROM Account ORDER BY Name LIMIT 2") == [A1, A2]
    assert ids("SELECT Id FROM Account ORDER BY Name LIMIT 2 OFFSET 1") == [A2, A3]
    assert ids("SELECT Id FROM Account ORDER BY Name OFFSET 3") == [A4]
    assert ids("SELECT Id FROM Account OFFSET 10") == []
    assert ids("SELECT Id FROM Account LIMIT 0") == []
    assert query("SELECT Id FROM Account ORDER BY Name LIMIT 2").total_size == 2


# -- errors ---------------------------------------------------------------------------------


def test_unknown_field_is_invalid_field_with_position() -> None:
    # Message as in API_FACTS A.4 (recorded Salesforce response).
    exc = error("SELECT Foo FROM Account")
    assert exc.error_code == "INVALID_FIELD"
    assert exc.message == (
        "\nSELECT Foo FROM Account\n       ^\nERROR at Row:1:Column:8\n"
        f"No such column 'Foo' on entity 'Account'. {CUSTOM_FIELD_HINT}"
    )


def test_field_hidden_by_field_level_security_is_no_such_column() -> None:
    schema = FakeSchema(
        {**SCHEMA, "Account": [f for f in SCHEMA["Account"] if f.name != "Industry"]}
    )
    with pytest.raises(SoqlError) as caught:
        run_query("SELECT Id FROM Account WHERE Industry = 'Energy'", schema, FakeSource())
    assert caught.value.error_code == "INVALID_FIELD"
    assert "No such column 'Industry' on entity 'Account'." in caught.value.message
    assert "ERROR at Row:1:Column:30" in caught.value.message


def test_unknown_object_is_invalid_type() -> None:
    # Recorded response (CumulusCI tests): "SELECT Id FROM Accountz LIMIT 2".
    exc = error("SELECT Id FROM Accountz LIMIT 2")
    assert exc.error_code == "INVALID_TYPE"
    assert exc.message == (
        "\nSELECT Id FROM Accountz LIMIT 2\n               ^\nERROR at Row:1:Column:16\n"
        "sObject type 'Accountz' is not supported. If you are attempting to use a custom "
        "object, be sure to append the '__c' after the entity name. Please reference your "
        "WSDL or the describe call for the appropriate names."
    )


def test_syntax_error_names_the_unexpected_token() -> None:
    exc = error("SELECT Id FRM Account")
    assert exc.error_code == "MALFORMED_QUERY"
    assert (
        exc.message
        == "\nSELECT Id FRM Account\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FRM'"
    )


def test_query_ending_too_early_is_unexpected_eof() -> None:
    # Recorded Salesforce message for exactly this query.
    exc = error("SELECT Id FROM Contact WHERE")
    assert exc.message == (
        "\nSELECT Id FROM Contact WHERE\n                            ^\n"
        "ERROR at Row:1:Column:29\nunexpected token: '<EOF>'"
    )


def test_mixing_and_with_or_needs_parentheses() -> None:
    exc = error("SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'")
    assert exc.error_code == "MALFORMED_QUERY"
    assert exc.message.endswith("ERROR at Row:1:Column:56\nunexpected token: 'OR'")


def test_unknown_character_is_reported_like_salesforce_lexer() -> None:
    # Recorded: the column is the character's 0-based index, so the caret lands one early.
    exc = error("select Id from Account where id = $sfid")
    assert exc.error_code == "MALFORMED_QUERY"
    assert exc.message == (
        "\nselect Id from Account where id = $sfid\n" + " " * 33 + "^\n"
        "ERROR at Row:1:Column:34\nline 1:34 no viable alternative at character '$'"
    )


def test_unknown_relationship() -> None:
    exc = error("SELECT Id, Acount.Name FROM Contact")
    assert exc.error_code == "INVALID_FIELD"
    assert exc.message == (
        "\nSELECT Id, Acount.Name FROM Contact\n           ^\nERROR at Row:1:Column:12\n"
        "Didn't understand relationship 'Acount' in field path. If you are attempting to use "
        "a custom relationship, be sure to append the '__r' after the custom relationship "
        "name. Please reference your WSDL or the describe call for the appropriate names."
    )
    assert "relationship 'LastName'" in error("SELECT LastName.Foo FROM Contact").message
    assert "relationship 'Primary__c'" in error("SELECT Primary__c.Name FROM Contact").message


def test_unknown_field_behind_a_relationship_names_the_parent_entity() -> None:
    exc = error("SELECT Account.Nmae FROM Contact")
    assert "No such column 'Nmae' on entity 'Account'." in exc.message
    assert "on entity 'Name'" in error("SELECT Owner.Foo FROM Account").message  # polymorphic


@pytest.mark.parametrize(
    ("where", "expected_type"),
    [
        ("AnnualRevenue = '5'", "double"),  # currency is a double
        ("NumberOfEmployees = 'x'", "int"),
        ("CreatedDate > 2024-01-01", "dateTime"),
        ("CreatedDate > '2024-01-01T00:00:00Z'", "dateTime"),
        ("Founded__c = 2024-01-01T00:00:00Z", "date"),
        ("Active__c = 'true'", "boolean"),
        ("Name = 5", "string"),
        ("OwnerId = 5", "id"),
        ("Name = TODAY", "string"),
    ],
)
def test_literal_of_the_wrong_type_is_invalid_field(where: str, expected_type: str) -> None:
    # Wording as Salesforce sends it, e.g. "value of filter criterion for field 'Amount' must
    # be of type double and should not be enclosed in quotes" (INVALID_FIELD).
    field = where.split()[0]
    quotes = "should be" if expected_type in ("string", "id") else "should not be"
    exc = error(f"SELECT Id FROM Account WHERE {where}")
    assert exc.error_code == "INVALID_FIELD"
    assert exc.message.endswith(
        "ERROR at Row:1:Column:30\nvalue of filter criterion for "
        f"field '{field}' must be of type {expected_type} and {quotes} enclosed in quotes"
    )


def test_invalid_id_literal() -> None:
    # Recorded by force-wsc's tests against a real org.
    exc = error("SELECT Id FROM Contact WHERE Id = 'ZZZ'")
    assert exc.error_code == "INVALID_QUERY_FILTER_OPERATOR"
    assert exc.message == (
        "\nSELECT Id FROM Contact WHERE Id = 'ZZZ'\n                             ^\n"
        "ERROR at Row:1:Column:30\ninvalid ID field: ZZZ"
    )


def test_duplicate_field_selected() -> None:
    # SOQL guide (FIELDS section): 400 [{"message": "duplicate field selected: Id",
    # "errorCode": "INVALID_FIELD"}].
    exc = error("SELECT Id, Name, name FROM Account")
    assert (exc.error_code, exc.message) == ("INVALID_FIELD", "duplicate field selected: Name")
    assert error("SELECT Account.Name, account.NAME FROM Contact").message == (
        "duplicate field selected: Account.Name"
    )


def test_offset_above_2000_is_out_of_range() -> None:
    # SOQL guide: "Requesting an offset greater than 2,000 results in a
    # NUMBER_OUTSIDE_VALID_RANGE error"; message as recorded by client libraries.
    exc = error("SELECT Id FROM Account OFFSET 2001")
    assert (exc.error_code, exc.message) == (
        "NUMBER_OUTSIDE_VALID_RANGE",
        "Maximum SOQL offset allowed is 2000",
    )
    assert ids("SELECT Id FROM Account OFFSET 2000") == []


def test_illegal_escape_in_string_literal() -> None:
    exc = error("SELECT Id FROM Account WHERE Name = 'a\\qb'")
    assert exc.error_code == "MALFORMED_QUERY"
    assert "Illegal character sequence '\\q' in string literal." in exc.message


def test_unterminated_string() -> None:
    assert error("SELECT Id FROM Account WHERE Name = 'abc").error_code == "MALFORMED_QUERY"


@pytest.mark.parametrize(
    "text",
    [
        "SELECT FIELDS(ALL) FROM Account LIMIT 200",
        "SELECT Id, (SELECT Id FROM Contacts) FROM Account",
        "SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry",
        "SELECT COUNT() FROM Account ORDER BY Name",  # the guide: COUNT() can't use ORDER BY
        "SELECT Id, FROM Account",
        "SELECT Id FROM Account LIMIT x",
        "SELECT Id FROM Account WHERE Name IN ()",
        "SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS",
        'SELECT Id FROM Account WHERE Name = "Acme"',
    ],
)
def test_unsupported_or_broken_syntax_is_malformed(text: str) -> None:
    assert error(text).error_code == "MALFORMED_QUERY"


def test_operators_that_do_not_fit_the_field() -> None:
    exc = error("SELECT Id FROM Account WHERE Tags__c LIKE 'Red%'")
    assert exc.error_code == "INVALID_QUERY_FILTER_OPERATOR"
    assert exc.message.endswith("invalid operator on multipicklist field")
    assert (
        error("SELECT Id FROM Account WHERE Name INCLUDES ('a')").error_code
        == "INVALID_QUERY_FILTER_OPERATOR"
    )
    exc = error("SELECT Id FROM Account ORDER BY Tags__c")
    assert (exc.error_code, exc.message.splitlines()[-1]) == (
        "INVALID_FIELD",
        "field 'Tags__c' can not be sorted in a query call",
    )


def test_long_query_echoes_a_window_around_the_problem() -> None:
    # Recorded against a real org: the echo stops at the whitespace after column + 30.
    exc = error("SELECT Id, DepProbeField__c FROM Account LIMIT 1")
    assert exc.message.startswith(
        "\nSELECT Id, DepProbeField__c FROM Account LIMIT\n           ^\nERROR at Row:1:Column:12\n"
    )
    exc = error(
        "SELECT Id, IsDeleted, Name, Industry, AnnualRevenue, NumberOfEmployees, CreatedDate, "
        "Founded__c, Tags__c, Active__c, OwnerId, ParentId, Missing__c FROM Account "
        "WHERE Name = 'x'"
    )
    assert exc.message.startswith(
        "\nActive__c, OwnerId, ParentId, Missing__c FROM Account WHERE Name\n"
        + " " * 30
        + "^\nERROR at Row:1:Column:137\nNo such column 'Missing__c'"
    )


def test_multi_line_query_reports_row_and_column_of_the_problem_line() -> None:
    exc = error("SELECT Id\nFROM Account\nWHERE Foo = 1")
    assert exc.message.startswith("\nWHERE Foo = 1\n      ^\nERROR at Row:3:Column:7\n")
