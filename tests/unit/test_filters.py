"""sync.filters.matches: a workflow's filter applied to a fetched record must keep exactly
the records that the same filter, rendered into SOQL for a backfill, would return.

SOQL facts relied on (SOQL and SOSL Reference): "Comparison Operators" — string comparisons
are case-insensitive except on unique case-sensitive fields, LIKE is case-insensitive and
`\\%`/`\\_` match themselves; "Use null in WHERE" — `Field != null` keeps only records with a
value; numbers, dates and dateTimes compare as values, never as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from sync.errors import InvalidQuery
from sync.filters import lookup, matches
from sync.model import Condition, Filter, SalesforceType
from tests.unit.builders import a_field

T = SalesforceType
FIELDS = {
    "Name": a_field("Name"),
    "StageName": a_field("StageName", T.PICKLIST),
    "Amount": a_field("Amount", T.CURRENCY),
    "NumberOfEmployees": a_field("NumberOfEmployees", T.INT),
    "CloseDate": a_field("CloseDate", T.DATE),
    "Closed_At__c": a_field("Closed_At__c", T.DATETIME),
    "IsPrivate": a_field("IsPrivate", T.BOOLEAN),
    "Account.Name": a_field("Account.Name"),
}


def holds(field: str, op: str, value: object, record: Mapping[str, Any]) -> bool:
    return matches(Filter((Condition(field, op, value),)), record, FIELDS)


def test_an_empty_filter_keeps_every_record() -> None:
    assert matches(Filter(), {"Name": None}, FIELDS)
    assert matches(Filter(match_all=False), {}, FIELDS)


class TestText:
    @pytest.mark.parametrize(
        ("op", "value", "name", "kept"),
        [
            ("=", "acme corp", "ACME Corp", True),
            ("=", "Acme", "Acme Corp", False),
            ("!=", "ACME CORP", "acme corp", False),
            ("!=", "Globex", "Acme", True),
            ("in", ["globex", "ACME"], "Acme", True),
            ("in", ["globex"], "Acme", False),
            ("not in", ["acme"], "ACME", False),
            ("not in", ["globex"], "Acme", True),
            ("contains", "CME CO", "Acme Corp", True),
            ("contains", "xyz", "Acme Corp", False),
            ("starts with", "acme", "ACME Corp", True),
            ("starts with", "corp", "Acme Corp", False),
            ("<", "b", "Acme", True),
            (">", "B", "acme", False),
            (">=", "acme", "ACME", True),
        ],
    )
    def test_string_comparisons_ignore_case(
        self, op: str, value: object, name: str, kept: bool
    ) -> None:
        assert holds("Name", op, value, {"Name": name}) is kept

    @pytest.mark.parametrize(
        ("needle", "name", "kept"),
        [
            ("50%", "50% off", True),
            ("50%", "500 off", False),  # % is a literal, as `LIKE '%50\%%'` makes it
            ("a_b", "a_b", True),
            ("a_b", "axb", False),  # _ is a literal too
        ],
    )
    def test_like_wildcards_in_the_value_are_literal(
        self, needle: str, name: str, kept: bool
    ) -> None:
        assert holds("Name", "contains", needle, {"Name": name}) is kept

    def test_picklists_compare_like_text(self) -> None:
        assert holds("StageName", "=", "closed won", {"StageName": "Closed Won"})


class TestNulls:
    @pytest.mark.parametrize(
        ("op", "value", "raw", "kept"),
        [
            ("is empty", None, None, True),
            ("is empty", None, "", True),
            ("is empty", None, "Acme", False),
            ("is not empty", None, None, False),
            ("is not empty", None, "", False),
            ("is not empty", None, "Acme", True),
            ("!=", None, None, False),  # `Name != null`
            ("!=", None, "Acme", True),
            ("=", None, "Acme", False),  # `Name = null`
            ("=", "Acme", None, False),
            ("contains", "A", None, False),
            ("starts with", "A", None, False),
            ("in", ["Acme"], None, False),
        ],
    )
    def test_null_text(self, op: str, value: object, raw: object, kept: bool) -> None:
        assert holds("Name", op, value, {"Name": raw}) is kept

    @pytest.mark.parametrize("op", ["<", "<=", ">", ">="])
    def test_null_is_never_ordered(self, op: str) -> None:
        assert not holds("Amount", op, "0", {"Amount": None})
        assert not holds("CloseDate", op, "2024-01-01", {"CloseDate": None})

    def test_a_missing_parent_reads_as_null(self) -> None:
        record = {"Name": "Orphan deal", "Account": None}

        assert holds("Account.Name", "is empty", None, record)
        assert not holds("Account.Name", "=", "Acme", record)


class TestTypedValues:
    @pytest.mark.parametrize(
        ("field", "op", "value", "raw", "kept"),
        [
            ("Amount", ">", "99.5", 100.0, True),  # as text, "100.0" < "99.5"
            ("Amount", "=", "1000", 1000.0, True),
            ("Amount", "=", "1000.00", 1000, True),
            ("Amount", "<", 5, 4.99, True),
            ("Amount", "in", ["1", "2.50"], 2.5, True),
            ("NumberOfEmployees", ">=", "9", 10, True),
            ("NumberOfEmployees", "<", "9", 10, False),
            ("CloseDate", ">", "2024-01-05", "2024-01-31", True),
            ("CloseDate", "=", "2024-01-31", "2024-01-31", True),
            ("CloseDate", "<", "2024-01-05", "2024-01-31", False),
            # Salesforce sends dateTimes in UTC with "+0000"; 17:05Z is after 18:00+01:00
            (
                "Closed_At__c",
                ">",
                "2024-01-31T18:00:00+01:00",
                "2024-01-31T17:05:12.000+0000",
                True,
            ),
            (
                "Closed_At__c",
                "=",
                "2024-01-31T18:05:12+01:00",
                "2024-01-31T17:05:12.000+0000",
                True,
            ),
            ("Closed_At__c", "<", "2024-01-31T17:00:00Z", "2024-01-31T17:05:12.000+0000", False),
            ("IsPrivate", "=", "true", True, True),
            ("IsPrivate", "=", True, True, True),
            ("IsPrivate", "=", "yes", False, False),
            ("IsPrivate", "!=", "false", True, True),
        ],
    )
    def test_values_compare_as_their_field_type(
        self, field: str, op: str, value: object, raw: object, kept: bool
    ) -> None:
        assert holds(field, op, value, {field: raw}) is kept

    def test_a_value_that_does_not_fit_the_field_is_refused(self) -> None:
        with pytest.raises(InvalidQuery, match="does not fit"):
            holds("Amount", ">", "lots", {"Amount": 5})


class TestAllAndAny:
    """Two conditions: StageName = Closed Won, Amount > 1000.

    StageName    | Amount | all (AND) | any (OR)
    -------------+--------+-----------+---------
    Closed Won   | 5000   | kept      | kept
    Closed Won   | 10     | dropped   | kept
    Prospecting  | 5000   | dropped   | kept
    Prospecting  | 10     | dropped   | dropped
    """

    CONDITIONS = (Condition("StageName", "=", "Closed Won"), Condition("Amount", ">", 1000))

    @pytest.mark.parametrize(
        ("stage", "amount", "kept_by_all", "kept_by_any"),
        [
            ("Closed Won", 5000, True, True),
            ("Closed Won", 10, False, True),
            ("Prospecting", 5000, False, True),
            ("Prospecting", 10, False, False),
        ],
    )
    def test_truth_table(
        self, stage: str, amount: int, kept_by_all: bool, kept_by_any: bool
    ) -> None:
        record = {"StageName": stage, "Amount": amount}

        assert matches(Filter(self.CONDITIONS, match_all=True), record, FIELDS) is kept_by_all
        assert matches(Filter(self.CONDITIONS, match_all=False), record, FIELDS) is kept_by_any


class TestLookup:
    def test_dotted_paths_walk_parent_records(self) -> None:
        record = {"Account": {"Owner": {"Email": "ana@example.com"}}}

        assert lookup(record, "Account.Owner.Email") == "ana@example.com"

    def test_a_missing_step_is_null(self) -> None:
        assert lookup({"Account": None}, "Account.Owner.Email") is None
        assert lookup({}, "Name") is None

    def test_the_condition_uses_the_canonical_path_from_describe(self) -> None:
        # The person typed "account.name"; describe resolved it to "Account.Name", which is
        # how the query result names the parent.
        fields = {"account.name": a_field("Account.Name")}
        flt = Filter((Condition("account.name", "=", "acme"),))

        assert matches(flt, {"Account": {"Name": "Acme"}}, fields)
