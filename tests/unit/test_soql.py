"""sync.soql: identifiers are refused unless they look like field names, values only ever
reach SOQL quoted and escaped, each filter value becomes the literal its field type needs.

SOQL facts checked here (SOQL and SOSL Reference):
- "Quoted String Escape Sequences": \\' \\" \\\\ \\n \\r \\t \\b \\f; in LIKE only, \\% and \\_
  match a literal % and _.
- "Date Formats and Date Literals": date = YYYY-MM-DD, dateTime = YYYY-MM-DDThh:mm:ss+hh:mm
  (or -hh:mm or Z), never in quotes.
- "Use null in WHERE": `Field = null` / `Field != null`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from sync.errors import InvalidQuery
from sync.model import Condition, Filter, SalesforceField, SalesforceType
from sync.soql import (
    OPERATORS,
    backfill_query,
    field_list,
    id_after,
    identifier,
    incremental_query,
    records_by_id_query,
    soql_value,
    where_clause,
)
from tests.unit.builders import a_field

T = SalesforceType
NAME = a_field("Name")
AMOUNT = a_field("Amount", T.CURRENCY)
FIELDS = {
    "Name": NAME,
    "Amount": AMOUNT,
    "StageName": a_field("StageName", T.PICKLIST),
    "CloseDate": a_field("CloseDate", T.DATE),
    "Closed_At__c": a_field("Closed_At__c", T.DATETIME),
    "NumberOfEmployees": a_field("NumberOfEmployees", T.INT),
    "Probability": a_field("Probability", T.PERCENT),
    "IsPrivate": a_field("IsPrivate", T.BOOLEAN),
    "Account.Name": a_field("Account.Name"),
}


def where(field: str, op: str, value: object = None) -> str:
    return where_clause(Filter((Condition(field, op, value),)), FIELDS)


# -- identifiers ---------------------------------------------------------------------------
class TestIdentifiers:
    @pytest.mark.parametrize(
        "name", ["Name", "Amount", "Region__c", "Account.Name", "Account.Owner.Email", "ns__X__c"]
    )
    def test_field_names_pass(self, name: str) -> None:
        assert identifier(name) == name

    @pytest.mark.parametrize(
        "attack",
        [
            "Name; DELETE",
            "Name) OR (1=1",
            "Name FROM User --",
            "Name,Password__c",
            "Name'",
            "Name OR Id != null",
            "(SELECT Id FROM Contacts)",
            "Account..Name",
            ".Name",
            "Name.",
            "1Name",
            "_Name",
            "",
            " Name",
            "Nâme",
        ],
    )
    def test_anything_else_is_refused(self, attack: str) -> None:
        with pytest.raises(InvalidQuery, match="is not a valid Salesforce field name"):
            identifier(attack)

    def test_a_bad_object_name_is_refused_before_any_query_is_built(self) -> None:
        with pytest.raises(InvalidQuery):
            incremental_query("Opportunity WHERE Id != null", ["Name"], None)

    def test_a_bad_field_in_the_list_is_refused(self) -> None:
        with pytest.raises(InvalidQuery):
            backfill_query("Opportunity", ["Name", "Amount) FROM User WHERE (Id"], "")

    def test_field_list_starts_with_the_system_fields_and_has_no_duplicates(self) -> None:
        assert field_list(["Name", "Id", "Amount", "Name"]) == "Id, SystemModstamp, Name, Amount"


# -- the queries a tick makes -----------------------------------------------------------------
class TestQueries:
    def test_incremental_query_text(self) -> None:
        since = datetime(2024, 5, 1, 9, 30, 15, tzinfo=UTC)

        soql = incremental_query("Opportunity", ["Name", "Amount", "Account.Name"], since)

        assert soql == (
            "SELECT Id, SystemModstamp, Name, Amount, Account.Name FROM Opportunity "
            "WHERE SystemModstamp >= 2024-05-01T09:30:15+00:00 "
            "ORDER BY SystemModstamp ASC, Id ASC"
        )

    def test_incremental_watermark_is_sent_in_utc_without_fractions(self) -> None:
        paris = timezone(timedelta(hours=2))
        since = datetime(2024, 5, 1, 11, 30, 15, 987_000, tzinfo=paris)

        soql = incremental_query("Opportunity", ["Name"], since)

        # dropping the fraction widens ">=" a little: the overlap is deduplicated by value
        assert "WHERE SystemModstamp >= 2024-05-01T09:30:15+00:00 " in soql

    def test_first_incremental_query_has_no_lower_bound(self) -> None:
        assert incremental_query("Lead", ["Company"], None) == (
            "SELECT Id, SystemModstamp, Company FROM Lead ORDER BY SystemModstamp ASC, Id ASC"
        )

    def test_backfill_query_text(self) -> None:
        soql = backfill_query("Opportunity", ["Name"], where("StageName", "=", "Closed Won"))

        assert soql == (
            "SELECT Id, SystemModstamp, Name FROM Opportunity "
            "WHERE StageName = 'Closed Won' ORDER BY Id ASC"
        )

    def test_backfill_without_filter_reads_everything_in_id_order(self) -> None:
        assert backfill_query("Case", ["Subject"], "") == (
            "SELECT Id, SystemModstamp, Subject FROM Case ORDER BY Id ASC"
        )

    def test_backfill_resumes_after_the_last_committed_id(self) -> None:
        assert id_after("006000000000001AAA") == "Id > '006000000000001AAA'"

    def test_resume_id_is_quoted_even_when_hostile(self) -> None:
        assert id_after("x' OR Name != '") == "Id > 'x\\' OR Name != \\''"

    def test_records_by_id_query_text(self) -> None:
        soql = records_by_id_query("Account", ["Name"], ["001A", "001B"])

        assert soql == "SELECT Id, SystemModstamp, Name FROM Account WHERE Id IN ('001A','001B')"


# -- values ----------------------------------------------------------------------------------
class TestValueEscaping:
    @pytest.mark.parametrize(
        ("value", "literal"),
        [
            ("Closed Won", "'Closed Won'"),
            ("O'Brien", "'O\\'Brien'"),
            ('say "hi"', "'say \\\"hi\\\"'"),
            ("C:\\temp", "'C:\\\\temp'"),
            ("two\nlines", "'two\\nlines'"),
            ("tab\there", "'tab\\there'"),
            ("x' OR Name != 'y", "'x\\' OR Name != \\'y'"),
            ("100%_sure", "'100%_sure'"),  # wildcards mean nothing outside LIKE
        ],
    )
    def test_equality_values_are_quoted_and_escaped(self, value: str, literal: str) -> None:
        assert where("Name", "=", value) == f"Name = {literal}"

    @pytest.mark.parametrize(
        ("op", "value", "clause"),
        [
            ("contains", "50%_off", "Name LIKE '%50\\%\\_off%'"),
            ("starts with", "Ter%", "Name LIKE 'Ter\\%%'"),
            ("contains", "O'Brien", "Name LIKE '%O\\'Brien%'"),
            ("contains", "a\\b", "Name LIKE '%a\\\\b%'"),
            ("contains", "x%' OR Name LIKE '%", "Name LIKE '%x\\%\\' OR Name LIKE \\'\\%%'"),
        ],
    )
    def test_like_values_escape_wildcards_too(self, op: str, value: str, clause: str) -> None:
        assert where("Name", op, value) == clause


class TestOperators:
    @pytest.mark.parametrize(
        ("op", "value", "clause"),
        [
            ("=", "Acme", "Name = 'Acme'"),
            ("!=", "Acme", "Name != 'Acme'"),
            ("<", "M", "Name < 'M'"),
            ("<=", "M", "Name <= 'M'"),
            (">", "M", "Name > 'M'"),
            (">=", "M", "Name >= 'M'"),
            ("in", ["Acme", "Globex"], "Name IN ('Acme','Globex')"),
            ("not in", ["Acme"], "Name NOT IN ('Acme')"),
            ("in", "Acme", "Name IN ('Acme')"),  # a single value is a list of one
            ("contains", "cme", "Name LIKE '%cme%'"),
            ("starts with", "Ac", "Name LIKE 'Ac%'"),
            ("is empty", None, "Name = null"),
            ("is not empty", None, "Name != null"),
            ("=", None, "Name = null"),
            ("!=", None, "Name != null"),
        ],
    )
    def test_each_operator(self, op: str, value: object, clause: str) -> None:
        assert where("Name", op, value) == clause

    def test_every_operator_renders(self) -> None:
        for op in OPERATORS:
            assert where("Name", op, "x").startswith("Name ")

    def test_operators_are_case_insensitive(self) -> None:
        assert where("Name", "NOT IN", ["a"]) == "Name NOT IN ('a')"

    def test_unknown_operator_is_refused(self) -> None:
        with pytest.raises(InvalidQuery, match="Unknown filter operator “LIKE”"):
            where("Name", "LIKE", "%")

    def test_all_joins_with_and_in_parentheses(self) -> None:
        flt = Filter(
            (Condition("StageName", "=", "Closed Won"), Condition("Amount", ">", 1000)), True
        )

        assert where_clause(flt, FIELDS) == "(StageName = 'Closed Won') AND (Amount > 1000)"

    def test_any_joins_with_or_in_parentheses(self) -> None:
        flt = Filter((Condition("Name", "=", "A"), Condition("Name", "=", "B")), match_all=False)

        assert where_clause(flt, FIELDS) == "(Name = 'A') OR (Name = 'B')"

    def test_a_single_condition_needs_no_parentheses(self) -> None:
        assert where("Amount", ">", 5) == "Amount > 5"

    def test_related_fields_keep_their_path(self) -> None:
        assert where("Account.Name", "=", "Acme") == "Account.Name = 'Acme'"


class TestTypedLiterals:
    @pytest.mark.parametrize(
        ("field", "value", "clause"),
        [
            ("CloseDate", "2024-01-31", "CloseDate >= 2024-01-31"),
            ("CloseDate", date(2024, 1, 31), "CloseDate >= 2024-01-31"),
            ("Closed_At__c", "2024-01-31T10:00:00Z", "Closed_At__c >= 2024-01-31T10:00:00+00:00"),
            (
                "Closed_At__c",
                "2024-01-31T10:00:00+02:00",
                "Closed_At__c >= 2024-01-31T08:00:00+00:00",
            ),
            (
                "Closed_At__c",
                datetime(2024, 1, 31, 10, tzinfo=UTC),
                "Closed_At__c >= 2024-01-31T10:00:00+00:00",
            ),
            ("NumberOfEmployees", "250", "NumberOfEmployees >= 250"),
            ("NumberOfEmployees", 250, "NumberOfEmployees >= 250"),
            ("Amount", "1000", "Amount >= 1000"),
            ("Amount", "1000.00", "Amount >= 1000"),
            ("Amount", "12.5", "Amount >= 12.5"),
            ("Amount", 0.1, "Amount >= 0.1"),
            ("Amount", "-3", "Amount >= -3"),
            ("Probability", "12.5", "Probability >= 12.5"),
            ("IsPrivate", True, "IsPrivate >= true"),
            ("IsPrivate", "false", "IsPrivate >= false"),
            ("IsPrivate", "Yes", "IsPrivate >= true"),
            ("IsPrivate", "0", "IsPrivate >= false"),
            ("StageName", 42, "StageName >= '42'"),  # text fields compare text
        ],
    )
    def test_values_become_literals_of_their_field_type(
        self, field: str, value: object, clause: str
    ) -> None:
        assert where(field, ">=", value) == clause

    def test_dates_and_numbers_are_never_quoted(self) -> None:
        assert "'" not in where("CloseDate", "=", "2024-01-31")
        assert "'" not in where("Amount", "=", "5")

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("CloseDate", "31/01/2024"),
            ("CloseDate", "tomorrow"),
            ("Closed_At__c", "2024-01-31T10:00:00"),  # no zone: which 10 o'clock?
            ("Closed_At__c", "not a time"),
            ("NumberOfEmployees", "12.5"),
            ("NumberOfEmployees", "1 OR 1=1"),
            ("Amount", "lots"),
            ("Amount", "5) OR (Id != null"),
            ("Amount", "Infinity"),
            ("IsPrivate", "maybe"),
        ],
    )
    def test_values_that_do_not_fit_the_field_are_refused(self, field: str, value: str) -> None:
        with pytest.raises(InvalidQuery, match="does not fit"):
            where(field, "=", value)

    def test_the_refusal_names_the_field_and_its_type(self) -> None:
        closed = SalesforceField("Closed_At__c", "Closed At", T.DATETIME)

        with pytest.raises(InvalidQuery) as refused:
            soql_value("2024-01-31T10:00:00", closed)

        assert str(refused.value) == (
            "Filter value “2024-01-31T10:00:00” does not fit Closed At (datetime)."
        )

    def test_in_lists_are_typed_element_by_element(self) -> None:
        assert where("Amount", "in", ["1", "2.5"]) == "Amount IN (1,2.5)"
        assert where("CloseDate", "not in", ["2024-01-01"]) == "CloseDate NOT IN (2024-01-01)"
