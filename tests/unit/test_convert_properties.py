"""Round trips of sync.convert: our own writes must never look like a change on the next read.

For every supported (field type, column type) pair:
  canonical → to_cell → the cell as Smartsheet returns it → from_cell == narrow(canonical)
and for every field type:
  canonical → to_salesforce → from_salesforce == canonical, and canonical is a fixed point.
Canonical values are made from values shaped as the Salesforce REST API returns them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.convert import (
    Compat,
    compatibility,
    from_cell,
    from_salesforce,
    narrow,
    to_cell,
    to_salesforce,
)
from sync.convert_kinds import KIND_OF, Kind
from sync.convert_numbers import plain
from sync.model import (
    Cell,
    CellWrite,
    ColumnType,
    Direction,
    SalesforceField,
    SalesforceType,
    SheetColumn,
)

T = SalesforceType
EXAMPLES = settings(max_examples=30, deadline=None)
STAGES = ("Prospecting", "Closed Won", "Needs Analysis", "Id. Decision Makers")


def _field(kind: SalesforceType, name: str, label: str, **extra: object) -> SalesforceField:
    attrs: dict[str, object] = {"updateable": True}
    attrs.update(extra)
    return SalesforceField(name, label, kind, **attrs)  # type: ignore[arg-type]


FIELDS = {
    T.ID: _field(T.ID, "Id", "Record ID", length=18),
    T.REFERENCE: _field(T.REFERENCE, "AccountId", "Account ID", length=18),
    T.STRING: _field(T.STRING, "Name", "Name", length=120),
    T.TEXTAREA: _field(T.TEXTAREA, "Notes__c", "Notes", length=4000),
    T.PICKLIST: _field(T.PICKLIST, "StageName", "Stage", length=40, picklist_values=STAGES),
    T.MULTIPICKLIST: _field(
        T.MULTIPICKLIST, "Tags__c", "Tags", length=4099, picklist_values=STAGES
    ),
    T.COMBOBOX: _field(T.COMBOBOX, "Kind__c", "Kind", length=40, picklist_values=STAGES),
    T.BOOLEAN: _field(T.BOOLEAN, "IsActive__c", "Active", nillable=False),
    T.INT: _field(T.INT, "NumberOfEmployees", "Employees"),
    T.LONG: _field(T.LONG, "Big__c", "Big"),
    T.DOUBLE: _field(T.DOUBLE, "Latitude__c", "Latitude", precision=18, scale=15),
    T.CURRENCY: _field(T.CURRENCY, "Amount", "Amount", precision=18, scale=2),
    T.PERCENT: _field(T.PERCENT, "Probability", "Probability (%)", precision=5, scale=2),
    T.DATE: _field(T.DATE, "CloseDate", "Close Date"),
    T.DATETIME: _field(T.DATETIME, "ClosedAt__c", "Closed At"),
    T.TIME: _field(T.TIME, "Start__c", "Start"),
    T.URL: _field(T.URL, "Website", "Website", length=255),
    T.EMAIL: _field(T.EMAIL, "Email", "Email", length=80),
    T.PHONE: _field(T.PHONE, "Phone", "Phone", length=40),
    T.ENCRYPTEDSTRING: _field(T.ENCRYPTEDSTRING, "Secret__c", "Secret", length=175),
}
SUPPORTED = [t for t in SalesforceType if KIND_OF[t] != Kind.UNSUPPORTED]

_TEXT_CHARS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff")
_ID_CHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _texts(limit: int) -> st.SearchStrategy[str]:
    return st.text(_TEXT_CHARS | st.just("\n"), min_size=1, max_size=min(limit, 60))


def _numbers(digits: int, scale: int) -> st.SearchStrategy[object]:
    bound = Decimal(10) ** min(digits, 12) - 1
    decimals = st.decimals(-bound, bound, places=scale, allow_nan=False, allow_infinity=False)
    return decimals.map(float) | st.integers(-int(bound), int(bound))


def _salesforce_datetimes() -> st.SearchStrategy[str]:
    moments = st.datetimes(datetime(1700, 1, 1), datetime(4000, 12, 31), timezones=st.just(UTC))
    return moments.map(
        lambda m: m.strftime("%Y-%m-%dT%H:%M:%S.") + f"{m.microsecond // 1000:03d}+0000"
    )


def _record_ids() -> st.SearchStrategy[str]:
    ids = st.text(st.sampled_from(_ID_CHARS), min_size=15, max_size=15)
    return ids.map(lambda i: "001" + i[3:])


def salesforce_values(kind: SalesforceType) -> st.SearchStrategy[object]:
    """Values as the Salesforce REST API returns them for a field of this type."""
    field = FIELDS[kind]
    strategies: dict[SalesforceType, st.SearchStrategy[object]] = {
        T.ID: _record_ids(),
        T.REFERENCE: _record_ids(),
        T.PICKLIST: st.sampled_from(STAGES),
        T.MULTIPICKLIST: st.lists(st.sampled_from(STAGES), min_size=1).map(";".join),
        T.BOOLEAN: st.booleans(),
        T.INT: st.integers(-(2**31) + 1, 2**31 - 1),
        T.LONG: st.integers(-(10**17), 10**17),
        T.DOUBLE: _numbers(3, 15),
        T.CURRENCY: _numbers(16, 2),
        T.PERCENT: _numbers(3, 2),
        T.DATE: st.dates(date(1700, 1, 1), date(4000, 12, 31)).map(date.isoformat),
        T.DATETIME: _salesforce_datetimes(),
        T.TIME: st.times().map(lambda t: t.strftime("%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"),
        T.EMAIL: st.emails().filter(lambda e: len(e) <= field.length),
    }
    return st.none() | strategies.get(kind, _texts(field.length))


# ---- Smartsheet's side ------------------------------------------------------------------


def _display(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return plain(value) if isinstance(value, int | float) else value


def _object_cell(write: CellWrite, with_object_value: bool) -> Cell:
    obj = write.object_value or {}
    values = obj.get("values")
    assert isinstance(values, list)
    if obj["objectType"] == "MULTI_CONTACT":
        emails = [str(c["email"]) for c in values]
        contacts = [{"objectType": "CONTACT", "email": e, "name": e} for e in emails]
        obj = {"objectType": "MULTI_CONTACT", "values": contacts}
        values = emails
    text = ", ".join(str(v) for v in values)
    return Cell(value=text, display_value=text, object_value=obj if with_object_value else None)


def as_read(write: CellWrite, column: SheetColumn, with_object_value: bool) -> Cell:
    """The cell as Smartsheet returns it after `write` (no displayValue for DATE/CHECKBOX)."""
    if write.object_value is not None:
        return _object_cell(write, with_object_value)
    value = write.value
    if value is None:
        return Cell()
    if column.type in (ColumnType.DATE, ColumnType.CHECKBOX):
        return Cell(value=value)
    if column.type == ColumnType.CONTACT_LIST:
        contact = {"objectType": "CONTACT", "email": value, "name": "Pat Doe"}
        shown = contact if with_object_value else None
        return Cell(value=value, display_value="Pat Doe", object_value=shown)
    return Cell(value=value, display_value=_display(value))


def _column(kind: ColumnType) -> SheetColumn:
    return SheetColumn(7, "Col", kind, options=STAGES)


PAIRS = [
    (t, c)
    for t in SUPPORTED
    for c in ColumnType
    if compatibility(FIELDS[t], _column(c), Direction.TO_SMARTSHEET).level != Compat.NO
]


def test_the_supported_pairs_are_the_expected_ones() -> None:
    by_column = {c: {t for t, c2 in PAIRS if c2 == c} for c in ColumnType}
    assert by_column[ColumnType.TEXT_NUMBER] == set(SUPPORTED)
    assert by_column[ColumnType.DATE] == {T.DATE, T.DATETIME}
    assert by_column[ColumnType.CHECKBOX] == {T.BOOLEAN}
    assert by_column[ColumnType.MULTI_PICKLIST] == {T.PICKLIST, T.MULTIPICKLIST}
    assert (
        by_column[ColumnType.CONTACT_LIST] == by_column[ColumnType.MULTI_CONTACT_LIST] == {T.EMAIL}
    )
    assert not by_column[ColumnType.DATETIME] and not by_column[ColumnType.DURATION]


@pytest.mark.parametrize(("field_type", "column_type"), PAIRS)
@EXAMPLES
@given(data=st.data(), with_object_value=st.booleans())
def test_a_written_cell_reads_back_as_the_same_value(
    field_type: SalesforceType,
    column_type: ColumnType,
    data: st.DataObject,
    with_object_value: bool,
) -> None:
    field, column = FIELDS[field_type], _column(column_type)
    canon = from_salesforce(data.draw(salesforce_values(field_type)), field)
    cell = as_read(to_cell(canon, field, column), column, with_object_value)
    assert from_cell(cell, field, column) == narrow(canon, field, column)


@pytest.mark.parametrize("field_type", SUPPORTED)
@EXAMPLES
@given(data=st.data())
def test_a_salesforce_write_reads_back_as_the_same_value(
    field_type: SalesforceType, data: st.DataObject
) -> None:
    field = FIELDS[field_type]
    canon = from_salesforce(data.draw(salesforce_values(field_type)), field)
    assert from_salesforce(to_salesforce(canon, field), field) == canon


@pytest.mark.parametrize("field_type", [t for t in SUPPORTED if t != T.MULTIPICKLIST])
@EXAMPLES
@given(data=st.data())
def test_canonical_values_are_fixed_points(field_type: SalesforceType, data: st.DataObject) -> None:
    field = FIELDS[field_type]
    canon = from_salesforce(data.draw(salesforce_values(field_type)), field)
    assert from_salesforce(canon, field) == canon
    assert type(from_salesforce(canon, field)) is type(canon)


@EXAMPLES
@given(parts=st.lists(st.sampled_from(STAGES), min_size=1), shuffled=st.randoms())
def test_multi_select_order_and_repeats_do_not_matter(parts: list[str], shuffled: object) -> None:
    field = FIELDS[T.MULTIPICKLIST]
    other = list(parts)
    shuffled.shuffle(other)  # type: ignore[attr-defined]
    assert from_salesforce(";".join(parts), field) == from_salesforce(
        ";".join(other + parts), field
    )


@EXAMPLES
@given(amount=st.decimals(-(10**12), 10**12, places=2, allow_nan=False, allow_infinity=False))
def test_typed_amounts_in_any_common_form_mean_the_same_number(amount: Decimal) -> None:
    field, column = FIELDS[T.CURRENCY], _column(ColumnType.TEXT_NUMBER)
    expected = from_salesforce(float(amount), field)
    sign = "-" if amount < 0 else ""
    grouped = f"{abs(amount):,.2f}"
    for typed in (str(amount), f"{sign}{grouped}", f"{sign}${grouped}", f"{amount} USD"):
        assert from_cell(Cell(value=typed), field, column) == expected, typed


@EXAMPLES
@given(
    moment=st.datetimes(datetime(1700, 1, 2), datetime(4000, 12, 30)),
    minutes=st.integers(-720, 840),
)
def test_a_typed_date_time_with_any_zone_means_the_same_instant(
    moment: datetime, minutes: int
) -> None:
    field, column = FIELDS[T.DATETIME], _column(ColumnType.TEXT_NUMBER)
    moment = moment.replace(microsecond=0, tzinfo=UTC)
    zone = timezone(timedelta(minutes=minutes))
    local = moment.astimezone(zone).isoformat()
    utc = moment.strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    assert from_cell(Cell(value=local), field, column) == from_salesforce(utc, field)


@EXAMPLES
@given(clock=st.times())
def test_a_time_typed_on_a_12_hour_clock_means_the_same_time(clock: time) -> None:
    field, column = FIELDS[T.TIME], _column(ColumnType.TEXT_NUMBER)
    twelve = clock.strftime("%I:%M:%S %p")
    assert from_cell(Cell(value=twelve), field, column) == from_salesforce(
        clock.strftime("%H:%M:%S.000Z"), field
    )
