"""sync.workflow_file: DESIGN.md's YAML format for `syncbot workflows export` / `import`.

What a person relies on: the documented example imports as written, an export imports back
unchanged, and a file with mistakes is refused with every mistake listed at once, each
with its place in the file.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.model import (
    Condition,
    ConflictPolicy,
    Direction,
    FieldMapping,
    Filter,
    OnRecordDeleted,
    WorkflowOptions,
)
from sync.soql import OPERATORS
from sync.workflow_file import WorkflowFileError, WorkflowSpec, dump, parse
from tests.unit.builders import a_spec

# Verbatim from DESIGN.md, "Public contracts" → "Workflow YAML".
DESIGN_EXAMPLE = """\
workflows:
  - name: Won deals
    team: T0123ABC                  # Slack workspace id
    owner: U0123ABC                 # Slack user id; uses this owner's connections
    salesforce: {org: 00D5g000000XyZ, object: Opportunity}
    smartsheet: {sheet: 4583173393803140}
    filter: {all: [{field: StageName, op: "=", value: Closed Won}]}
    fields:
      - {field: Name, column: Deal, direction: both}
      - {field: Account.Name, column: Account, direction: to_smartsheet}
      - {field: Amount, column: Amount, direction: both}
    options:
      create_records_from_rows: false
      on_record_deleted: mark       # mark | delete_row | keep
      conflicts: salesforce_wins    # salesforce_wins | smartsheet_wins | newest_wins
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(WorkflowFileError) as refused:
        parse(text)
    return refused.value.problems


def one_workflow(body: str) -> str:
    """A file with one workflow: the DESIGN example's header plus `body` (YAML, 4 spaces)."""
    return (
        "workflows:\n"
        "  - name: Won deals\n"
        "    team: T0123ABC\n"
        "    owner: U0123ABC\n"
        "    salesforce: {org: 00D5g000000XyZ, object: Opportunity}\n"
        "    smartsheet: {sheet: 4583173393803140}\n" + body
    )


FIELDS_OK = "    fields:\n      - {field: Name, column: Deal}\n"


def example_with(**changes: Any) -> str:
    """The DESIGN example as YAML with top-level keys replaced (None removes the key)."""
    item = yaml.safe_load(DESIGN_EXAMPLE)["workflows"][0]
    for key, value in changes.items():
        if value is None:
            item.pop(key)
        else:
            item[key] = value
    return yaml.safe_dump({"workflows": [item]})


# -- the documented example ---------------------------------------------------------------------
class TestDesignExample:
    def test_the_example_in_design_md_parses_to_the_won_deals_workflow(self) -> None:
        assert parse(DESIGN_EXAMPLE) == [a_spec()]

    def test_defaults_fill_what_the_file_leaves_out(self) -> None:
        (spec,) = parse(one_workflow(FIELDS_OK))

        assert spec.fields == (FieldMapping("Name", "Deal", Direction.BOTH),)
        assert spec.filter == Filter()
        assert spec.options == WorkflowOptions()
        assert (spec.id_column, spec.status_column, spec.paused) == (
            "Salesforce Id",
            "Sync Status",
            False,
        )

    def test_an_empty_list_imports_nothing(self) -> None:
        assert parse("workflows: []\n") == []

    def test_any_filter_and_every_option(self) -> None:
        text = one_workflow(
            FIELDS_OK + "    filter:\n"
            "      any:\n"
            "        - {field: Amount, op: '>', value: 1000}\n"
            "        - {field: StageName, op: IN, value: [Closed Won, Negotiation]}\n"
            "        - {field: CloseDate, op: is empty}\n"
            "    options: {create_records_from_rows: true, on_record_deleted: delete_row,"
            " conflicts: newest_wins}\n"
            "    id_column: SF Id\n"
            "    status_column: Status\n"
            "    paused: true\n"
        )

        (spec,) = parse(text)

        assert spec.filter == Filter(
            (
                Condition("Amount", ">", 1000),
                Condition("StageName", "in", ["Closed Won", "Negotiation"]),
                Condition("CloseDate", "is empty", None),
            ),
            match_all=False,
        )
        assert spec.options == WorkflowOptions(
            True, OnRecordDeleted.DELETE_ROW, ConflictPolicy.NEWEST_WINS
        )
        assert (spec.id_column, spec.status_column, spec.paused) == ("SF Id", "Status", True)


TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1
).filter(lambda s: s.strip() == s and s)
NAME = st.from_regex(r"[A-Z][A-Za-z0-9_]{0,20}(\.[A-Z][A-Za-z0-9_]{0,20}){0,2}", fullmatch=True)
VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
    st.dates(),
    st.lists(TEXT, max_size=3),
)
_LISTS = st.lists(st.one_of(st.integers(), TEXT), min_size=1, max_size=3)
_VALUE_OPS = sorted(set(OPERATORS) - {"in", "not in", "is empty", "is not empty"})
CONDITIONS = st.lists(
    st.one_of(
        st.builds(
            Condition, NAME, st.sampled_from(_VALUE_OPS), VALUE.filter(lambda v: v is not None)
        ),
        st.builds(Condition, NAME, st.sampled_from(["in", "not in"]), _LISTS),
        st.builds(Condition, NAME, st.sampled_from(["is empty", "is not empty"]), st.none()),
    )
)
SPECS = st.builds(
    WorkflowSpec,
    name=TEXT,
    team=st.from_regex(r"T[A-Z0-9]{8,10}", fullmatch=True),
    owner=st.from_regex(r"[UW][A-Z0-9]{8,10}", fullmatch=True),
    org=st.from_regex(r"00D[A-Za-z0-9]{12}", fullmatch=True),
    object=NAME,
    sheet=st.integers(1, 2**53),
    fields=st.lists(
        st.builds(FieldMapping, NAME, TEXT, st.sampled_from(Direction)),
        min_size=1,
        max_size=4,
        unique_by=(lambda m: m.column, lambda m: m.field),
    ).map(tuple),
    # an empty `any` would come back as the (equivalent) empty `all`
    filter=st.one_of(
        st.builds(Filter, CONDITIONS.map(tuple), st.just(True)),
        st.builds(Filter, CONDITIONS.filter(bool).map(tuple), st.just(False)),
    ),
    options=st.builds(
        WorkflowOptions,
        st.booleans(),
        st.sampled_from(OnRecordDeleted),
        st.sampled_from(ConflictPolicy),
    ),
    id_column=TEXT,
    status_column=TEXT,
    paused=st.booleans(),
)


# -- round trip -------------------------------------------------------------------------------
class TestRoundTrip:
    def test_the_example_survives_export_and_import(self) -> None:
        assert parse(dump([a_spec()])) == [a_spec()]

    def test_export_writes_the_documented_keys(self) -> None:
        text = dump([a_spec()])

        for key in ("name:", "team:", "owner:", "salesforce:", "org:", "object:", "smartsheet:"):
            assert key in text
        assert "direction: to_smartsheet" in text
        assert "conflicts: salesforce_wins" in text

    def test_export_leaves_out_default_columns_and_paused(self) -> None:
        text = dump([a_spec()])

        assert "id_column" not in text
        assert "status_column" not in text
        assert "paused" not in text

    def test_several_workflows_keep_their_order(self) -> None:
        specs = [a_spec(name="First"), a_spec(name="Second", paused=True)]

        assert parse(dump(specs)) == specs

    def test_dates_in_filter_values_stay_dates(self) -> None:
        flt = Filter((Condition("CloseDate", ">=", date(2024, 1, 1)),))

        assert parse(dump([a_spec(filter=flt)]))[0].filter == flt

    @settings(max_examples=60, deadline=None)
    @given(st.lists(SPECS, min_size=1, max_size=3))
    def test_any_valid_spec_survives_export_and_import(self, specs: list[WorkflowSpec]) -> None:
        assert parse(dump(specs)) == specs


# -- bad input ----------------------------------------------------------------------------------
class TestProblems:
    @pytest.mark.parametrize(
        "text",
        ["", "workflows:\n", "- name: x\n", "workflows: {name: x}\n", "workflow: []\n"],
        ids=["empty", "null-list", "top-level-list", "mapping", "misspelt-key"],
    )
    def test_the_file_needs_a_workflows_list(self, text: str) -> None:
        assert problems_of(text) == ["the file must have a top-level `workflows:` list"]

    def test_broken_yaml_is_reported_with_its_position(self) -> None:
        (problem,) = problems_of("workflows: [\n")

        assert problem.startswith("not valid YAML at line 2, column 1: ")
        assert "\n" not in problem

    def test_a_workflow_must_be_a_mapping(self) -> None:
        assert problems_of("workflows:\n  - just text\n") == ["workflows[0]: must be a mapping"]

    @pytest.mark.parametrize(
        ("drop", "problem"),
        [
            ("name", "workflows[0].name: required text"),
            ("team", "workflows[0].team: required text"),
            ("owner", "workflows[0].owner: required text"),
            ("salesforce", "workflows[0].salesforce: needs `org` (the org id) and `object`"),
            ("smartsheet", "workflows[0].smartsheet.sheet: must be the sheet's numeric id"),
            ("fields", "workflows[0].fields: map at least one field to a column"),
        ],
    )
    def test_each_missing_part_is_named(self, drop: str, problem: str) -> None:
        assert problems_of(example_with(**{drop: None})) == [problem]

    @pytest.mark.parametrize("blank", ["", "   ", 42, ["a"]])
    def test_required_text_must_be_text(self, blank: object) -> None:
        assert problems_of(example_with(name=blank)) == ["workflows[0].name: required text"]

    @pytest.mark.parametrize("sheet", ["4583173393803140", True, 4583.5, [1], {}])
    def test_the_sheet_must_be_its_numeric_id(self, sheet: object) -> None:
        assert problems_of(example_with(smartsheet={"sheet": sheet})) == [
            "workflows[0].smartsheet.sheet: must be the sheet's numeric id"
        ]

    @pytest.mark.parametrize("salesforce", [{"org": "00D5g000000XyZ"}, {"object": "Lead"}, "x"])
    def test_salesforce_needs_org_and_object(self, salesforce: object) -> None:
        assert problems_of(example_with(salesforce=salesforce)) == [
            "workflows[0].salesforce: needs `org` (the org id) and `object`"
        ]

    def test_a_mapping_needs_a_field_and_a_column(self) -> None:
        text = one_workflow(
            "    fields:\n      - {field: Name, column: Deal}\n      - {column: X}\n"
        )

        assert problems_of(text) == ["workflows[0].fields[1]: needs `field` and `column`"]

    def test_a_bad_direction_lists_the_good_ones(self) -> None:
        text = one_workflow("    fields:\n      - {field: Name, column: Deal, direction: up}\n")

        assert problems_of(text) == [
            "workflows[0].fields[0].direction: “up” is not one of "
            "to_smartsheet | to_salesforce | both"
        ]

    def test_a_column_may_be_mapped_once(self) -> None:
        text = one_workflow(
            "    fields:\n"
            "      - {field: Name, column: Deal}\n"
            "      - {field: Description, column: Deal}\n"
        )

        assert problems_of(text) == ["workflows[0].fields: each column may be mapped once (Deal)"]

    @pytest.mark.parametrize(
        ("option", "problem"),
        [
            (
                "on_record_deleted: purge",
                "workflows[0].options.on_record_deleted: “purge” is not one of "
                "mark | delete_row | keep",
            ),
            (
                "conflicts: loudest_wins",
                "workflows[0].options.conflicts: “loudest_wins” is not one of "
                "salesforce_wins | smartsheet_wins | newest_wins",
            ),
            (
                "create_records_from_rows: 'yes'",
                "workflows[0].options.create_records_from_rows: true or false",
            ),
            ("colour: red", "workflows[0].options: unknown option(s) colour"),
        ],
    )
    def test_bad_options(self, option: str, problem: str) -> None:
        text = one_workflow(FIELDS_OK + f"    options: {{{option}}}\n")

        assert problems_of(text) == [problem]

    def test_options_must_be_a_mapping(self) -> None:
        text = one_workflow(FIELDS_OK + "    options: [mark]\n")

        assert problems_of(text) == ["workflows[0].options: must be a mapping"]

    @pytest.mark.parametrize(
        ("flt", "problem"),
        [
            ("{every: []}", "workflows[0].filter: use `all: [...]` or `any: [...]`"),
            ("{all: [], any: []}", "workflows[0].filter: use `all: [...]` or `any: [...]`"),
            ("[StageName]", "workflows[0].filter: use `all: [...]` or `any: [...]`"),
            ("{all: [{field: StageName}]}", "workflows[0].filter.all[0]: needs `field` and `op`"),
            ("{any: [{op: '='}]}", "workflows[0].filter.any[0]: needs `field` and `op`"),
        ],
    )
    def test_bad_filters(self, flt: str, problem: str) -> None:
        assert problems_of(one_workflow(FIELDS_OK + f"    filter: {flt}\n")) == [problem]

    def test_a_bad_operator_lists_the_good_ones(self) -> None:
        text = one_workflow(FIELDS_OK + "    filter: {all: [{field: Name, op: '~=', value: x}]}\n")

        (problem,) = problems_of(text)
        assert problem.startswith("workflows[0].filter.all[0].op: “~=” is not one of =, !=, ")
        assert all(op in problem for op in OPERATORS)

    def test_every_problem_in_the_file_is_reported_at_once(self) -> None:
        text = (
            "workflows:\n"
            "  - name: ''\n"
            "    team: T1\n"
            "    salesforce: {org: 00D, object: ''}\n"
            "    smartsheet: {sheet: 'abc'}\n"
            "    filter: {all: [{field: StageName, op: '~='}]}\n"
            "    fields:\n"
            "      - {field: Name, column: Deal, direction: sideways}\n"
            "      - {field: Amount, column: Deal}\n"
            "    options: {conflicts: loudest_wins}\n"
            "  - 7\n"
            "  - name: Fine\n"
            "    team: T1\n"
            "    owner: U1\n"
            "    salesforce: {org: 00D, object: Lead}\n"
            "    smartsheet: {sheet: 1}\n"
            "    fields: [{field: Company, column: Company}]\n"
        )

        problems = problems_of(text)

        assert sorted(problems) == sorted(
            [
                "workflows[0].name: required text",
                "workflows[0].owner: required text",
                "workflows[0].salesforce: needs `org` (the org id) and `object`",
                "workflows[0].smartsheet.sheet: must be the sheet's numeric id",
                "workflows[0].filter.all[0].op: “~=” is not one of " + ", ".join(OPERATORS),
                "workflows[0].fields[0].direction: “sideways” is not one of "
                "to_smartsheet | to_salesforce | both",
                "workflows[0].fields: each column may be mapped once (Deal)",
                "workflows[0].options.conflicts: “loudest_wins” is not one of "
                "salesforce_wins | smartsheet_wins | newest_wins",
                "workflows[1]: must be a mapping",
            ]
        )

    def test_the_error_message_lists_the_problems_one_per_line(self) -> None:
        with pytest.raises(WorkflowFileError) as refused:
            parse("workflows:\n  - 1\n  - 2\n")

        assert str(refused.value) == (
            "The workflow file has problems:\n"
            "  workflows[0]: must be a mapping\n"
            "  workflows[1]: must be a mapping"
        )


def test_fields_are_read_as_text() -> None:
    (spec,) = parse(one_workflow("    fields:\n      - {field: Amount, column: 2024}\n"))

    assert spec.fields == (FieldMapping("Amount", "2024"),)


def test_operators_are_stored_in_lower_case() -> None:
    text = one_workflow(
        FIELDS_OK + "    filter: {all: [{field: Name, op: STARTS WITH, value: A}]}\n"
    )

    (spec,) = parse(text)

    assert spec.filter.conditions == (Condition("Name", "starts with", "A"),)


def test_text_is_trimmed() -> None:
    (spec,) = parse(example_with(name="  Won deals  ", owner=" U0123ABC"))

    assert spec == a_spec()
