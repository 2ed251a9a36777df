"""sync.convert: the mapping table, each accepted input form and each user-facing sentence."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sync.convert import (
    Compat,
    ConversionError,
    compatibility,
    from_cell,
    from_salesforce,
    narrow,
    to_cell,
    to_salesforce,
)
from sync.convert_compat import RULES
from sync.convert_kinds import KIND_OF, Kind
from sync.model import (
    Cell,
    CellWrite,
    ColumnType,
    Direction,
    SalesforceField,
    SalesforceType,
    SheetColumn,
)

RECORDED = Path(__file__).parents[1] / "fixtures" / "recorded"
T = SalesforceType
C = ColumnType


def a_field(kind: SalesforceType, label: str = "Field", **extra: object) -> SalesforceField:
    """A writable field; `extra` overrides any attribute (name, length, flags...)."""
    attrs: dict[str, object] = {
        "name": f"{label.replace(' ', '')}__c",
        "createable": True,
        "updateable": True,
    }
    attrs.update(extra)
    return SalesforceField(label=label, type=kind, **attrs)  # type: ignore[arg-type]


def a_column(kind: ColumnType = C.TEXT_NUMBER, title: str = "Col", **extra: object) -> SheetColumn:
    return SheetColumn(1, title, kind, **extra)  # type: ignore[arg-type]


TEXT = a_column()
AMOUNT = a_field(T.CURRENCY, "Amount", precision=18, scale=2)
EMPLOYEES = a_field(T.INT, "Employees")
PROBABILITY = a_field(T.PERCENT, "Probability (%)", precision=3, scale=0)
CLOSE_DATE = a_field(T.DATE, "Close Date")
CLOSED_AT = a_field(T.DATETIME, "Closed At")
ACTIVE = a_field(T.BOOLEAN, "Active", nillable=False)
STAGES = ("Prospecting", "Qualification", "Closed Won", "Closed Lost")
STAGE = a_field(T.PICKLIST, "Stage", restricted_picklist=True, picklist_values=STAGES)
COLOURS = a_field(T.MULTIPICKLIST, "Colours", picklist_values=("Red", "Green", "Blue"))
NAME = a_field(T.STRING, "Name", length=255)
EMAIL = a_field(T.EMAIL, "Email", length=80)
ACCOUNT = a_field(T.REFERENCE, "Account ID", length=18, reference_to=("Account",))
START = a_field(T.TIME, "Start")
# Smartsheet's system time stamps and project-schedule columns.
UNWRITABLE = {C.DATETIME, C.ABSTRACT_DATETIME, C.DURATION, C.PREDECESSOR}
_BEFORE_POINT = "at most %d digits before the decimal point"
_ALLOWED = ", ".join(STAGES)


def read(field: SalesforceField, value: object = None, column: SheetColumn = TEXT, **cell: object):
    return from_cell(Cell(value=value, **cell), field, column)  # type: ignore[arg-type]


# ---- the mapping table ------------------------------------------------------------------

# For a plain writable field of each type: one code per column type (in ColumnType order), each
# two letters: to the sheet, then to Salesforce. O = OK, W = WARN, N = NO.
# Columns: TEXT_NUMBER DATE DATETIME ABSTRACT_DATETIME CHECKBOX PICKLIST MULTI_PICKLIST
#          CONTACT_LIST MULTI_CONTACT_LIST DURATION PREDECESSOR
_TEXT_ROW = "OO NN NN NN NN OO NN NN NN NN NN"
_NUMBER_ROW = "OO NN NN NN NN NN NN NN NN NN NN"
_NEVER = "NN NN NN NN NN NN NN NN NN NN NN"
EXPECTED_TABLE = {
    T.ID: "ON NN NN NN NN NN NN NN NN NN NN",
    T.REFERENCE: "OW NN NN NN NN NN NN NN NN NN NN",
    T.STRING: _TEXT_ROW,
    T.TEXTAREA: _TEXT_ROW,
    T.PICKLIST: "OO NN NN NN NN OO OW NN NN NN NN",
    T.MULTIPICKLIST: "OO NN NN NN NN NN OO NN NN NN NN",
    T.COMBOBOX: _TEXT_ROW,
    T.BOOLEAN: "WW NN NN NN OO NN NN NN NN NN NN",
    T.INT: _NUMBER_ROW,
    T.LONG: _NUMBER_ROW,
    T.DOUBLE: _NUMBER_ROW,
    T.CURRENCY: _NUMBER_ROW,
    T.PERCENT: _NUMBER_ROW,
    T.DATE: "OW OO NW NN NN NN NN NN NN NN NN",
    T.DATETIME: "OW WW NO NN NN NN NN NN NN NN NN",
    T.TIME: "OW NN NN NN NN NN NN NN NN NN NN",
    T.URL: _TEXT_ROW,
    T.EMAIL: "OO NN NN NN NN NN NN OO OW NN NN",
    T.PHONE: _TEXT_ROW,
    T.ENCRYPTEDSTRING: _TEXT_ROW,
    T.BASE64: _NEVER,
    T.ADDRESS: _NEVER,
    T.LOCATION: _NEVER,
    T.ANYTYPE: _NEVER,
    T.COMPLEXVALUE: _NEVER,
    T.JSON: _NEVER,
}
_LEVEL = {"O": Compat.OK, "W": Compat.WARN, "N": Compat.NO}


def test_every_salesforce_type_and_column_type_has_a_decision() -> None:
    assert set(EXPECTED_TABLE) == set(SalesforceType), "decide the new type in EXPECTED_TABLE"
    assert set(KIND_OF) == set(SalesforceType), "give the new type a Kind in convert_kinds"
    assert set(RULES) == set(ColumnType), "add the new column type to convert_compat.RULES"
    for column_type, rules in RULES.items():
        assert set(rules) == set(Kind) - {Kind.UNSUPPORTED}, column_type
    for row in EXPECTED_TABLE.values():
        assert len(row.split()) == len(ColumnType), "one code per column type"


@pytest.mark.parametrize("field_type", list(SalesforceType))
def test_the_table_answers_as_decided_for_each_direction(field_type: SalesforceType) -> None:
    field = a_field(field_type)
    for column_type, code in zip(ColumnType, EXPECTED_TABLE[field_type].split(), strict=True):
        column = a_column(column_type)
        to_sheet = compatibility(field, column, Direction.TO_SMARTSHEET)
        to_sf = compatibility(field, column, Direction.TO_SALESFORCE)
        assert (to_sheet.level, to_sf.level) == (_LEVEL[code[0]], _LEVEL[code[1]]), column_type
        # Only OK comes without a sentence for the modal.
        assert bool(to_sheet.reason) == (to_sheet.level != Compat.OK)
        assert bool(to_sf.reason) == (to_sf.level != Compat.OK)


@pytest.mark.parametrize("field_type", list(SalesforceType))
def test_both_directions_take_the_worse_answer(field_type: SalesforceType) -> None:
    field = a_field(field_type)
    for column_type in ColumnType:
        column = a_column(column_type)
        parts = [
            compatibility(field, column, d)
            for d in (Direction.TO_SMARTSHEET, Direction.TO_SALESFORCE)
        ]
        both = compatibility(field, column, Direction.BOTH)
        worst = max(parts, key=lambda c: c.level.severity)
        assert both.level == worst.level
        assert all(p.reason in both.reason for p in parts if p.level == both.level)


def test_the_brief_examples() -> None:
    both = Direction.BOTH
    assert compatibility(AMOUNT, TEXT, both).level == Compat.OK
    assert compatibility(CLOSE_DATE, a_column(C.DATE), both).level == Compat.OK
    assert compatibility(ACTIVE, a_column(C.CHECKBOX), both).level == Compat.OK
    assert compatibility(ACTIVE, TEXT, both).level == Compat.WARN
    assert compatibility(STAGE, a_column(C.PICKLIST, options=STAGES), both).level == Compat.OK
    assert compatibility(COLOURS, a_column(C.MULTI_PICKLIST), both).level == Compat.OK
    assert compatibility(EMAIL, a_column(C.CONTACT_LIST), both).level == Compat.OK
    assert compatibility(AMOUNT, a_column(C.CHECKBOX), Direction.TO_SMARTSHEET).level == Compat.NO


def test_a_datetime_in_a_date_column_warns_about_the_lost_time() -> None:
    found = compatibility(CLOSED_AT, a_column(C.DATE, "Closed"), Direction.BOTH)
    assert found.level == Compat.WARN
    assert "only the date" in found.reason and "midnight UTC" in found.reason


@pytest.mark.parametrize(
    ("field", "phrase"),
    [
        (a_field(T.STRING, "Account Name", name="Account.Name"), "related record"),
        (a_field(T.CURRENCY, "Expected Revenue", calculated=True), "calculated by Salesforce"),
        (a_field(T.STRING, "Owner", createable=False, updateable=False), "read-only"),
    ],
)
def test_fields_salesforce_does_not_let_us_write_are_sheet_only(
    field: SalesforceField, phrase: str
) -> None:
    assert compatibility(field, TEXT, Direction.TO_SMARTSHEET).level == Compat.OK
    refused = compatibility(field, TEXT, Direction.BOTH)
    assert refused.level == Compat.NO
    assert phrase in refused.reason and field.label in refused.reason


def test_a_create_only_field_warns_that_later_edits_fail() -> None:
    field = a_field(T.STRING, "Code", updateable=False)
    found = compatibility(field, TEXT, Direction.TO_SALESFORCE)
    assert found.level == Compat.WARN and "only when a record is created" in found.reason


def test_a_restricted_dropdown_missing_salesforce_values_warns_and_names_them() -> None:
    column = a_column(C.PICKLIST, "Stage", options=STAGES[:2], validation=True)
    found = compatibility(STAGE, column, Direction.TO_SMARTSHEET)
    assert found.level == Compat.WARN
    assert "Closed Won, Closed Lost" in found.reason


def test_dropdown_options_a_restricted_picklist_refuses_are_named() -> None:
    column = a_column(C.PICKLIST, "Stage", options=(*STAGES, "Won-ish"))
    found = compatibility(STAGE, column, Direction.TO_SALESFORCE)
    assert found.level == Compat.WARN and "Won-ish" in found.reason


def test_a_long_text_area_warns_about_the_cell_limit() -> None:
    notes = a_field(T.TEXTAREA, "Notes", length=32768)
    found = compatibility(notes, TEXT, Direction.TO_SMARTSHEET)
    assert found.level == Compat.WARN and "4,000" in found.reason


def test_an_address_says_why_it_cannot_be_mapped() -> None:
    found = compatibility(a_field(T.ADDRESS, "Billing Address"), TEXT, Direction.TO_SMARTSHEET)
    assert found.level == Compat.NO and found.reason.startswith("Billing Address is a compound")


def test_every_field_of_the_recorded_describes_has_an_answer_for_every_column() -> None:
    for name in ("Account.json", "Contact.json", "Opportunity.json"):
        body = json.loads((RECORDED / "salesforce" / name).read_text())
        for entry in body["fields"]:
            field = SalesforceField(
                entry["name"], entry["label"], SalesforceType(entry["type"]),
                updateable=entry["updateable"], createable=entry["createable"],
                calculated=entry["calculated"],
            )  # fmt: skip
            for column_type in ColumnType:
                for direction in Direction:
                    assert compatibility(field, a_column(column_type), direction).level in Compat


# ---- user-facing sentences --------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "sentence"),
    [
        (AMOUNT, "12k", 'Amount: "12k" is not a number'),
        (AMOUNT, "1.2.3", 'Amount: "1.2.3" is not a number'),
        (AMOUNT, "12%", 'Amount: "12%" is not a number'),
        (AMOUNT, "1e17", f"Amount: 1{'0' * 17} is too large ({_BEFORE_POINT % 16})"),
        (EMPLOYEES, "12.5", 'Employees: "12.5" is not a whole number'),
        (EMPLOYEES, "3000000000", f"Employees: 3000000000 is too large ({_BEFORE_POINT % 10})"),
        (CLOSE_DATE, "next week", 'Close Date: "next week" is not a date (use YYYY-MM-DD)'),
        (CLOSE_DATE, "31/02/2024", 'Close Date: "31/02/2024" is not a date (use YYYY-MM-DD)'),
        (CLOSE_DATE, "2024-02-30", 'Close Date: "2024-02-30" is not a date (use YYYY-MM-DD)'),
        (ACTIVE, "maybe", 'Active: "maybe" is not yes or no (use yes/no, true/false or 1/0)'),
        (STAGE, "Won-ish", f'Stage: "Won-ish" is not one of the allowed values ({_ALLOWED})'),
        (NAME, "x" * 300, "Name: text is 300 characters long, the limit is 255"),
        (EMAIL, "bob at example", 'Email: "bob at example" is not an email address'),
        (ACCOUNT, "001XYZ", 'Account ID: "001XYZ" is not a Salesforce record Id'),
        (START, "25:00", 'Start: "25:00" is not a time of day (use HH:MM, 24-hour)'),
        (CLOSED_AT, "soon", 'Closed At: "soon" is not a date and time (use YYYY-MM-DD HH:MM,'
                            " in UTC, or add a zone such as +02:00)"),
    ],
)  # fmt: skip
def test_a_value_that_cannot_be_converted_explains_itself(
    field: SalesforceField, value: str, sentence: str
) -> None:
    with pytest.raises(ConversionError) as caught:
        read(field, value)
    assert str(caught.value) == sentence
    assert caught.value.field == field.name


def test_a_long_value_is_cut_in_the_sentence() -> None:
    with pytest.raises(ConversionError) as caught:
        read(AMOUNT, "9" * 40 + "k" * 40)
    assert str(caught.value) == f'Amount: "{"9" * 40}{"k" * 19}…" is not a number'


def test_a_long_list_of_allowed_values_is_cut() -> None:
    many = a_field(
        T.PICKLIST, "Code", restricted_picklist=True, picklist_values=tuple("ABCDEFGHIJKL")
    )
    with pytest.raises(ConversionError, match=r"\(A, B, C, D, E, F, G, H, I, J, \.\.\.\)$"):
        read(many, "Z")


def test_several_values_for_a_single_choice_field_are_an_error() -> None:
    cell = Cell(
        object_value={"objectType": "MULTI_PICKLIST", "values": ["Prospecting", "Closed Won"]}
    )
    with pytest.raises(ConversionError) as caught:
        from_cell(cell, STAGE, a_column(C.MULTI_PICKLIST))
    assert str(caught.value) == (
        "Stage: only one value can be copied, the cell holds 2 (Prospecting, Closed Won)"
    )


def test_a_text_longer_than_a_cell_is_refused_not_cut() -> None:
    notes = a_field(T.TEXTAREA, "Notes", length=32768)
    with pytest.raises(ConversionError) as caught:
        to_cell("y" * 4001, notes, TEXT)
    assert (
        str(caught.value)
        == "Notes: text is 4,001 characters long, a sheet cell holds at most 4,000"
    )
    assert to_cell("y" * 4000, notes, TEXT) == CellWrite(value="y" * 4000)


def test_a_value_outside_a_restricted_dropdown_is_refused_before_sending() -> None:
    column = a_column(C.PICKLIST, "Stage", options=STAGES[:2], validation=True)
    with pytest.raises(ConversionError) as caught:
        to_cell("Closed Won", STAGE, column)
    assert str(caught.value) == 'Stage: "Closed Won" is not one of the options of column "Stage"'


@pytest.mark.parametrize("column_type", sorted(UNWRITABLE))
def test_columns_the_api_cannot_write_are_refused(column_type: ColumnType) -> None:
    with pytest.raises(ConversionError, match='column "Col" cannot be written through the API'):
        to_cell("2024-01-31", CLOSE_DATE, a_column(column_type))


def test_an_unsupported_field_never_converts() -> None:
    address = a_field(T.ADDRESS, "Billing Address")
    for convert in (lambda: read(address, "x"), lambda: to_salesforce("x", address),
                    lambda: to_cell("x", address, TEXT)):  # fmt: skip
        with pytest.raises(ConversionError, match=r"^Billing Address is a compound address"):
            convert()


# ---- accepted input forms ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1,200.50", 1200.5), ("1200.5", 1200.5), ("$1,200", 1200), ("€ 1.5", 1.5),
        ("1200 EUR", 1200), ("USD 7", 7), ("-$3", -3), ("$-3", -3), ("(5)", -5), (" 42 ", 42),
        (".5", 0.5), ("1e3", 1000), ("2.675", 2.68), ("0.004", 0), (1200.0, 1200), (7, 7),
        (0.1, 0.1),
    ],
)  # fmt: skip
def test_numbers_people_type(typed: object, expected: float) -> None:
    assert read(AMOUNT, typed) == expected


def test_whole_numbers_are_ints_and_others_floats_so_1200_equals_1200_0() -> None:
    assert read(AMOUNT, "1,200") == 1200 and isinstance(read(AMOUNT, "1,200"), int)
    assert from_salesforce(1200.0, AMOUNT) == 1200 and isinstance(
        from_salesforce(1200.0, AMOUNT), int
    )
    assert from_salesforce(1200.456, AMOUNT) == 1200.46  # rounded to the field's scale


@pytest.mark.parametrize(
    ("typed", "expected"), [("12", 12), ("12.0", 12), (12.0, 12), ("1,000", 1000)]
)
def test_whole_numbers_people_type(typed: object, expected: int) -> None:
    assert read(EMPLOYEES, typed) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (Cell(value="12%"), 12), (Cell(value="12.5 %"), 12.5), (Cell(value="12"), 12),
        (Cell(value=12.5), 12.5),
        # A percent-formatted cell holds the fraction and shows it times 100.
        (Cell(value=0.125, display_value="12.5%"), 12.5),
    ],
)  # fmt: skip
def test_percent_is_a_number_of_percent(cell: Cell, expected: float) -> None:
    field = a_field(T.PERCENT, "Discount", precision=5, scale=2)
    assert from_cell(cell, field, TEXT) == expected
    assert from_salesforce(12.5, field) == 12.5


def test_percent_is_written_as_text_so_cell_formats_cannot_scale_it() -> None:
    assert to_cell(12.5, PROBABILITY, TEXT) == CellWrite(value="12.5%")
    assert to_cell(0.00001, a_field(T.PERCENT, scale=5), TEXT) == CellWrite(value="0.00001%")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (True, True), (False, False), ("yes", True), ("No", False), ("TRUE", True),
        ("false", False), ("1", True), ("0", False), (1, True), (0, False), ("y", True),
        ("n", False), ("x", True),
    ],
)  # fmt: skip
def test_yes_no_people_type(typed: object, expected: bool) -> None:
    assert read(ACTIVE, typed, a_column(C.CHECKBOX)) is expected


def test_a_checkbox_never_touched_or_a_null_is_false() -> None:
    assert read(ACTIVE, None, a_column(C.CHECKBOX)) is False
    assert from_salesforce(None, ACTIVE) is False
    assert to_salesforce(None, ACTIVE) is False


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2024-01-31", "2024-01-31"), ("2024-1-5", "2024-01-05"), ("2024/01/31", "2024-01-31"),
        (" 2024-01-31 ", "2024-01-31"), ("2024-01-31T17:05:12Z", "2024-01-31"),
        ("2024-01-31T00:00:00", "2024-01-31"),
    ],
)  # fmt: skip
def test_dates_people_type_or_pick(typed: str, expected: str) -> None:
    assert read(CLOSE_DATE, typed, a_column(C.DATE)) == expected


def test_a_date_column_object_value_is_read() -> None:
    cell = Cell(value="2024-01-31", object_value={"objectType": "DATE", "value": "2024-01-31"})
    assert from_cell(cell, CLOSE_DATE, a_column(C.DATE)) == "2024-01-31"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2024-01-31T17:05:12Z", "2024-01-31T17:05:12.000Z"),
        ("2024-01-31T17:05:12.000+0000", "2024-01-31T17:05:12.000Z"),
        ("2024-01-31 19:05:12+02:00", "2024-01-31T17:05:12.000Z"),
        ("2024-01-31 17:05", "2024-01-31T17:05:00.000Z"),
        ("2024-01-31T17:05:12.5", "2024-01-31T17:05:12.500Z"),
        ("2024-01-31", "2024-01-31T00:00:00.000Z"),
        ("2024-01-01T01:00:00+02:00", "2023-12-31T23:00:00.000Z"),
    ],
)
def test_date_times_people_type(typed: str, expected: str) -> None:
    assert read(CLOSED_AT, typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("13:15", "13:15:00.000Z"), ("13:15:30", "13:15:30.000Z"), ("1:15 PM", "13:15:00.000Z"),
        ("12:05 am", "00:05:00.000Z"), ("13:15:30.250Z", "13:15:30.250Z"),
    ],
)  # fmt: skip
def test_times_people_type(typed: str, expected: str) -> None:
    assert read(START, typed) == expected


def test_text_is_trimmed_and_empty_text_is_nothing() -> None:
    assert read(NAME, "  Acme  ") == "Acme"
    assert read(NAME, "   ") is None
    assert read(NAME, "line one\r\nline two") == "line one\nline two"
    assert from_salesforce("", NAME) is None


def test_a_number_in_a_text_field_reads_as_the_person_sees_it() -> None:
    assert read(NAME, 123) == "123"
    assert read(NAME, 1200.5, display_value="$1,200.50") == "$1,200.50"


@pytest.mark.parametrize(
    "typed", ["Bob@Example.com", " bob@example.com ", "mailto:bob@example.com"]
)
def test_email_addresses_compare_without_case(typed: str) -> None:
    assert read(EMAIL, typed) == "bob@example.com"
    assert from_salesforce("Bob@Example.COM", EMAIL) == "bob@example.com"


def test_a_contact_cell_gives_its_email() -> None:
    contact = {"objectType": "CONTACT", "email": "Ann@Example.com", "name": "Ann Lee"}
    cell = Cell(value="ann@example.com", display_value="Ann Lee", object_value=contact)
    assert from_cell(cell, EMAIL, a_column(C.CONTACT_LIST)) == "ann@example.com"
    # Without include=objectValue the value is the address.
    plain_cell = Cell(value="ann@example.com", display_value="Ann Lee")
    assert from_cell(plain_cell, EMAIL, a_column(C.CONTACT_LIST)) == "ann@example.com"


def test_a_multi_contact_cell_gives_its_one_email_or_an_error() -> None:
    column = a_column(C.MULTI_CONTACT_LIST, "People")
    one = {"objectType": "MULTI_CONTACT", "values": [{"objectType": "CONTACT", "email": "a@x.io"}]}
    assert from_cell(Cell(object_value=one), EMAIL, column) == "a@x.io"
    two = {"objectType": "MULTI_CONTACT", "values": [{"email": "a@x.io"}, {"email": "b@x.io"}]}
    with pytest.raises(ConversionError, match="only one value can be copied, the cell holds 2"):
        from_cell(Cell(object_value=two), EMAIL, column)


def test_record_ids_compare_in_their_18_character_form() -> None:
    # Examples of Salesforce's case-safe suffix worked through in public write-ups.
    assert read(ACCOUNT, "a0D30000001n7Pi") == "a0D30000001n7PiEAI"
    assert read(ACCOUNT, "0019000000B98de") == "0019000000B98deAAB"
    assert read(ACCOUNT, "a0D30000001n7PiEAI") == "a0D30000001n7PiEAI"
    # A spreadsheet that upper-cased the Id loses nothing: the suffix records the capitals.
    assert read(ACCOUNT, "A0D30000001N7PIEAI") == "a0D30000001n7PiEAI"
    assert from_salesforce("a0D30000001n7Pi", ACCOUNT) == "a0D30000001n7PiEAI"


def test_picklist_values_take_the_fields_spelling() -> None:
    assert read(STAGE, "closed won") == "Closed Won"
    open_list = a_field(T.PICKLIST, "Source", picklist_values=("Web",))
    assert read(open_list, "Trade show") == "Trade show"  # unrestricted: kept as typed


def test_multi_select_values_compare_as_a_set() -> None:
    assert from_salesforce("Red;Blue", COLOURS) == ("Blue", "Red")
    assert from_salesforce("Blue;Red;Blue", COLOURS) == ("Blue", "Red")
    assert from_salesforce("", COLOURS) is None
    assert read(COLOURS, "red; BLUE") == ("Blue", "Red")
    assert read(COLOURS, "Blue, Red") == ("Blue", "Red")
    picked = {"objectType": "MULTI_PICKLIST", "values": ["Red", "Blue"]}
    assert from_cell(Cell(object_value=picked), COLOURS, a_column(C.MULTI_PICKLIST)) == (
        "Blue",
        "Red",
    )


def test_a_multi_select_read_without_level_is_one_string() -> None:
    # Without level=2 Smartsheet reports the column as TEXT_NUMBER: "May, August".
    months = a_field(T.MULTIPICKLIST, "Months", picklist_values=("May", "August"))
    assert read(months, "May, August", display_value="May, August") == ("August", "May")


def test_a_restricted_multi_select_refuses_unknown_values() -> None:
    field = a_field(T.MULTIPICKLIST, "Colours", restricted_picklist=True, picklist_values=("Red",))
    with pytest.raises(
        ConversionError, match=r'^Colours: "Mauve" is not one of the allowed values \(Red\)$'
    ):
        read(field, "Red;Mauve")


def test_object_value_wins_over_value_and_value_over_display_value() -> None:
    picked = {"objectType": "MULTI_PICKLIST", "values": ["Green"]}
    cell = Cell(value="Red", display_value="Red", object_value=picked)
    assert from_cell(cell, COLOURS, a_column(C.MULTI_PICKLIST)) == ("Green",)
    assert read(NAME, None, display_value="shown") == "shown"


# ---- Salesforce values ------------------------------------------------------------------


def test_the_two_datetime_forms_compare_equal() -> None:
    assert from_salesforce("2024-01-31T17:05:12.000+0000", CLOSED_AT) == from_salesforce(
        "2024-01-31T17:05:12Z", CLOSED_AT
    )


def test_writes_use_forms_salesforce_accepts() -> None:
    # REST "Valid Date and DateTime Formats": yyyy-MM-ddTHH:mm:ss.SSSZ; time as HH:mm:ss.SSSZ.
    written = to_salesforce(from_salesforce("2024-01-31T17:05:12.000+0000", CLOSED_AT), CLOSED_AT)
    assert isinstance(written, str)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z", written)
    assert to_salesforce("13:15:00.000Z", START) == "13:15:00.000Z"
    assert to_salesforce(("Blue", "Red"), COLOURS) == "Red;Blue"  # in the field's value order
    assert to_salesforce(1200.5, AMOUNT) == 1200.5
    assert to_salesforce(None, NAME) is None


def test_the_recorded_record_converts_without_surprises() -> None:
    types = {
        "Checkbox_Label": T.BOOLEAN, "Currency_Label": T.CURRENCY, "Date_Label": T.DATE,
        "DateTime_Label": T.DATETIME, "OtherDateTime_Label": T.DATETIME, "Email_Label": T.EMAIL,
        "Number_Label": T.DOUBLE, "Percent_Label": T.PERCENT, "Phone_Label": T.PHONE,
        "Picklist_Label": T.PICKLIST, "Picklist_Multiselect_Label": T.MULTIPICKLIST,
        "Text_Label": T.STRING, "TextArea_Label": T.TEXTAREA, "URL_Label": T.URL,
    }  # fmt: skip
    record = json.loads(
        (RECORDED / "salesforce" / "sobject_find_success_response.json").read_text()
    )
    canon = {
        name: from_salesforce(record[name], a_field(kind, name)) for name, kind in types.items()
    }
    assert canon["Checkbox_Label"] is True
    assert canon["Currency_Label"] == 23 and canon["Percent_Label"] == 33
    assert canon["DateTime_Label"] == "2011-07-07T00:37:00.000Z"
    assert canon["OtherDateTime_Label"] is None
    assert canon["Picklist_Multiselect_Label"] == ("four", "six")
    assert canon["Date_Label"] == "2010-01-01"


def test_salesforce_values_never_raise() -> None:
    for kind in SalesforceType:
        for value in ("", "odd", 0, 1.5, True, {"city": "Paris"}, [1]):
            from_salesforce(value, a_field(kind))


# ---- writing cells ----------------------------------------------------------------------


def test_each_column_type_gets_what_it_takes() -> None:
    assert to_cell(1200.5, AMOUNT, TEXT) == CellWrite(value=1200.5)
    assert to_cell(True, ACTIVE, a_column(C.CHECKBOX)) == CellWrite(value=True)
    assert to_cell(True, ACTIVE, TEXT) == CellWrite(value="true")
    assert to_cell("2024-01-31", CLOSE_DATE, a_column(C.DATE)) == CellWrite(value="2024-01-31")
    assert to_cell("2024-01-31T17:05:12.000Z", CLOSED_AT, a_column(C.DATE)) == CellWrite(
        value="2024-01-31"
    )
    assert to_cell("2024-01-31T17:05:12.000Z", CLOSED_AT, TEXT) == CellWrite(
        value="2024-01-31T17:05:12Z"
    )
    assert to_cell("13:15:00.000Z", START, TEXT) == CellWrite(value="13:15")
    assert to_cell("bob@example.com", EMAIL, a_column(C.CONTACT_LIST)) == CellWrite(
        value="bob@example.com"
    )
    assert to_cell(("Blue", "Red"), COLOURS, TEXT) == CellWrite(value="Red;Blue")


def test_a_picklist_value_outside_the_options_is_sent_leniently() -> None:
    column = a_column(C.PICKLIST, options=STAGES[:2])
    assert to_cell("Closed Won", STAGE, column) == CellWrite(value="Closed Won", strict=False)


def test_a_picklist_option_is_sent_leniently_too_as_the_options_may_have_changed() -> None:
    """A strict PICKLIST write takes only the sheet's current options (1042); the options
    known at set-up may be stale, so an option is sent with strict=False as well."""
    column = a_column(C.PICKLIST, options=STAGES[:2])
    assert to_cell("Prospecting", STAGE, column) == CellWrite(value="Prospecting", strict=False)


def test_a_multi_select_is_sent_as_an_object_value() -> None:
    column = a_column(C.MULTI_PICKLIST, options=("Red", "Green", "Blue"))
    assert to_cell(("Blue", "Red"), COLOURS, column) == CellWrite(
        object_value={"objectType": "MULTI_PICKLIST", "values": ["Red", "Blue"]}
    )


def test_an_email_in_a_multi_contact_column_is_one_contact() -> None:
    contact = {"objectType": "CONTACT", "email": "a@x.io"}
    assert to_cell("a@x.io", EMAIL, a_column(C.MULTI_CONTACT_LIST)) == CellWrite(
        object_value={"objectType": "MULTI_CONTACT", "values": [contact]}
    )


@pytest.mark.parametrize("column_type", sorted(set(ColumnType) - UNWRITABLE))
def test_nothing_clears_the_cell(column_type: ColumnType) -> None:
    assert to_cell(None, EMAIL, a_column(column_type)) == CellWrite()


def test_a_value_in_a_column_it_does_not_fit_is_an_error() -> None:
    with pytest.raises(
        ConversionError, match='Amount: column "Col" \\(CHECKBOX\\) cannot hold this field'
    ):
        to_cell(12, AMOUNT, a_column(C.CHECKBOX))


def test_narrow_gives_the_date_a_date_column_keeps() -> None:
    date_column = a_column(C.DATE)
    assert narrow("2024-01-31T17:05:12.000Z", CLOSED_AT, date_column) == "2024-01-31T00:00:00.000Z"
    assert narrow("2024-01-31T17:05:12.000Z", CLOSED_AT, TEXT) == "2024-01-31T17:05:12.000Z"
    assert narrow(12, AMOUNT, TEXT) == 12
