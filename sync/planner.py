"""The three-way merge: what to write where, decided from snapshots (pure, no IO, no clock).

Inputs are the workflow's links (record ↔ row, with the values both sides last agreed
on), the records Salesforce reported as changed this tick, and the rows Smartsheet
reported as changed. A value counts as changed only when its canonical form differs from
the last synced one, so our own writes (which move SystemModstamp and the sheet version)
never echo back. Records or rows not seen this tick are taken as unchanged.

Per field (s = Salesforce now, c = cell now, b = last synced):

    s == c                 nothing to write; b := s
    c unreadable           SF changed and may flow to the sheet → overwrite the bad cell;
                           otherwise keep the row error and wait for a fix
    b unknown (new link)   treat as a conflict, decided by policy and direction
    c == b, s != b         Salesforce edit → sheet (if the mapping flows that way)
    s == b, c != b         sheet edit → Salesforce (if it may), else the cell is put back
    all three differ       conflict: policy decides, direction constrains, one is logged
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from sync.errors import SafetyStop
from sync.model import Canon, ConflictPolicy, OnRecordDeleted, WorkflowOptions

_MISSING = object()


RECORD_ERROR = "_record"  # error key of a whole-record failure (a write that was refused)


class LinkState(StrEnum):
    LINKED = "linked"  # values flow
    MARKED = "marked"  # record deleted / out of filter; the row carries a note
    DETACHED = "detached"  # same, with option "keep": the row is left as it is
    CREATING = "creating"  # a record is being created from this row (crash guard)


class Notes:
    DELETED = "Deleted in Salesforce"
    OUT_OF_FILTER = "No longer matches this workflow's filter"
    NOT_LINKED = "Not linked: creating records from rows is off for this workflow"
    MAYBE_CREATED = (
        "syncbot may already have created this record (it stopped mid-way); "
        "check Salesforce and put the record Id in the Id column, or clear this note"
    )
    ONE_WAY = "Created; not sent: {fields} (filled from Salesforce, typed values are not sent)"
    UNKNOWN_RECORD = "No Salesforce record with this Id that the workflow owner can see"
    OUTSIDE_FILTER = "Not created: these values do not match this workflow's filter"
    FILTER_UNKNOWN = (
        "Not created: the workflow's filter uses fields this sheet does not map, "
        "so a new record could not be shown to match it"
    )


@dataclass(frozen=True)
class FieldRule:
    """One mapping as the planner needs it: may values flow each way?"""

    field: str
    to_sheet: bool
    to_salesforce: bool  # already false for read-only / related fields


@dataclass(frozen=True)
class Link:
    record_id: str | None
    row_id: int | None
    synced: Mapping[str, Canon]
    state: LinkState = LinkState.LINKED
    note: str = ""
    fresh: bool = False  # made this tick from a row that carries an Id (a relink)
    rehomed: bool = False  # moved this tick to a new row that carries its Id
    errors: Mapping[str, str] = field(default_factory=dict)  # row errors still standing


@dataclass(frozen=True)
class RecordSeen:
    id: str
    values: Mapping[str, Canon]
    modstamp: datetime | None = None
    deleted: bool = False
    in_filter: bool = True
    modified_by: str | None = None  # LastModifiedBy.Name (else its Id), for the audit trail


@dataclass(frozen=True)
class RowSeen:
    id: int
    record_id: str | None
    values: Mapping[str, Canon]
    errors: Mapping[str, str] = field(default_factory=dict)  # field → why the cell is unreadable
    modified_at: datetime | None = None
    in_filter: bool | None = True  # would a record made from it match? None: cannot tell
    modified_by: str | None = None  # e-mail of the row's last editor (audit trail, DMs)


@dataclass(frozen=True)
class Snapshot:
    rules: tuple[FieldRule, ...]
    options: WorkflowOptions
    links: tuple[Link, ...]
    records: Mapping[str, RecordSeen]
    rows: Mapping[int, RowSeen]
    missing_rows: frozenset[int] = frozenset()  # linked rows no longer on the sheet
    linked_total: int | None = None  # rows linked in all (links may be only the touched ones)


class Action(StrEnum):
    NONE = "none"
    ADD_ROW = "add_row"
    CREATE_RECORD = "create_record"
    DELETE_ROW = "delete_row"
    UNLINK = "unlink"


@dataclass
class LinkPlan:
    """What happens to one record/row pair. `after` is the synced state if every write works."""

    record_id: str | None
    row_id: int | None
    before: Mapping[str, Canon]
    after: dict[str, Canon]
    state: LinkState = LinkState.LINKED
    action: Action = Action.NONE
    to_sheet: dict[str, Canon] = field(default_factory=dict)
    to_salesforce: dict[str, Canon] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    note: str = ""
    write_id_cell: bool = False  # the row's Id cell must be (re)written
    moved: bool = False  # state, row or note differ from the stored link
    unlinked: bool = False  # no stored link exists yet (a record's first row)

    @property
    def changed(self) -> bool:
        return bool(
            self.action is not Action.NONE
            or self.to_sheet
            or self.to_salesforce
            or self.write_id_cell
            or self.moved
            or dict(self.before) != self.after
        )


@dataclass(frozen=True)
class Conflict:
    record_id: str
    row_id: int
    field: str
    salesforce: Canon
    sheet: Canon
    winner: str  # "salesforce" | "smartsheet"


@dataclass
class Plan:
    links: list[LinkPlan] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    def of(self, action: Action) -> list[LinkPlan]:
        return [p for p in self.links if p.action is action]


@dataclass(frozen=True)
class Limits:
    """Safety rails: the share of linked rows one tick may delete or blank."""

    max_delete_share: float = 0.2
    max_blank_share: float = 0.2
    floor: int = 5  # small workflows may always change this many


def plan(snapshot: Snapshot, limits: Limits = Limits()) -> Plan:
    result = Plan()
    links = _with_relinks(snapshot)
    by_record = {link.record_id: link for link in links if link.record_id}
    adopted = _adopt_created(snapshot, links, set(by_record))
    for link in links:
        if _touched(link, snapshot):
            planned = _plan_link(link, snapshot, result, adopted)
            planned.moved = link.rehomed or (planned.state, planned.row_id, planned.note) != (
                link.state,
                link.row_id,
                link.note,
            )
            result.links.append(planned)
    taken = set(adopted.values())
    for record in snapshot.records.values():
        if (
            record.id not in by_record
            and record.id not in taken
            and record.in_filter
            and not record.deleted
        ):
            result.links.append(_new_row(record, snapshot.rules))
    linked_rows = {link.row_id for link in links if link.row_id is not None}
    for row in snapshot.rows.values():
        if row.id not in linked_rows:
            result.links.append(_unlinked_row(row, snapshot))
    _check_limits(result, snapshot, links, limits)
    return result


# -- links -----------------------------------------------------------------------------
def _with_relinks(snapshot: Snapshot) -> list[Link]:
    """Rows that carry a record Id but no link (a crash after adding rows, or a sheet that
    already had the Ids) are linked back instead of getting a duplicate row."""
    links = list(snapshot.links)
    by_record = {link.record_id: i for i, link in enumerate(links) if link.record_id}
    linked_rows = {
        link.row_id
        for link in links
        if link.row_id is not None and link.row_id not in snapshot.missing_rows
    }
    for row in sorted(snapshot.rows.values(), key=lambda r: r.id):
        if row.id in linked_rows or not row.record_id:
            continue
        index = by_record.get(row.record_id)
        if index is None:
            links.append(Link(record_id=row.record_id, row_id=row.id, synced={}, fresh=True))
            by_record[row.record_id] = len(links) - 1
        else:
            old = links[index]
            if old.row_id is not None and old.row_id not in snapshot.missing_rows:
                continue  # the Id is held by a row that still exists: this one is a copy
            # its row was deleted, or moved (copied, pasted, the original deleted): this
            # row takes the link over with what was synced, so nothing is lost or redone
            state = LinkState.LINKED if old.state is LinkState.DETACHED else old.state
            links[index] = replace(old, row_id=row.id, state=state, rehomed=True)
        linked_rows.add(row.id)
    return links


def _adopt_created(
    snapshot: Snapshot, links: list[Link], linked: set[str]
) -> dict[int | None, str]:
    """After a crash between creating a record and recording it, the record shows up in
    Salesforce unlinked. Match it to the row it came from by the values we sent, so the
    row is linked instead of the record getting a second row."""
    adopted: dict[int | None, str] = {}
    for link in links:
        if link.state is not LinkState.CREATING or not link.synced:
            continue
        for record in snapshot.records.values():
            if record.id in linked or record.id in adopted.values():
                continue
            if all(record.values.get(k) == v for k, v in link.synced.items()):
                adopted[link.row_id] = record.id
                break
    return adopted


def _touched(link: Link, snapshot: Snapshot) -> bool:
    return (
        link.record_id in snapshot.records
        or link.row_id in snapshot.rows
        or link.row_id in snapshot.missing_rows
        or link.state is LinkState.CREATING
    )


def _plan_link(
    link: Link, snapshot: Snapshot, result: Plan, adopted: Mapping[int | None, str]
) -> LinkPlan:
    base = LinkPlan(
        link.record_id, link.row_id, link.synced, dict(link.synced), link.state, note=link.note
    )
    if link.row_id in snapshot.missing_rows:
        # The row was deleted in the sheet: keep a tombstone so the record is not added
        # again the next time Salesforce reports it; Salesforce itself is left alone.
        base.row_id, base.state, base.note = None, LinkState.DETACHED, ""
        return base
    if link.row_id is None and link.state is LinkState.DETACHED:
        return base
    if link.row_id is None and link.state is LinkState.LINKED:
        return _row_again(base, snapshot.records.get(link.record_id or ""), snapshot.rules)
    row = snapshot.rows.get(link.row_id) if link.row_id is not None else None
    if link.state is LinkState.CREATING:
        found = adopted.get(link.row_id) or (row.record_id if row is not None else None)
        if not found:
            base.note = Notes.MAYBE_CREATED
            return base
        # the record we were creating turned up, or the person typed its Id: link them.
        # A record adopted by the values we sent was written with them: they are the
        # last synced values, so an edit of the row since is an edit, not a conflict.
        synced = dict(link.synced) if adopted.get(link.row_id) == found else {}
        base.record_id, base.before, base.after = found, synced, dict(synced)
        base.write_id_cell = row is None or row.record_id != found
        link = Link(found, link.row_id, synced, LinkState.LINKED, fresh=True)
    record = snapshot.records.get(link.record_id or "")
    if row is not None and row.record_id != link.record_id:
        base.write_id_cell = True  # someone edited the Id cell; the workflow owns it
    if record is None and link.fresh:
        base.note = Notes.UNKNOWN_RECORD  # relinked Id that the owner cannot see
        base.action = Action.UNLINK
        return base
    if record is not None and (record.deleted or not record.in_filter):
        return _gone(base, record, snapshot.options)
    if record is None and link.state in (LinkState.MARKED, LinkState.DETACHED):
        return base  # the record is gone or filtered out; edits to its row go nowhere
    base.state = LinkState.LINKED
    base.note = ""
    _merge_fields(base, record, row, snapshot, result, link.errors)
    if row is None and RECORD_ERROR in link.errors and not base.to_salesforce:
        base.errors[RECORD_ERROR] = link.errors[RECORD_ERROR]  # still refused; row not re-read
    return base


def _row_again(base: LinkPlan, record: RecordSeen | None, rules: tuple[FieldRule, ...]) -> LinkPlan:
    """A record whose new row Smartsheet refused: try the row again."""
    if record is None or record.deleted or not record.in_filter:
        return base
    retry = _new_row(record, rules)
    retry.before, retry.unlinked = base.before, False
    return retry


def _gone(base: LinkPlan, record: RecordSeen, options: WorkflowOptions) -> LinkPlan:
    note = Notes.DELETED if record.deleted else Notes.OUT_OF_FILTER
    if options.on_record_deleted is OnRecordDeleted.DELETE_ROW:
        base.action = Action.DELETE_ROW
    elif options.on_record_deleted is OnRecordDeleted.MARK:
        base.state, base.note = LinkState.MARKED, note
    else:
        base.state, base.note = LinkState.DETACHED, ""
    return base


def _merge_fields(
    plan_: LinkPlan,
    record: RecordSeen | None,
    row: RowSeen | None,
    snapshot: Snapshot,
    result: Plan,
    standing: Mapping[str, str],
) -> None:
    for rule in snapshot.rules:
        b = plan_.before.get(rule.field, _MISSING)
        s = record.values.get(rule.field) if record is not None else b
        # an unreadable cell: read now, or known from before when the row was not re-read
        why = row.errors.get(rule.field) if row is not None else standing.get(rule.field)
        if why is not None:
            _unreadable_cell(plan_, rule, s, b, why)
            continue
        c = row.values.get(rule.field) if row is not None else b
        if s is _MISSING and c is _MISSING:
            continue
        if row is None and c is _MISSING:
            # Nothing synced yet and the row was not read: the cell is unknown, not empty.
            # Only Salesforce → sheet may flow (e.g. a field mapped after the last sync).
            if rule.to_sheet:
                _apply(plan_, rule, s, True, b)
            continue
        if s is _MISSING:
            # Nothing synced yet and the record was not fetched: a sheet value may go to a
            # field the sheet masters; anything else waits for the record.
            if rule.to_salesforce and not rule.to_sheet:
                _apply(plan_, rule, c, False, b)
            continue
        _merge_one(plan_, rule, s, c, b, record, row, snapshot.options, result)


def _unreadable_cell(plan_: LinkPlan, rule: FieldRule, s: object, b: object, why: str) -> None:
    if rule.to_sheet and s is not _MISSING and (b is _MISSING or s != b):
        plan_.to_sheet[rule.field] = s  # type: ignore[assignment]
        plan_.after[rule.field] = s  # type: ignore[assignment]
    else:
        plan_.errors[rule.field] = why


def _merge_one(
    plan_: LinkPlan,
    rule: FieldRule,
    s: object,
    c: object,
    b: object,
    record: RecordSeen | None,
    row: RowSeen | None,
    options: WorkflowOptions,
    result: Plan,
) -> None:
    if s == c:
        if s is not _MISSING:
            plan_.after[rule.field] = s  # type: ignore[assignment]
        return
    if s is _MISSING:  # the record was not fetched and nothing was ever synced
        return
    if c is _MISSING:
        c = None  # an empty cell the API did not return
        if s == c:
            plan_.after[rule.field] = None
            return
    sf_changed = b is _MISSING or s != b
    sheet_changed = b is _MISSING or c != b
    if sf_changed and sheet_changed:
        winner = _winner(rule, record, row, options)
        if b is not _MISSING and record is not None and row is not None:
            result.conflicts.append(Conflict(record.id, row.id, rule.field, s, c, winner))  # type: ignore[arg-type]
        _apply(plan_, rule, s if winner == "salesforce" else c, winner == "salesforce", b)
    elif sf_changed:
        if rule.to_sheet:
            _apply(plan_, rule, s, True, b)
    elif rule.to_salesforce:
        _apply(plan_, rule, c, False, b)
    elif rule.to_sheet:
        _apply(plan_, rule, s, True, b)  # one-way field edited in the sheet: put it back


def _apply(plan_: LinkPlan, rule: FieldRule, value: object, to_sheet: bool, b: object) -> None:
    target = plan_.to_sheet if to_sheet else plan_.to_salesforce
    target[rule.field] = value  # type: ignore[assignment]
    plan_.after[rule.field] = value  # type: ignore[assignment]


def _winner(
    rule: FieldRule, record: RecordSeen | None, row: RowSeen | None, options: WorkflowOptions
) -> str:
    """Who wins a conflict: the policy's choice if that direction is allowed, else the other."""
    policy = options.conflicts
    if policy is ConflictPolicy.NEWEST_WINS:
        sf_time = record.modstamp if record else None
        sheet_time = row.modified_at if row else None
        prefer_sheet = bool(sf_time and sheet_time and sheet_time > sf_time)
    else:
        prefer_sheet = policy is ConflictPolicy.SMARTSHEET_WINS
    if prefer_sheet and rule.to_salesforce:
        return "smartsheet"
    if rule.to_sheet:
        return "salesforce"
    return "smartsheet" if rule.to_salesforce else "salesforce"


# -- new things ------------------------------------------------------------------------
def _new_row(record: RecordSeen, rules: tuple[FieldRule, ...]) -> LinkPlan:
    values = {r.field: record.values.get(r.field) for r in rules if r.to_sheet}
    return LinkPlan(
        record.id, None, {}, dict(values), action=Action.ADD_ROW, to_sheet=values, unlinked=True
    )


def _unlinked_row(row: RowSeen, snapshot: Snapshot) -> LinkPlan:
    plan_ = LinkPlan(None, row.id, {}, {})
    if row.record_id:  # carries an Id that another row already holds
        plan_.note = "Duplicate: another row already holds this Salesforce Id"
        return plan_
    if not snapshot.options.create_records_from_rows:
        plan_.note = Notes.NOT_LINKED
        return plan_
    writable = [r for r in snapshot.rules if r.to_salesforce]
    errors = {r.field: row.errors[r.field] for r in writable if r.field in row.errors}
    values = {r.field: row.values.get(r.field) for r in writable if r.field not in errors}
    if errors:
        plan_.errors = errors  # fix the cells first; nothing half-created
        return plan_
    if not any(v not in (None, "") for v in values.values()):
        return plan_  # an empty row: nothing to create yet
    if row.in_filter is not True:
        # a record that would not match the filter would be dropped (or its row deleted)
        # on the very next tick: say why instead of creating it
        plan_.note = Notes.OUTSIDE_FILTER if row.in_filter is False else Notes.FILTER_UNKNOWN
        return plan_
    plan_.action = Action.CREATE_RECORD
    plan_.note = _one_way_note(row, snapshot.rules)
    plan_.to_salesforce = values
    plan_.after = dict(values)
    plan_.state = LinkState.CREATING
    plan_.write_id_cell = True
    return plan_


def _one_way_note(row: RowSeen, rules: tuple[FieldRule, ...]) -> str:
    """Values typed into columns filled from Salesforce only are not sent: say so, as the
    next sync puts Salesforce's value there."""
    ignored = [
        r.field
        for r in rules
        if r.to_sheet and not r.to_salesforce and row.values.get(r.field) not in (None, "")
    ]
    return Notes.ONE_WAY.format(fields=", ".join(ignored)) if ignored else ""


# -- safety rails ----------------------------------------------------------------------
def _check_limits(result: Plan, snapshot: Snapshot, links: list[Link], limits: Limits) -> None:
    linked = snapshot.linked_total
    if linked is None:
        linked = sum(1 for link in links if link.row_id is not None)
    allowed_deletes = max(limits.floor, int(linked * limits.max_delete_share))
    deletes = len(result.of(Action.DELETE_ROW)) + len(snapshot.missing_rows)
    if deletes > allowed_deletes:
        raise SafetyStop(
            f"This run would remove {deletes} of {linked} linked rows, more than the "
            f"{limits.max_delete_share:.0%} syncbot allows at once. Nothing was changed; "
            "check both sides, then resume the workflow to go ahead."
        )
    blanks = sum(
        1
        for p in result.links
        for f, v in p.to_salesforce.items()
        if v in (None, "") and p.before.get(f) not in (None, "")
    )
    allowed_blanks = max(limits.floor, int(linked * limits.max_blank_share))
    if blanks > allowed_blanks:
        raise SafetyStop(
            f"This run would blank {blanks} Salesforce values from the sheet at once. "
            "Nothing was changed; check the sheet, then resume the workflow to go ahead."
        )
