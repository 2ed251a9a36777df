"""Random edits on both sides, then sync: both sides converge, no row is duplicated, and
every edit survives unless the other side changed the same field in the same interval
(then Salesforce wins, the default policy). Changes are per field and by value: saving a
value that is already there is no change."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from sync.model import Condition, Direction, Filter
from sync.store import repo

from .conftest import World

STAGES = ["Prospecting", "Qualification", "Needs Analysis", "Closed Won"]
FIELDS = {"Name": "Deal", "Amount": "Amount", "StageName": "Stage"}
names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
values = {"Name": names, "Amount": st.integers(0, 10**6), "StageName": st.sampled_from(STAGES)}


def test_random_edits_on_both_sides_converge(world: World) -> None:
    class Sync(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.prefix = f"H{uuid.uuid4().hex[:6]}"
            self.ids = [
                world.sf.insert(
                    "Opportunity",
                    {
                        "Name": f"{self.prefix} {i}",
                        "StageName": "Prospecting",
                        "CloseDate": "2027-01-01",
                        "Amount": i,
                    },
                )
                for i in range(3)
            ]
            self.sheet = world.sheet(
                ("Deal", "TEXT_NUMBER"), ("Amount", "TEXT_NUMBER"), ("Stage", "TEXT_NUMBER")
            )
            self.workflow = world.workflow(
                self.sheet,
                [(f, c, Direction.BOTH) for f, c in FIELDS.items()],
                flt=Filter((Condition("Name", "starts with", self.prefix),)),
            )
            world.tick()
            self.expected = {
                rid: {f: world.sf.get_record("Opportunity", rid)[f] for f in FIELDS}
                for rid in self.ids
            }
            self.sf_edits: dict[tuple[str, str], object] = {}
            self.sheet_edits: dict[tuple[str, str], object] = {}

        def _keep_prefix(self, field: str, value: object) -> object:
            return f"{self.prefix} {value}" if field == "Name" else value  # stay in the filter

        @rule(index=st.integers(0, 2), field=st.sampled_from(list(FIELDS)), data=st.data())
        def edit_salesforce(self, index: int, field: str, data: st.DataObject) -> None:
            value = self._keep_prefix(field, data.draw(values[field]))
            world.sf.update("Opportunity", self.ids[index], {field: value})
            self.sf_edits[(self.ids[index], field)] = value

        @rule(index=st.integers(0, 2), field=st.sampled_from(list(FIELDS)), data=st.data())
        def edit_sheet(self, index: int, field: str, data: st.DataObject) -> None:
            value = self._keep_prefix(field, data.draw(values[field]))
            row = world.row_of(self.sheet, self.ids[index])
            world.ss.edit_cells(self.sheet, row["_id"], {FIELDS[field]: value})
            self.sheet_edits[(self.ids[index], field)] = value

        @rule()
        def sync(self) -> None:
            report = world.tick()
            assert report.failures == []
            # A side changed a field when its last value differs from the one synced: saving
            # the value already there (or writing one and then the old one back) changes
            # nothing, and the other side's real edit then goes through.
            changed = [
                {k: v for k, v in edits.items() if v != self.expected[k[0]][k[1]]}
                for edits in (self.sheet_edits, self.sf_edits)
            ]
            for (rid, field), value in {**changed[0], **changed[1]}.items():
                self.expected[rid][field] = value  # Salesforce's edit overrides the sheet's
            self.sf_edits.clear()
            self.sheet_edits.clear()
            self._converged()

        def _converged(self) -> None:
            rows = world.rows(self.sheet)
            held = [r["Salesforce Id"] for r in rows]
            assert sorted(held) == sorted(self.ids), "a row was lost or duplicated"
            for rid in self.ids:
                record = world.sf.get_record("Opportunity", rid)
                row = world.row_of(self.sheet, rid)
                for field, column in FIELDS.items():
                    assert record[field] == self.expected[rid][field], (rid, field)
                    assert row[column] == self.expected[rid][field], (rid, column)

        @invariant()
        def no_duplicate_links(self) -> None:
            with world.store.unit() as session:
                links = repo.links(session, self.workflow)
            records = [link.record_id for link in links]
            assert len(records) == len(set(records))

        def teardown(self) -> None:
            with world.store.unit() as session:
                repo.pause_workflows(session, [self.workflow], "example done", datetime.now(UTC))

    run_state_machine_as_test(
        Sync,
        settings=settings(
            max_examples=6,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
