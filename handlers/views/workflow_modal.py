"""The builder modal's views, one pure function per step (issue #7).

Each takes the draft and what the listener fetched, and returns a view that `guard`
has passed: whatever the object (500 fields) or the sheet (400 columns), long lists go
through external selects with type-ahead and summaries are packed to stay within 100 blocks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from handlers.builder.ids import NEW_COLUMN_VALUE, ActionId, BlockId, CallbackId
from handlers.builder.metadata import ViewState
from handlers.ids import ActionId as CommonAction
from handlers.views.kit import (
    Block,
    actions,
    button,
    checkboxes,
    context,
    divider,
    external_select,
    input_block,
    modal,
    option,
    overflow,
    radio,
    section,
    static_select,
    text_input,
)
from handlers.views.limits import MAX_BLOCKS, MAX_OPTIONS, MAX_SECTION_TEXT, clip, guard
from sync.convert import Compat, Compatibility
from sync.draft import MAX_CONDITIONS, Draft, Preset
from sync.model import (
    Condition,
    ConflictPolicy,
    Direction,
    FieldMapping,
    OnRecordDeleted,
    SalesforceField,
    SheetColumn,
)
from sync.preview import Preview
from sync.services import ConnectUrls
from sync.soql import OPERATORS

TITLE = "Workflow"
MARKS = {Direction.BOTH: "⇄", Direction.TO_SMARTSHEET: "→", Direction.TO_SALESFORCE: "←"}
DIRECTION_TEXT = {
    Direction.BOTH: "Both ways",
    Direction.TO_SMARTSHEET: "To sheet",
    Direction.TO_SALESFORCE: "To Salesforce",
}
# intro, divider, preset note, warnings, empty note, actions, auto-map, help
_SUMMARY_FIXED_BLOCKS = 8


@dataclass(frozen=True)
class CaseAccess:
    """Whether the Service Cloud preset may be offered, and if not, why."""

    ok: bool
    reason: str = ""


def loading_view(
    title: str = TITLE, text: str = "Loading your Salesforce and Smartsheet data…"
) -> Block:
    """Opened inside the 3-second trigger window; `views.update` fills it."""
    blocks = [section(f":hourglass_flowing_sand: {text}")]
    return guard(modal(CallbackId.LOADING, title, blocks, "", close="Close"))


def failed_view(message: str, state: ViewState, title: str = TITLE) -> Block:
    """Replaces the placeholder when filling it failed: the reason and a Retry button."""
    blocks = [
        section(f":warning: {message}"),
        actions(BlockId.RETRY, button("Retry", ActionId.RETRY, state.draft_id, "primary")),
    ]
    return guard(modal(CallbackId.FAILED, title, blocks, state.dump(), close="Close"))


CONNECT_NAMES = {"salesforce": "Salesforce", "smartsheet": "Smartsheet"}


def connect_first_view(state: ViewState, missing: Sequence[str], urls: ConnectUrls | None) -> Block:
    """The builder needs both connections: the connect prompt's buttons for what is
    missing, and Retry to go on once connected (links are single-use and personal)."""
    names = " and ".join(CONNECT_NAMES[m] for m in missing) or "Salesforce and Smartsheet"
    blocks = [section(f":electric_plug: Connect {names} first: syncbot works with your rights.")]
    if urls is None:
        blocks.append(context("Run `/sync connect` to connect, then press Retry."))
    else:
        links = []
        if "salesforce" in missing:
            links += [
                button(
                    "Connect Salesforce",
                    CommonAction.CONNECT_SALESFORCE,
                    "production",
                    style="primary",
                    url=urls.salesforce,
                ),
                button(
                    "Salesforce sandbox",
                    CommonAction.CONNECT_SALESFORCE_SANDBOX,
                    "sandbox",
                    url=urls.salesforce_sandbox,
                ),
            ]
        if "smartsheet" in missing:
            links.append(
                button(
                    "Connect Smartsheet",
                    CommonAction.CONNECT_SMARTSHEET,
                    "smartsheet",
                    style="primary",
                    url=urls.smartsheet,
                )
            )
        notes = "Links work once, for you only, for 10 minutes. Then press Retry."
        if "salesforce" in missing:  # its modal would open over this one: /sync connect has it
            notes += " Signing in at a My Domain? Use `/sync connect`, then Retry."
        blocks += [actions(BlockId.CONNECT, *links), context(notes)]
    blocks.append(actions(BlockId.RETRY, button("Retry", ActionId.RETRY, state.draft_id)))
    return guard(modal(CallbackId.FAILED, TITLE, blocks, state.dump(), close="Close"))


def what_view(
    state: ViewState,
    draft: Draft,
    connections: Sequence[tuple[int, str]],
    case: CaseAccess,
    object_label: str = "",
    sheet_label: str = "",
) -> Block:
    """Step 1: connection, preset, object, sheet (or a new one), name."""
    choices = [option(label, str(cid)) for cid, label in connections[:MAX_OPTIONS]]
    blocks = [
        input_block(
            BlockId.CONNECTION,
            "Salesforce connection",
            static_select(ActionId.CONNECTION, choices, str(draft.salesforce_connection_id)),
            dispatch=True,
        ),
        _preset_block(draft, case),
        input_block(
            BlockId.OBJECT,
            "Salesforce object",
            external_select(
                ActionId.OBJECT,
                "Type to search objects",
                option(object_label or draft.object, draft.object) if draft.object else None,
            ),
            dispatch=True,
            optional=True,  # the Service Cloud preset picks Case; checked on submit
        ),
        input_block(
            BlockId.SHEET,
            "Sheet (where you are Editor or above)",
            external_select(
                ActionId.SHEET,
                "Type to search sheets, or pick New sheet",
                option(sheet_label or str(draft.sheet_id), str(draft.sheet_id))
                if draft.sheet_id
                else None,
            ),
        ),
        input_block(
            BlockId.NEW_SHEET,
            "Name of the new sheet",
            text_input(ActionId.NEW_SHEET, draft.new_sheet_name),
            optional=True,
            hint="Only with New sheet: it gets one column per mapping, of the matching type.",
        ),
        input_block(BlockId.NAME, "Workflow name", text_input(ActionId.NAME, draft.name)),
    ]
    if not case.ok:
        blocks.insert(2, context(f"Service Cloud preset unavailable: {case.reason}"))
    elif draft.case_hidden:
        blocks.insert(2, context(preset_leaves_out(draft.case_hidden)))
    return guard(modal(CallbackId.WHAT, _title(draft), blocks, state.dump(), submit="Next"))


def preset_leaves_out(hidden: Sequence[str]) -> str:
    return (
        f"The Service Cloud preset leaves out {', '.join(hidden)}: your Salesforce user "
        "cannot see it (field-level security)."
    )


def _preset_block(draft: Draft, case: CaseAccess) -> Block:
    presets = [option("Salesforce (any object)", Preset.SALESFORCE)]
    if case.ok:
        presets.append(
            option("Service Cloud (Cases with their usual fields)", Preset.SERVICE_CLOUD)
        )
    return input_block(
        BlockId.PRESET, "Preset", radio(ActionId.PRESET, presets, draft.preset), dispatch=True
    )


def _warning_blocks(warnings: Sequence[str], head: str) -> list[Block]:
    """The caveats of the mappings in one section (clipped to Slack's 3,000 characters)."""
    lines = "\n".join(f"• {w}" for w in warnings)
    return [section(clip(f":warning: *{head}:*\n{lines}", MAX_SECTION_TEXT))]


def mappings_view(
    state: ViewState,
    draft: Draft,
    fields: Mapping[str, SalesforceField | None],
    warnings: Sequence[str] = (),
) -> Block:
    """Step 2: one line per mapping with a menu; Add mapping; auto-map by name. Mappings
    that work with a caveat say which (they are allowed; errors stop Next)."""
    blocks = [
        section(f"*{draft.object}* ↔ *{_sheet_name(draft)}*: {len(draft.fields)} mapping(s)."),
        divider(),
    ]
    if draft.preset == Preset.SERVICE_CLOUD and draft.case_hidden:
        blocks.append(context(preset_leaves_out(draft.case_hidden)))
    blocks += _mapping_blocks(draft.fields, fields)
    if warnings:
        blocks += _warning_blocks(warnings, "Works, with a caveat")
    if not draft.fields:
        blocks.append(section("_Nothing mapped yet._"))
    blocks += [
        actions(BlockId.MAPPING_TOOLS, button("Add mapping", ActionId.ADD_MAPPING, "", "primary")),
        input_block(
            BlockId.MAPPINGS,
            "Auto-map",
            checkboxes(
                ActionId.AUTO_MAP,
                [option("Propose pairs by name for existing columns", "auto")],
                [],
            ),
            optional=True,
            dispatch=True,  # ticking it adds the pairs to the summary, to review before Next
            hint="The pairs show above at once; remove any you do not want.",
        ),
        context("⇄ both ways · → Salesforce to sheet · ← sheet to Salesforce"),
    ]
    return guard(modal(CallbackId.MAPPINGS, _title(draft), blocks, state.dump(), submit="Next"))


def _mapping_blocks(
    mappings: Sequence[FieldMapping], fields: Mapping[str, SalesforceField | None]
) -> list[Block]:
    """A row with a menu per mapping while they fit in the block budget; past that the first
    ones keep their menu and the rest are listed as text (edited through Add mapping)."""
    budget = MAX_BLOCKS - _SUMMARY_FIXED_BLOCKS
    lines = [_mapping_line(m, fields.get(m.field)) for m in mappings]
    for rows in range(min(len(mappings), budget), -1, -1):
        packed = _packed_lines(lines[rows:])
        if rows + len(packed) <= budget:
            break
    menus = [_mapping_row(i, m, fields.get(m.field)) for i, m in enumerate(mappings[:rows])]
    return menus + packed[: budget - rows]


def _mapping_row(index: int, mapping: FieldMapping, field: SalesforceField | None) -> Block:
    menu = [option("Edit", f"edit:{index}")]
    writable = field is not None and field.writable
    for direction in Direction if writable else (Direction.TO_SMARTSHEET,):
        if direction != mapping.direction:
            menu.append(option(DIRECTION_TEXT[direction], f"direction:{index}:{direction.value}"))
    menu.append(option("Remove", f"remove:{index}"))
    return section(
        _mapping_line(mapping, field),
        block_id=f"mapping_{index}",
        accessory=overflow(ActionId.MAPPING_MENU, menu),
    )


def _mapping_line(mapping: FieldMapping, field: SalesforceField | None) -> str:
    label = field.label if field else mapping.field
    read_only = "" if field is None or field.writable else " _(read-only)_"
    line = f"{label}{read_only} {MARKS[mapping.direction]} {mapping.column}"
    return clip(line, 120)


def _packed_lines(lines: list[str]) -> list[Block]:
    """Many lines in few section blocks, each within Slack's 3,000 characters."""
    blocks: list[Block] = []
    chunk = ""
    for line in lines:
        if len(chunk) + len(line) + 1 > MAX_SECTION_TEXT:
            blocks.append(section(chunk))
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    return [*blocks, section(chunk)] if chunk else blocks


def add_mapping_view(
    state: ViewState,
    field: SalesforceField | None,
    columns: Sequence[tuple[SheetColumn, Compatibility]],
    mapping: FieldMapping | None = None,
) -> Block:
    """Pushed over the summary: a field (type-ahead), then a compatible column, then a
    direction. Columns that can never work are left out; warnings show in the label."""
    blocks = [
        input_block(
            BlockId.FIELD,
            "Salesforce field",
            external_select(
                ActionId.FIELD,
                "Type to search fields (Account.Name for related records)",
                option(_field_text(field), field.name) if field else None,
            ),
            dispatch=True,
        ),
    ]
    if field is not None:
        blocks += [
            _column_block(columns, mapping),
            input_block(
                BlockId.NEW_COLUMN,
                "New column title",
                text_input(ActionId.NEW_COLUMN, placeholder=field.label),
                optional=True,
                hint="Only with “new column”: created with the type that fits the field.",
            ),
            _direction_block(field, mapping),
        ]
    warnings = [c for c, verdict in columns if verdict.level is Compat.WARN][:3]
    if warnings:
        blocks.append(context("⚠ marks a column that works with a caveat; the summary says which."))
    return guard(
        modal(
            CallbackId.ADD_MAPPING, "Add mapping", blocks, state.dump(), submit="Add", close="Back"
        )
    )


def _field_text(field: SalesforceField) -> str:
    read_only = "" if field.writable else " · read-only"
    return f"{field.label} ({field.name}){read_only}"


def _column_block(
    columns: Sequence[tuple[SheetColumn, Compatibility]], mapping: FieldMapping | None
) -> Block:
    usable = [(c, v) for c, v in columns if v.level is not Compat.NO]
    if len(usable) >= MAX_OPTIONS:  # a very wide sheet: type-ahead, same filtering
        chosen = option(mapping.column, mapping.column) if mapping else None
        element = external_select(ActionId.COLUMN, "Type to search columns", chosen)
    else:
        choices = [option("+ New column", NEW_COLUMN_VALUE)] + [
            option(("⚠ " if v.level is Compat.WARN else "") + c.title, c.title) for c, v in usable
        ]
        element = static_select(ActionId.COLUMN, choices, mapping.column if mapping else None)
    return input_block(BlockId.COLUMN, "Sheet column", element)


def _direction_block(field: SalesforceField, mapping: FieldMapping | None) -> Block:
    allowed = list(Direction) if field.writable else [Direction.TO_SMARTSHEET]
    choices = [option(DIRECTION_TEXT[d], d.value) for d in allowed]
    initial = mapping.direction.value if mapping else allowed[-1].value
    hint = "" if field.writable else "Read-only, related and formula fields go to the sheet only."
    return input_block(
        BlockId.DIRECTION, "Direction", radio(ActionId.DIRECTION, choices, initial), hint=hint
    )


OPTION_DEFAULTS = {
    BlockId.CREATE_RECORDS: "Off by default: rows typed in the sheet stay rows.",
    BlockId.ON_DELETED: "Mark by default: the row stays and its status says the record is gone.",
    BlockId.CONFLICTS: "Salesforce wins by default when both sides changed the same value.",
}


def filter_view(state: ViewState, draft: Draft, labels: Mapping[str, str]) -> Block:
    """Step 3: up to five conditions (field / operator / value), all or any, and options."""
    blocks: list[Block] = [section("*Filter* (optional): which records belong to the sheet.")]
    conditions = list(draft.filter.conditions)
    for i in range(MAX_CONDITIONS):
        current = conditions[i] if i < len(conditions) else None
        blocks += _condition_blocks(i, current, labels)
    match = [option("All conditions", "all"), option("Any condition", "any")]
    blocks.append(
        input_block(
            BlockId.MATCH,
            "Match",
            radio(ActionId.MATCH, match, "all" if draft.filter.match_all else "any"),
        )
    )
    blocks += [divider(), *_option_blocks(draft), *_sync_column_blocks(draft)]
    return guard(modal(CallbackId.FILTER, _title(draft), blocks, state.dump(), submit="Preview"))


def _condition_blocks(index: int, cond: Condition | None, labels: Mapping[str, str]) -> list[Block]:
    field_initial = option(labels.get(cond.field, cond.field), cond.field) if cond else None
    ops = [option(op, op) for op in OPERATORS]
    value = "" if cond is None or cond.value is None else _value_text(cond.value)
    return [
        input_block(
            f"filter_field_{index}",
            f"Condition {index + 1}: field",
            external_select(ActionId.FILTER_FIELD, "Type to search fields", field_initial),
            optional=True,
        ),
        input_block(
            f"filter_op_{index}",
            "operator",
            static_select(ActionId.FILTER_OP, ops, cond.op if cond else None),
            optional=True,
        ),
        input_block(
            f"filter_value_{index}",
            "value",
            text_input(ActionId.FILTER_VALUE, value, "for in / not in: values separated by commas"),
            optional=True,
        ),
    ]


def _value_text(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def _option_blocks(draft: Draft) -> list[Block]:
    opts = draft.options
    create = [option("Create Salesforce records from new rows", "yes")]
    deleted = [option(d.value.replace("_", " ").capitalize(), d.value) for d in OnRecordDeleted]
    conflicts = [option(c.value.replace("_", " ").capitalize(), c.value) for c in ConflictPolicy]
    return [
        input_block(
            BlockId.CREATE_RECORDS,
            "New rows",
            checkboxes(
                ActionId.CREATE_RECORDS, create, ["yes"] if opts.create_records_from_rows else []
            ),
            optional=True,
            hint=OPTION_DEFAULTS[BlockId.CREATE_RECORDS],
        ),
        input_block(
            BlockId.ON_DELETED,
            "When a record is deleted",
            static_select(ActionId.ON_DELETED, deleted, opts.on_record_deleted.value),
            hint=OPTION_DEFAULTS[BlockId.ON_DELETED],
        ),
        input_block(
            BlockId.CONFLICTS,
            "When both sides changed",
            static_select(ActionId.CONFLICTS, conflicts, opts.conflicts.value),
            hint=OPTION_DEFAULTS[BlockId.CONFLICTS],
        ),
    ]


SYNC_COLUMN_HINTS = {
    BlockId.ID_COLUMN: "Syncbot keeps each row's record Id here; not a mapped column.",
    BlockId.STATUS_COLUMN: "Syncbot writes a row's sync errors here; not a mapped column.",
}


def _sync_column_blocks(draft: Draft) -> list[Block]:
    """The two columns syncbot adds to the sheet, prefilled with their names."""
    return [
        input_block(
            BlockId.ID_COLUMN,
            "Id column",
            text_input(ActionId.ID_COLUMN, draft.id_column),
            hint=SYNC_COLUMN_HINTS[BlockId.ID_COLUMN],
        ),
        input_block(
            BlockId.STATUS_COLUMN,
            "Status column",
            text_input(ActionId.STATUS_COLUMN, draft.status_column),
            hint=SYNC_COLUMN_HINTS[BlockId.STATUS_COLUMN],
        ),
    ]


DRY_RUN_STARTS = "Running the dry run: counting the matching records…"


def dry_run_progress(checked: int, of: int) -> str:
    return f"Running the dry run: checked {checked:,} / {of:,} records…"


def preview_view(state: ViewState, draft: Draft, result: Preview) -> Block:
    """The dry run. Save is offered only when nothing blocks."""
    checked = (
        f"Values checked in the first {result.checked:,} records only (the dry run stops "
        "there); the first sync reports any others in the status column."
        if result.capped
        else f"Values checked in all {result.checked:,} matching records."
    )
    blocks = [
        section(f"*{result.matching:,}* {draft.object} records match."),
        context(checked),
        section(_sample_table(result)),
        section(result.existing),
    ]
    if result.failure_count:
        lines = [f"• {f.column} of {f.record_id}: {f.message}" for f in result.failures]
        more = result.failure_count - len(result.failures)
        if more:
            lines.append(f"…and {more:,} more.")
        n = result.failure_count
        values = "value would fail" if n == 1 else "values would fail"
        head = f":warning: *{n:,} {values}* (shown in their rows):"
        blocks += _packed_lines([head, *lines])[:20]
    if result.warnings:
        blocks += _warning_blocks(result.warnings, "Allowed, with a caveat")
    if result.blocking:
        blocks.append(section(":no_entry: " + " ".join(result.blocking)))
    submit = "Save" if result.can_save else None
    return guard(
        modal(CallbackId.PREVIEW, "Preview", blocks, state.dump(), submit=submit, close="Back")
    )


def _sample_table(result: Preview) -> str:
    if not result.sample:
        return "_No record matches, so the sheet starts empty._"
    rows = [" | ".join(result.headers), *(" | ".join(r) for r in result.sample)]
    body = "\n".join(clip(r, 400) for r in rows)
    return clip(f"First {len(result.sample)} rows as the sheet will show them:\n```{body}```", 2990)


def confirm_view(state: ViewState, changes: Sequence[str]) -> Block:
    """Editing changed the object or the sheet: say what follows and ask."""
    lines = "\n".join(f"• {c}" for c in changes)
    blocks = [
        section(f"*This change starts the workflow over:*\n{lines}"),
        context("Changes take effect on the next sync."),
    ]
    return guard(
        modal(
            CallbackId.CONFIRM,
            "Confirm change",
            blocks,
            state.dump(),
            submit="Change",
            close="Back",
        )
    )


def saved_view(draft: Draft) -> Block:
    """What replaces the modal once the workflow is stored (no button left to press)."""
    if draft.editing:
        text = f":white_check_mark: “{draft.name}” is saved. Changes take effect on the next sync."
    else:
        text = (
            f":white_check_mark: “{draft.name}” is saved. The first sync runs now: its "
            "progress and summary arrive in your messages with syncbot."
        )
    blocks = [section(text), context("`/sync list` shows your workflows; `/sync edit ID` edits.")]
    return guard(modal(CallbackId.SAVED, "Saved", blocks, "", close="Close"))


def failed_save_view(message: str) -> Block:
    blocks = [
        section(f":warning: Nothing was saved: {message}"),
        context("Close this and start again with `/sync create` (or `/sync edit ID`)."),
    ]
    return guard(modal(CallbackId.FAILED, "Not saved", blocks, "", close="Close"))


def change_consequences(
    before: Draft, after: Draft, connections: Mapping[int, str] | None = None
) -> list[str]:
    """What switching the connection, object or sheet does; empty when none changed."""
    out = []
    if before.salesforce_connection_id != after.salesforce_connection_id:
        names = connections or {}
        old = names.get(before.salesforce_connection_id, "the owner's connection")
        new = names.get(after.salesforce_connection_id, "another connection")
        out.append(f"The Salesforce connection changes from {old} to {new}.")
    if before.object != after.object:
        out.append(f"The object changes from {before.object} to {after.object}.")
    if before.sheet_id != after.sheet_id or after.creates_sheet:
        out.append(f"The sheet changes to {_sheet_name(after)}.")
    if out:
        out += [
            "Links between records and rows are dropped; the old rows stay in the old sheet.",
            "A new backfill fills the sheet with the matching records.",
        ]
    return out


def _title(draft: Draft) -> str:
    return "Edit workflow" if draft.editing else "New workflow"


def _sheet_name(draft: Draft) -> str:
    if draft.creates_sheet:
        return f"new sheet “{draft.new_sheet_name}”"
    return f"sheet {draft.sheet_id}" if draft.sheet_id else "a sheet"
