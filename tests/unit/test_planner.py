"""sync.planner: the three-way merge, one real situation per test.

Vocabulary: s = the Salesforce value now, c = the cell value now, b = the value both sides
last agreed on (the link's synced value). Records or rows not seen this tick are unchanged.
"""

from __future__ import annotations

import pytest

from sync.errors import SafetyStop
from sync.model import ConflictPolicy, Direction, OnRecordDeleted
from sync.planner import Action, Conflict, Limits, LinkPlan, LinkState, Notes, Plan
from tests.unit.builders import (
    SnapshotBuilder,
    a_snapshot,
    at,
    for_record,
    for_row,
    record_id,
    row_id,
    writes,
)

ACME = record_id(1)
GLOBEX = record_id(2)
ROW_A = row_id(1)
ROW_B = row_id(2)


def linked_acme() -> SnapshotBuilder:
    """Acme's deal is linked to row A; both sides last agreed on Name and Amount."""
    return a_snapshot().with_link(ACME, ROW_A, Name="Acme deal", Amount=1000)


# -- one side changed ---------------------------------------------------------------------
class TestOneSideChanged:
    def test_edit_in_salesforce_goes_to_the_cell(self) -> None:
        result = (
            a_snapshot()
            .with_link(ACME, ROW_A, Name="Acme deal", Amount=1000)
            .with_record(ACME, Name="Acme renewal", Amount=1000)
            .plan()
        )

        acme = for_record(result, ACME)
        assert acme.to_sheet == {"Name": "Acme renewal"}
        assert acme.to_salesforce == {}
        assert acme.after == {"Name": "Acme renewal", "Amount": 1000}
        assert acme.action is Action.NONE
        assert result.conflicts == []

    def test_edit_in_the_sheet_goes_to_salesforce(self) -> None:
        result = (
            a_snapshot()
            .with_link(ACME, ROW_A, Name="Acme deal", Amount=1000)
            .with_row(ROW_A, record=ACME, Name="Acme deal", Amount=1500)
            .plan()
        )

        acme = for_row(result, ROW_A)
        assert acme.to_salesforce == {"Amount": 1500}
        assert acme.to_sheet == {}
        assert acme.after == {"Name": "Acme deal", "Amount": 1500}

    def test_edits_to_different_fields_on_each_side_are_both_kept(self) -> None:
        result = (
            a_snapshot()
            .with_link(ACME, ROW_A, Name="Acme deal", Amount=1000)
            .with_record(ACME, Name="Acme renewal", Amount=1000)
            .with_row(ROW_A, record=ACME, Name="Acme deal", Amount=1500)
            .plan()
        )

        acme = for_record(result, ACME)
        assert acme.to_sheet == {"Name": "Acme renewal"}
        assert acme.to_salesforce == {"Amount": 1500}
        assert acme.after == {"Name": "Acme renewal", "Amount": 1500}
        assert result.conflicts == []

    def test_the_same_edit_on_both_sides_is_no_conflict(self) -> None:
        result = (
            a_snapshot()
            .with_link(ACME, ROW_A, Name="Acme deal", Amount=1000)
            .with_record(ACME, Name="Acme deal", Amount=2000)
            .with_row(ROW_A, record=ACME, Name="Acme deal", Amount=2000)
            .plan()
        )

        acme = for_record(result, ACME)
        assert (acme.to_sheet, acme.to_salesforce) == ({}, {})
        assert acme.after["Amount"] == 2000  # the new agreement is remembered
        assert result.conflicts == []

    def test_a_cell_cleared_in_the_sheet_clears_the_salesforce_field(self) -> None:
        result = (
            a_snapshot()
            .with_link(ACME, ROW_A, Name="Acme deal", Amount=1000)
            .with_row(ROW_A, record=ACME, Name="Acme deal", Amount=None)
            .plan()
        )

        assert for_row(result, ROW_A).to_salesforce == {"Amount": None}

    def test_links_not_seen_this_tick_are_left_out_of_the_plan(self) -> None:
        result = (
            a_snapshot()
            .with_link(ACME, ROW_A, Name="Acme deal", Amount=1000)
            .with_link(GLOBEX, ROW_B, Name="Globex deal", Amount=5)
            .with_record(ACME, Name="Acme renewal", Amount=1000)
            .plan()
        )

        assert [p.record_id for p in result.links] == [ACME]


# -- echo ----------------------------------------------------------------------------------
class TestEcho:
    def test_values_equal_to_the_synced_ones_plan_nothing(self) -> None:
        result = (
            a_snapshot()
            .with_link(ACME, ROW_A, Name="Acme deal", Amount=1000)
            .with_link(GLOBEX, ROW_B, Name="Globex deal", Amount=None)
            .with_record(ACME, Name="Acme deal", Amount=1000, modstamp=at(5))
            .with_record(GLOBEX, Name="Globex deal", Amount=None, modstamp=at(5))
            .with_row(ROW_A, record=ACME, Name="Acme deal", Amount=1000, modified_at=at(6))
            .with_row(ROW_B, record=GLOBEX, Name="Globex deal", Amount=None, modified_at=at(6))
            .plan()
        )

        assert writes(result) == []
        assert result.conflicts == []

    def test_our_own_write_to_the_sheet_does_not_come_back_to_salesforce(self) -> None:
        # Tick 1 wrote "Acme renewal" to the cell and stored it as synced; tick 2 sees the
        # row again (its version moved because of our write) and the record unchanged.
        result = (
            a_snapshot()
            .with_link(ACME, ROW_A, Name="Acme renewal", Amount=1000)
            .with_row(ROW_A, record=ACME, Name="Acme renewal", Amount=1000)
            .plan()
        )

        assert writes(result) == []


# -- conflicts -----------------------------------------------------------------------------
class TestConflicts:
    """Both sides edited the same field since the last sync (b = 1000, s = 2000, c = 3000).

    policy           | mapping        | timestamps               | value kept  | written to
    -----------------+----------------+--------------------------+-------------+-----------
    salesforce_wins  | both           | -                        | s (2000)    | sheet
    smartsheet_wins  | both           | -                        | c (3000)    | Salesforce
    newest_wins      | both           | sheet edited later       | c           | Salesforce
    newest_wins      | both           | Salesforce edited later  | s           | sheet
    newest_wins      | both           | same instant             | s           | sheet
    newest_wins      | both           | a timestamp is missing   | s           | sheet
    smartsheet_wins  | to_smartsheet  | -                        | s           | sheet
    smartsheet_wins  | read-only      | -                        | s           | sheet
    salesforce_wins  | to_salesforce  | -                        | c           | Salesforce
    """

    @staticmethod
    def conflict(
        policy: ConflictPolicy,
        direction: Direction = Direction.BOTH,
        *,
        writable: bool = True,
        sf_time: int | None = None,
        sheet_time: int | None = None,
    ) -> Plan:
        return (
            a_snapshot()
            .with_rule("Amount", direction, writable=writable)
            .with_conflicts(policy)
            .with_link(ACME, ROW_A, Name="Acme deal", Amount=1000)
            .with_record(
                ACME,
                Name="Acme deal",
                Amount=2000,
                modstamp=at(sf_time) if sf_time is not None else None,
            )
            .with_row(
                ROW_A,
                record=ACME,
                Name="Acme deal",
                Amount=3000,
                modified_at=at(sheet_time) if sheet_time is not None else None,
            )
            .plan()
        )

    def test_both_edited_salesforce_wins_by_default(self) -> None:
        result = (
            a_snapshot()
            .with_link(ACME, ROW_A, Name="Acme deal", Amount=1000)
            .with_record(ACME, Name="Acme deal", Amount=2000)
            .with_row(ROW_A, record=ACME, Name="Acme deal", Amount=3000)
            .plan()
        )

        acme = for_record(result, ACME)
        assert acme.to_sheet == {"Amount": 2000}
        assert acme.to_salesforce == {}
        assert acme.after["Amount"] == 2000

    def test_the_conflict_is_logged_with_both_values_and_the_winner(self) -> None:
        result = self.conflict(ConflictPolicy.SALESFORCE_WINS)

        assert result.conflicts == [Conflict(ACME, ROW_A, "Amount", 2000, 3000, "salesforce")]

    @pytest.mark.parametrize(
        ("policy", "sf_time", "sheet_time", "winner"),
        [
            (ConflictPolicy.SALESFORCE_WINS, None, None, "salesforce"),
            (ConflictPolicy.SMARTSHEET_WINS, None, None, "smartsheet"),
            (ConflictPolicy.NEWEST_WINS, 1, 2, "smartsheet"),
            (ConflictPolicy.NEWEST_WINS, 2, 1, "salesforce"),
            (ConflictPolicy.NEWEST_WINS, 2, 2, "salesforce"),
            (ConflictPolicy.NEWEST_WINS, None, 2, "salesforce"),
            (ConflictPolicy.NEWEST_WINS, 2, None, "salesforce"),
        ],
        ids=[
            "salesforce_wins",
            "smartsheet_wins",
            "newest_wins-sheet-later",
            "newest_wins-salesforce-later",
            "newest_wins-tie",
            "newest_wins-no-modstamp",
            "newest_wins-no-row-time",
        ],
    )
    def test_policy_decides_a_two_way_field(
        self,
        policy: ConflictPolicy,
        sf_time: int | None,
        sheet_time: int | None,
        winner: str,
    ) -> None:
        result = self.conflict(policy, sf_time=sf_time, sheet_time=sheet_time)

        acme = for_record(result, ACME)
        if winner == "salesforce":
            assert (acme.to_sheet, acme.to_salesforce) == ({"Amount": 2000}, {})
        else:
            assert (acme.to_sheet, acme.to_salesforce) == ({}, {"Amount": 3000})
        assert [c.winner for c in result.conflicts] == [winner]

    def test_smartsheet_wins_cannot_push_into_a_to_smartsheet_field(self) -> None:
        result = self.conflict(ConflictPolicy.SMARTSHEET_WINS, Direction.TO_SMARTSHEET)

        acme = for_record(result, ACME)
        assert (acme.to_sheet, acme.to_salesforce) == ({"Amount": 2000}, {})
        assert [c.winner for c in result.conflicts] == ["salesforce"]

    def test_smartsheet_wins_cannot_push_into_a_read_only_field(self) -> None:
        result = self.conflict(ConflictPolicy.SMARTSHEET_WINS, writable=False)

        acme = for_record(result, ACME)
        assert (acme.to_sheet, acme.to_salesforce) == ({"Amount": 2000}, {})

    def test_salesforce_wins_cannot_write_a_to_salesforce_field_into_the_sheet(self) -> None:
        result = self.conflict(ConflictPolicy.SALESFORCE_WINS, Direction.TO_SALESFORCE)

        acme = for_record(result, ACME)
        assert (acme.to_sheet, acme.to_salesforce) == ({}, {"Amount": 3000})
        assert [c.winner for c in result.conflicts] == ["smartsheet"]


# -- one-way and read-only fields ------------------------------------------------------------
class TestOneWayFields:
    def test_sheet_edit_on_a_to_smartsheet_field_is_put_back(self) -> None:
        result = (
            a_snapshot()
            .with_rule("Amount", Direction.TO_SMARTSHEET)
            .with_link(ACME, ROW_A, Name="Acme deal", Amount=1000)
            .with_row(ROW_A, record=ACME, Name="Acme deal", Amount=999)
            .plan()
        )

        acme = for_row(result, ROW_A)
        assert acme.to_sheet == {"Amount": 1000}
        assert acme.to_salesforce == {}
        assert acme.after["Amount"] == 1000

    def test_salesforce_edit_on_a_to_salesforce_field_is_left_alone(self) -> None:
        result = (
            a_snapshot()
            .with_rule("Amount", Direction.TO_SALESFORCE)
            .with_link(ACME, ROW_A, Name="Acme deal", Amount=1000)
            .with_record(ACME, Name="Acme deal", Amount=2000)
            .plan()
        )

        acme = for_record(result, ACME)
        assert (acme.to_sheet, acme.to_salesforce) == ({}, {})
        assert result.conflicts == []

    def test_read_only_field_never_goes_to_salesforce(self) -> None:
        # Account.Name on Opportunity, or a formula field: mapped "both" in the file, but
        # the layout marks it not writable.
        result = (
            a_snapshot()
            .with_rule("Account.Name", Direction.BOTH, writable=False)
            .with_link(ACME, ROW_A, {"Account.Name": "Acme"}, Name="Acme deal", Amount=1000)
            .with_row(ROW_A, {"Account.Name": "Acme Inc"}, record=ACME, Name="Acme deal")
            .plan()
        )

        acme = for_row(result, ROW_A)
        assert "Account.Name" not in acme.to_salesforce
        assert acme.to_sheet["Account.Name"] == "Acme"

    def test_read_only_field_is_left_out_of_a_record_created_from_a_row(self) -> None:
        result = (
            a_snapshot()
            .with_rule("Account.Name", Direction.BOTH, writable=False)
            .creating_records_from_rows()
            .with_row(ROW_A, {"Account.Name": "Acme"}, Name="New deal", Amount=10)
            .plan()
        )

        assert for_row(result, ROW_A).to_salesforce == {"Name": "New deal", "Amount": 10}


# -- unreadable cells ------------------------------------------------------------------------
class TestUnreadableCells:
    WHY = "“lots” is not a number"

    def test_an_unreadable_cell_becomes_a_row_error(self) -> None:
        result = (
            linked_acme()
            .with_row(ROW_A, record=ACME, Name="Acme deal", errors={"Amount": self.WHY})
            .plan()
        )

        acme = for_row(result, ROW_A)
        assert acme.errors == {"Amount": self.WHY}
        assert (acme.to_sheet, acme.to_salesforce) == ({}, {})
        assert acme.after["Amount"] == 1000  # the last agreement stands

    def test_an_unreadable_cell_is_overwritten_when_salesforce_changed(self) -> None:
        result = (
            linked_acme()
            .with_record(ACME, Name="Acme deal", Amount=1200)
            .with_row(ROW_A, record=ACME, Name="Acme deal", errors={"Amount": self.WHY})
            .plan()
        )

        acme = for_row(result, ROW_A)
        assert acme.to_sheet == {"Amount": 1200}
        assert acme.errors == {}

    def test_an_unreadable_cell_stays_an_error_when_salesforce_did_not_change(self) -> None:
        result = (
            linked_acme()
            .with_record(ACME, Name="Acme renewal", Amount=1000)
            .with_row(ROW_A, record=ACME, Name="Acme deal", errors={"Amount": self.WHY})
            .plan()
        )

        acme = for_row(result, ROW_A)
        assert acme.errors == {"Amount": self.WHY}
        assert acme.to_sheet == {"Name": "Acme renewal"}

    def test_an_unreadable_to_salesforce_cell_is_never_overwritten(self) -> None:
        result = (
            linked_acme()
            .with_rule("Amount", Direction.TO_SALESFORCE)
            .with_record(ACME, Name="Acme deal", Amount=1200)
            .with_row(ROW_A, record=ACME, Name="Acme deal", errors={"Amount": self.WHY})
            .plan()
        )

        acme = for_row(result, ROW_A)
        assert acme.errors == {"Amount": self.WHY}
        assert "Amount" not in acme.to_sheet


# -- records deleted or leaving the filter -----------------------------------------------------
class TestRecordGone:
    """A linked record is deleted in Salesforce or no longer matches the filter.

    on_record_deleted | deleted                        | out of filter
    ------------------+--------------------------------+-------------------------------
    mark              | row kept, MARKED, "Deleted…"   | row kept, MARKED, "No longer…"
    delete_row        | DELETE_ROW                     | DELETE_ROW
    keep              | row kept, DETACHED, no note    | row kept, DETACHED, no note
    """

    @pytest.mark.parametrize(
        ("choice", "deleted", "action", "state", "note"),
        [
            (OnRecordDeleted.MARK, True, Action.NONE, LinkState.MARKED, Notes.DELETED),
            (OnRecordDeleted.MARK, False, Action.NONE, LinkState.MARKED, Notes.OUT_OF_FILTER),
            (OnRecordDeleted.DELETE_ROW, True, Action.DELETE_ROW, LinkState.LINKED, ""),
            (OnRecordDeleted.DELETE_ROW, False, Action.DELETE_ROW, LinkState.LINKED, ""),
            (OnRecordDeleted.KEEP, True, Action.NONE, LinkState.DETACHED, ""),
            (OnRecordDeleted.KEEP, False, Action.NONE, LinkState.DETACHED, ""),
        ],
        ids=[
            "mark-deleted",
            "mark-out-of-filter",
            "delete_row-deleted",
            "delete_row-out-of-filter",
            "keep-deleted",
            "keep-out-of-filter",
        ],
    )
    def test_record_gone(
        self,
        choice: OnRecordDeleted,
        deleted: bool,
        action: Action,
        state: LinkState,
        note: str,
    ) -> None:
        result = (
            linked_acme()
            .on_record_deleted(choice)
            # either deleted, or alive but outside the filter
            .with_record(ACME, Name="Acme deal", Amount=1000, deleted=deleted, in_filter=deleted)
            .plan()
        )

        acme = for_record(result, ACME)
        assert (acme.action, acme.state, acme.note) == (action, state, note)
        assert (acme.to_sheet, acme.to_salesforce) == ({}, {})

    def test_edits_to_a_marked_row_go_nowhere(self) -> None:
        result = (
            a_snapshot()
            .with_link(ACME, ROW_A, state=LinkState.MARKED, note=Notes.DELETED, Amount=1000)
            .with_row(ROW_A, record=ACME, Amount=5000)
            .plan()
        )

        acme = for_row(result, ROW_A)
        assert acme.to_salesforce == {}
        assert (acme.state, acme.note) == (LinkState.MARKED, Notes.DELETED)

    def test_record_returning_to_the_filter_syncs_again_and_loses_its_note(self) -> None:
        result = (
            a_snapshot()
            .with_link(
                ACME,
                ROW_A,
                state=LinkState.MARKED,
                note=Notes.OUT_OF_FILTER,
                Name="Acme deal",
                Amount=1000,
            )
            .with_record(ACME, Name="Acme deal", Amount=1100, in_filter=True)
            .plan()
        )

        acme = for_record(result, ACME)
        assert (acme.state, acme.note) == (LinkState.LINKED, "")
        assert acme.to_sheet == {"Amount": 1100}

    def test_detached_row_relinks_when_the_record_matches_again(self) -> None:
        result = (
            a_snapshot()
            .with_link(ACME, ROW_A, state=LinkState.DETACHED, Name="Acme deal", Amount=1000)
            .with_record(ACME, Name="Acme deal", Amount=1000)
            .plan()
        )

        assert for_record(result, ACME).state is LinkState.LINKED

    @pytest.mark.parametrize(
        ("deleted", "in_filter"), [(True, True), (False, False)], ids=["deleted", "filtered"]
    )
    def test_unlinked_record_outside_the_workflow_gets_no_row(
        self, deleted: bool, in_filter: bool
    ) -> None:
        result = (
            a_snapshot()
            .with_record(ACME, Name="Acme deal", Amount=1, deleted=deleted, in_filter=in_filter)
            .plan()
        )

        assert result.links == []


# -- new records, new rows, relinks ------------------------------------------------------------
class TestNewRecords:
    def test_new_record_becomes_a_new_row(self) -> None:
        result = a_snapshot().with_record(ACME, Name="Acme deal", Amount=1000).plan()

        acme = for_record(result, ACME)
        assert acme.action is Action.ADD_ROW
        assert acme.row_id is None
        assert acme.to_sheet == {"Name": "Acme deal", "Amount": 1000}
        assert acme.after == {"Name": "Acme deal", "Amount": 1000}

    def test_new_row_carries_only_fields_that_flow_to_the_sheet(self) -> None:
        result = (
            a_snapshot()
            .with_rule("Amount", Direction.TO_SALESFORCE)
            .with_record(ACME, Name="Acme deal", Amount=1000)
            .plan()
        )

        assert for_record(result, ACME).to_sheet == {"Name": "Acme deal"}

    def test_a_mapped_field_missing_from_the_record_is_an_empty_cell(self) -> None:
        result = a_snapshot().with_record(ACME, Name="Acme deal").plan()

        assert for_record(result, ACME).to_sheet == {"Name": "Acme deal", "Amount": None}


class TestNewRows:
    def test_new_row_is_not_sent_to_salesforce_without_the_option(self) -> None:
        result = a_snapshot().with_row(ROW_A, Name="Hand-typed deal", Amount=5).plan()

        row = for_row(result, ROW_A)
        assert row.action is Action.NONE
        assert row.to_salesforce == {}
        assert row.note == Notes.NOT_LINKED

    def test_new_row_creates_a_record_when_the_option_is_on(self) -> None:
        result = (
            a_snapshot()
            .creating_records_from_rows()
            .with_row(ROW_A, Name="Hand-typed deal", Amount=5)
            .plan()
        )

        row = for_row(result, ROW_A)
        assert row.action is Action.CREATE_RECORD
        assert row.to_salesforce == {"Name": "Hand-typed deal", "Amount": 5}
        assert row.state is LinkState.CREATING  # a crash now must not create it twice
        assert row.write_id_cell is True

    def test_empty_new_row_creates_nothing_yet(self) -> None:
        result = (
            a_snapshot().creating_records_from_rows().with_row(ROW_A, Name="", Amount=None).plan()
        )

        row = for_row(result, ROW_A)
        assert row.action is Action.NONE
        assert (row.to_salesforce, row.note) == ({}, "")

    def test_new_row_with_only_to_smartsheet_values_creates_nothing(self) -> None:
        result = (
            a_snapshot()
            .with_rule("Name", Direction.TO_SMARTSHEET)
            .creating_records_from_rows()
            .with_row(ROW_A, Name="Typed into a one-way column", Amount=None)
            .plan()
        )

        assert for_row(result, ROW_A).action is Action.NONE

    def test_new_row_with_an_unreadable_cell_waits_for_the_fix(self) -> None:
        result = (
            a_snapshot()
            .creating_records_from_rows()
            .with_row(ROW_A, Name="Hand-typed deal", errors={"Amount": "not a number"})
            .plan()
        )

        row = for_row(result, ROW_A)
        assert row.action is Action.NONE
        assert row.errors == {"Amount": "not a number"}
        assert row.to_salesforce == {}

    def test_row_left_half_created_by_a_crash_is_flagged_not_created_again(self) -> None:
        result = (
            a_snapshot()
            .creating_records_from_rows()
            .with_link(None, ROW_A, state=LinkState.CREATING, Name="Hand-typed deal")
            .with_row(ROW_A, Name="Hand-typed deal", Amount=5)
            .plan()
        )

        row = for_row(result, ROW_A)
        assert row.action is Action.NONE
        assert row.note == Notes.MAYBE_CREATED
        assert row.to_salesforce == {}


class TestRelink:
    def test_row_carrying_an_unlinked_id_is_relinked_not_duplicated(self) -> None:
        result = (
            a_snapshot()
            .with_record(ACME, Name="Acme deal", Amount=1000)
            .with_row(ROW_A, record=ACME, Name="Acme deal", Amount=1000)
            .plan()
        )

        assert result.of(Action.ADD_ROW) == []
        acme = for_record(result, ACME)
        assert acme.row_id == ROW_A
        assert (acme.to_sheet, acme.to_salesforce) == ({}, {})
        assert acme.after == {"Name": "Acme deal", "Amount": 1000}

    def test_relinked_row_with_different_values_follows_the_policy_silently(self) -> None:
        # No synced value yet, so this is not a logged conflict: Salesforce wins.
        result = (
            a_snapshot()
            .with_record(ACME, Name="Acme deal", Amount=1000)
            .with_row(ROW_A, record=ACME, Name="Acme deal", Amount=7)
            .plan()
        )

        assert for_record(result, ACME).to_sheet == {"Amount": 1000}
        assert result.conflicts == []

    def test_second_row_with_an_already_linked_id_is_flagged_as_duplicate(self) -> None:
        result = linked_acme().with_row(ROW_B, record=ACME, Name="Acme deal", Amount=1000).plan()

        copy = for_row(result, ROW_B)
        assert copy.action is Action.NONE
        assert copy.record_id is None
        assert "Duplicate" in copy.note

    def test_relinked_id_the_owner_cannot_see_is_let_go(self) -> None:
        result = a_snapshot().with_row(ROW_A, record=GLOBEX, Name="Not ours").plan()

        row = for_row(result, ROW_A)
        assert row.action is Action.UNLINK
        assert row.note == Notes.UNKNOWN_RECORD

    def test_an_edited_id_cell_is_written_back(self) -> None:
        result = linked_acme().with_row(ROW_A, record=None, Name="Acme deal", Amount=1000).plan()

        acme = for_row(result, ROW_A)
        assert acme.write_id_cell is True
        assert acme.record_id == ACME


class TestRowDeleted:
    """A linked row deleted in the sheet: the record is left alone in Salesforce and keeps a
    row-less link (a tombstone), so it does not come back as a new row."""

    def test_row_deleted_in_the_sheet_writes_nothing(self) -> None:
        result = linked_acme().with_row_deleted(ROW_A).plan()

        acme = for_record(result, ACME)
        assert acme.action is Action.NONE
        assert (acme.to_sheet, acme.to_salesforce) == ({}, {})
        assert (acme.row_id, acme.state) == (None, LinkState.DETACHED)

    def test_record_of_a_deleted_row_does_not_get_a_new_row_in_the_same_tick(self) -> None:
        result = (
            linked_acme()
            .with_row_deleted(ROW_A)
            .with_record(ACME, Name="Acme renewal", Amount=1000)
            .plan()
        )

        assert result.of(Action.ADD_ROW) == []
        assert for_record(result, ACME).to_sheet == {}

    def test_record_of_a_deleted_row_does_not_come_back_when_seen_again(self) -> None:
        # The next ticks' overlap window returns the record again, changed or not.
        result = (
            a_snapshot()
            .with_link(ACME, None, state=LinkState.DETACHED, Name="Acme deal", Amount=1000)
            .with_record(ACME, Name="Acme renewal", Amount=1000)
            .plan()
        )

        assert result.of(Action.ADD_ROW) == []
        assert writes(result) == []


# -- safety rails --------------------------------------------------------------------------
def many_links(count: int) -> SnapshotBuilder:
    builder = a_snapshot()
    for n in range(count):
        builder.with_link(record_id(n), row_id(n), Name=f"Deal {n}", Amount=n + 1)
    return builder


def row_less(result: Plan) -> list[LinkPlan]:
    return [p for p in result.links if p.record_id and p.row_id is None and p.action is Action.NONE]


class TestSafetyRails:
    """Limits() allows 20 % of linked rows per tick, but always at least 5 (the floor)."""

    def test_deleting_more_rows_than_allowed_stops_the_workflow(self) -> None:
        builder = many_links(100)
        for n in range(21):
            builder.with_row_deleted(row_id(n))

        with pytest.raises(SafetyStop, match="remove 21 of 100 linked rows"):
            builder.plan()

    def test_deleting_up_to_the_share_goes_ahead(self) -> None:
        builder = many_links(100)
        for n in range(20):
            builder.with_row_deleted(row_id(n))

        assert len(row_less(builder.plan())) == 20

    def test_mass_delete_in_salesforce_with_delete_row_stops_the_workflow(self) -> None:
        builder = many_links(50).on_record_deleted(OnRecordDeleted.DELETE_ROW)
        for n in range(11):
            builder.with_record(record_id(n), Name=f"Deal {n}", Amount=n + 1, deleted=True)

        with pytest.raises(SafetyStop) as stop:
            builder.plan()
        assert "Nothing was changed" in str(stop.value)

    def test_blanking_many_salesforce_values_from_the_sheet_stops_the_workflow(self) -> None:
        builder = many_links(50)
        for n in range(11):
            builder.with_row(row_id(n), record=record_id(n), Name=f"Deal {n}", Amount=None)

        with pytest.raises(SafetyStop, match="blank 11 Salesforce values"):
            builder.plan()

    def test_small_workflow_may_always_change_a_few_rows(self) -> None:
        builder = many_links(4)
        for n in range(4):
            builder.with_row_deleted(row_id(n))

        assert len(row_less(builder.plan())) == 4

    def test_the_floor_is_a_floor_not_a_free_pass(self) -> None:
        builder = many_links(6)
        for n in range(6):
            builder.with_row_deleted(row_id(n))

        with pytest.raises(SafetyStop):
            builder.plan()

    def test_limits_are_configurable(self) -> None:
        builder = many_links(10)
        for n in range(10):
            builder.with_row_deleted(row_id(n))

        result = builder.plan(Limits(max_delete_share=1.0))

        assert len(row_less(result)) == 10
