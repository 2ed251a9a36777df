"""Carry out a Plan against both services in the largest batches they accept, and work out
what each link looks like afterwards (the caller stores that in one transaction).

Partial success everywhere: a record Salesforce rejects or a row Smartsheet refuses keeps
its last synced values (so the change is tried again when it changes again) and shows its
error in the row's status column; every other record and row goes through.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sync.convert import ConversionError, to_salesforce
from sync.layout import Layout
from sync.model import Canon, CellWrite
from sync.planner import RECORD_ERROR, Action, LinkPlan, LinkState, Plan
from sync.ports import (
    EncodedRows,
    NewRow,
    RowUpdate,
    SalesforcePort,
    SmartsheetPort,
    WriteError,
)

STATUS_LIMIT = 4000
ROW_NOT_FOUND = "1006"  # Smartsheet's errorCode for a row id that no longer exists
RECORD = RECORD_ERROR
TO_SMARTSHEET, TO_SALESFORCE = "to_smartsheet", "to_salesforce"  # Direction values


@dataclass
class Outcome:
    """The link after execution; `drop` removes it."""

    before: tuple[str | None, int | None]
    record_id: str | None
    row_id: int | None
    synced: dict[str, Canon]
    state: LinkState
    note: str
    status: str
    errors: dict[str, str]
    drop: bool = False
    pending: bool = False  # Smartsheet refused the write: fetch the record again next tick
    new: bool = False  # a record that had no link before this run (its first row)
    intended: bool = False  # already stored as a write-ahead intent this run
    # the stored JSON of `synced` with the values it was made from: the final save of a
    # new row's link mostly stores what its intent stored (sync.store.ledger)
    synced_text: tuple[dict[str, Canon], str] | None = field(
        default=None, repr=False, compare=False
    )


@dataclass
class Stats:
    rows_created: int = 0
    rows_updated: int = 0
    rows_deleted: int = 0
    records_created: int = 0
    records_updated: int = 0
    row_errors: int = 0
    conflicts: int = 0


@dataclass
class Prepared:
    """A plan made ready to write: its outcomes so far and the new rows' cells."""

    plan: Plan
    work: list[LinkPlan]
    outcomes: dict[int, Outcome]
    new_rows: list[tuple[LinkPlan, NewRow]] = field(default_factory=list)
    encoded: EncodedRows | None = None  # the new rows as the connector sends them


@dataclass(frozen=True)
class Written:
    """Values one accepted write put on one side; the audit trail records these."""

    plan: LinkPlan
    outcome: Outcome
    direction: str  # "to_smartsheet" | "to_salesforce"
    values: Mapping[str, Canon]


@dataclass
class Execution:
    outcomes: list[Outcome] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)
    written: list[Written] = field(default_factory=list)


IntentSaver = Callable[[Sequence[Outcome]], None]


class Executor:
    def __init__(
        self,
        layout: Layout,
        salesforce: SalesforcePort,
        smartsheet: SmartsheetPort,
        statuses: Mapping[tuple[str | None, int | None], str],
        row_statuses: Mapping[int, str],
        save_intents: IntentSaver,
    ) -> None:
        self.layout = layout
        self.sf = salesforce
        self.ss = smartsheet
        self.statuses = statuses  # stored status per link key
        self.row_statuses = row_statuses  # status cell text of rows read this tick
        self.save_intents = save_intents

    def run(self, plan: Plan) -> Execution:
        return self.finish(self.prepare(plan))

    def prepare(self, plan: Plan) -> Prepared:
        """What needs no call: the outcomes, the new rows' cells, and their intents stored
        (a backfill prepares page n+1 while page n's rows are being sent)."""
        work = [p for p in plan.links if p.changed or p.errors or p.note or self._status_of(p)]
        prepared = Prepared(plan, work, {id(p): self._outcome(p) for p in work})
        adds = [p for p in work if p.action is Action.ADD_ROW]
        prepared.new_rows = self._new_rows(adds, prepared.outcomes)
        if prepared.new_rows:
            prepared.encoded = self.ss.encode_rows([row for _, row in prepared.new_rows])
            self._intend_rows([prepared.outcomes[id(p)] for p in adds])
        return prepared

    def finish(self, prepared: Prepared) -> Execution:
        """The writes, Salesforce first, then the sheet."""
        work, outcomes = prepared.work, prepared.outcomes
        result = Execution()
        result.stats.conflicts = len(prepared.plan.conflicts)
        self._create_records(
            [p for p in work if p.action is Action.CREATE_RECORD], outcomes, result
        )
        self._update_records(
            [p for p in work if p.to_salesforce and p.action is Action.NONE and p.record_id],
            outcomes,
            result,
        )
        self._add_rows(prepared, outcomes, result)
        self._update_rows(
            [
                p
                for p in work
                if p.row_id is not None
                # an unlinked row still gets its note (e.g. an Id the owner cannot see)
                and p.action in (Action.NONE, Action.CREATE_RECORD, Action.UNLINK)
            ],
            outcomes,
            result,
        )
        self._delete_rows([p for p in work if p.action is Action.DELETE_ROW], outcomes, result)
        for p in work:
            if p.action is Action.UNLINK:
                outcomes[id(p)].drop = True
        result.outcomes = [
            o
            for p, o in ((p, outcomes[id(p)]) for p in work)
            if o.record_id is not None or o.row_id is not None
        ]
        result.stats.row_errors = sum(1 for o in result.outcomes if o.errors)
        return result

    # -- Salesforce ----------------------------------------------------------------
    def _create_records(
        self, plans: list[LinkPlan], outcomes: dict[int, Outcome], result: Execution
    ) -> None:
        if not plans:
            return
        self.save_intents([outcomes[id(p)] for p in plans])  # crash guard before creating
        payloads, ready = self._salesforce_payloads(plans, outcomes)
        results = self.sf.create(self.layout.workflow.object_name, payloads) if payloads else []
        for p, res in zip(ready, results, strict=True):
            out = outcomes[id(p)]
            if res.success and res.id:
                out.record_id, out.state = res.id, LinkState.LINKED
                result.stats.records_created += 1
                result.written.append(Written(p, out, TO_SALESFORCE, dict(p.to_salesforce)))
            else:
                out.errors[RECORD] = self._write_error_text(res.errors)
                out.drop = True  # nothing was created; the row shows why
        self.save_intents([outcomes[id(p)] for p in plans])  # ids known: commit them now

    def _update_records(
        self, plans: list[LinkPlan], outcomes: dict[int, Outcome], result: Execution
    ) -> None:
        if not plans:
            return
        payloads, ready = self._salesforce_payloads(plans, outcomes, with_id=True)
        results = self.sf.update(self.layout.workflow.object_name, payloads) if payloads else []
        for p, res in zip(ready, results, strict=True):
            out = outcomes[id(p)]
            if res.success:
                result.stats.records_updated += 1
                result.written.append(Written(p, out, TO_SALESFORCE, dict(p.to_salesforce)))
            else:
                out.errors[RECORD] = self._write_error_text(res.errors)
                for name in p.to_salesforce:  # not synced: keep the old agreement
                    _restore(out.synced, p.before, name)

    def _salesforce_payloads(
        self, plans: list[LinkPlan], outcomes: dict[int, Outcome], with_id: bool = False
    ) -> tuple[list[dict[str, Any]], list[LinkPlan]]:
        payloads, ready = [], []
        for p in plans:
            body: dict[str, Any] = {"Id": p.record_id} if with_id else {}
            for name, value in p.to_salesforce.items():
                body[self.layout.mapping(name).field.name] = to_salesforce(
                    value, self.layout.mapping(name).field
                )
            payloads.append(body)
            ready.append(p)
        return payloads, ready

    # -- Smartsheet ----------------------------------------------------------------
    def _new_rows(
        self, plans: list[LinkPlan], outcomes: dict[int, Outcome]
    ) -> list[tuple[LinkPlan, NewRow]]:
        rows = []
        for p in plans:
            out = outcomes[id(p)]
            cells = self._cells(p, out)
            cells[self.layout.id_column.id] = CellWrite(value=p.record_id)
            out.status = self._render_status(out)
            if out.status:  # a value the sheet cannot hold shows in the new row at once
                cells[self.layout.status_column.id] = CellWrite(value=out.status)
            rows.append((p, NewRow(cells)))
        return rows

    def _add_rows(
        self, prepared: Prepared, outcomes: dict[int, Outcome], result: Execution
    ) -> None:
        if not prepared.new_rows or prepared.encoded is None:
            return
        bulk = self.ss.add_rows(self.layout.workflow.sheet_id, prepared.encoded)
        for (p, _), res in zip(prepared.new_rows, bulk.results, strict=True):
            out = outcomes[id(p)]
            if res.error is None and res.row_id is not None:
                out.row_id = res.row_id
                result.stats.rows_created += 1
                result.written.append(Written(p, out, TO_SMARTSHEET, _sent(p, out)))
            else:
                # kept as a link without a row, so the next tick tries the row again
                message = res.error.message if res.error else "no row id returned"
                out.errors[RECORD] = f"Smartsheet refused the new row: {message}"
                out.synced, out.pending = {}, True

    def _intend_rows(self, intents: list[Outcome]) -> None:
        """Crash guard: store what the new rows will hold before adding them. A crash
        before the links are stored leaves rows carrying their Ids; the next tick links
        them back with these values as the last synced ones, so a later edit of such a
        row is an edit, not a conflict. `pending` has the record read again, so a row
        the crash kept from being added is added then."""
        for out in intents:
            out.pending = True
        self.save_intents(intents)
        for out in intents:
            out.pending = False

    def _update_rows(
        self, plans: list[LinkPlan], outcomes: dict[int, Outcome], result: Execution
    ) -> None:
        updates, ready = [], []
        for p in plans:
            out = outcomes[id(p)]
            if (
                p.action is Action.CREATE_RECORD
                and out.record_id is None
                and RECORD not in out.errors
            ):
                continue
            cells = self._cells(p, out)
            if p.write_id_cell and out.record_id:
                cells[self.layout.id_column.id] = CellWrite(value=out.record_id)
            status = self._render_status(out)
            out.status = status
            if status != self._status_of(p):
                cells[self.layout.status_column.id] = CellWrite(value=status or None)
            if cells and out.row_id is not None:
                updates.append(RowUpdate(out.row_id, cells))
                ready.append(p)
        if not updates:
            return
        bulk = self.ss.update_rows(self.layout.workflow.sheet_id, updates)
        for p, res in zip(ready, bulk.results, strict=True):
            out = outcomes[id(p)]
            if res.error is None:
                if p.to_sheet:
                    result.stats.rows_updated += 1
                    result.written.append(Written(p, out, TO_SMARTSHEET, _sent(p, out)))
                continue
            if res.error.code == ROW_NOT_FOUND:
                # deleted in the sheet since we last looked: keep a tombstone, as the
                # planner does for rows it sees missing
                out.row_id, out.state, out.note, out.errors = None, LinkState.DETACHED, "", {}
                continue
            out.errors[RECORD] = f"Smartsheet refused the update: {res.error.message}"
            out.status, out.pending = self._status_of(p), True
            for name in p.to_sheet:
                _restore(out.synced, p.before, name)

    def _delete_rows(
        self, plans: list[LinkPlan], outcomes: dict[int, Outcome], result: Execution
    ) -> None:
        ids = [p.row_id for p in plans if p.row_id is not None]
        if ids:
            self.ss.delete_rows(self.layout.workflow.sheet_id, ids)
            result.stats.rows_deleted += len(ids)
        for p in plans:
            outcomes[id(p)].drop = True

    def _cells(self, p: LinkPlan, out: Outcome) -> dict[int, CellWrite]:
        cells: dict[int, CellWrite] = {}
        writers = self.layout.cell_writers
        for name, value in p.to_sheet.items():
            column_id, write = writers[name]
            try:
                cells[column_id] = write(value)
            except ConversionError as exc:
                out.errors[name] = str(exc)
                _restore(out.synced, p.before, name)
        return cells

    # -- status --------------------------------------------------------------------
    def _outcome(self, p: LinkPlan) -> Outcome:
        return Outcome(
            before=(p.record_id, p.row_id),
            record_id=p.record_id,
            row_id=p.row_id,
            synced=dict(p.after),
            state=p.state,
            note=p.note,
            status=self._status_of(p),
            errors=dict(p.errors),
            new=p.unlinked,
            # a row with no record (not linked, duplicate Id) is never stored as a link
            drop=p.action in (Action.UNLINK, Action.DELETE_ROW)
            or (p.record_id is None and p.action is not Action.CREATE_RECORD),
        )

    def _status_of(self, p: LinkPlan) -> str:
        if p.row_id is not None and p.row_id in self.row_statuses:
            return self.row_statuses[p.row_id]
        return self.statuses.get((p.record_id, p.row_id), "")

    def _render_status(self, out: Outcome) -> str:
        text = "⚠ " + "; ".join(dict.fromkeys(out.errors.values())) if out.errors else out.note
        return text if len(text) <= STATUS_LIMIT else text[: STATUS_LIMIT - 1] + "…"

    def _write_error_text(self, errors: Sequence[WriteError]) -> str:
        parts = []
        for error in errors or (WriteError("UNKNOWN", "Salesforce gave no reason"),):
            labels = [self._label(f) for f in error.fields]
            prefix = (
                ", ".join(labels) + ": "
                if labels and not error.message.startswith(labels[0])
                else ""
            )
            parts.append(f"{prefix}{error.message}")
        return "Salesforce: " + "; ".join(parts)

    def _label(self, name: str) -> str:
        for m in self.layout.mappings:
            if m.field.name.lower() == name.lower():
                return m.field.label
        return name


def _sent(p: LinkPlan, out: Outcome) -> dict[str, Canon]:
    """The sheet values that went out (a cell that could not be converted did not)."""
    return {name: value for name, value in p.to_sheet.items() if name not in out.errors}


def _restore(synced: dict[str, Canon], before: Mapping[str, Canon], name: str) -> None:
    if name in before:
        synced[name] = before[name]
    else:
        synced.pop(name, None)
