"""Which Salesforce field may be mapped to which sheet column, in which direction, and why not.

The table below holds one deliberate answer for every (kind of field, column type) pair and
each direction; `compatibility` adds what depends on the particular field and column (read-only
fields, dropdown options, long texts). Reasons are sentences for the Slack mapping modal, with
{field} and {column} standing for the field label and the column title.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType

from sync.convert_kinds import Kind, kind_of, unsupported_reason
from sync.model import ColumnType, Direction, SalesforceField, SheetColumn

CELL_LIMIT = 4000  # characters a Smartsheet cell holds (longer values are cut silently)


class Compat(Enum):
    OK = "ok"
    WARN = "warn"  # works, with a consequence the person should know
    NO = "no"  # cannot work; the modal refuses the mapping

    @property
    def severity(self) -> int:
        return (Compat.OK, Compat.WARN, Compat.NO).index(self)


@dataclass(frozen=True)
class Compatibility:
    level: Compat
    reason: str = ""  # plain sentence for the Slack modal, empty for OK


OK = Compatibility(Compat.OK)


def _warn(reason: str) -> Compatibility:
    return Compatibility(Compat.WARN, reason)


def _no(reason: str) -> Compatibility:
    return Compatibility(Compat.NO, reason)


# (to the sheet, to Salesforce)
Rule = tuple[Compatibility, Compatibility]
_OK_BOTH: Rule = (OK, OK)


def _refuse(reason: str) -> Rule:
    return (_no(reason), _no(reason))


def _only(fits: dict[Kind, Rule], otherwise: str) -> dict[Kind, Rule]:
    """Rules for a column that takes only the kinds in `fits` and refuses every other kind."""
    return {kind: fits.get(kind, _refuse(otherwise)) for kind in Kind if kind != Kind.UNSUPPORTED}


_ID_IS_SET_BY_SALESFORCE = (
    "{field} is the record's own Id, which Salesforce sets; it can only be copied to the sheet."
)
_TYPE_AS = "Values typed in {column} must be written as {form}."
_DATE_ONLY = (
    "{column} is a Date column and holds only dates; map a date field to it, "
    "or use a Text/Number column for {field}."
)
_SYSTEM_COLUMN = (
    "{column} is filled in by Smartsheet (created or modified time) and cannot be written."
)
_PROJECT_COLUMN = (
    "{column} is a project-schedule column that Smartsheet calculates; it cannot be synced."
)
_CHECKBOX_ONLY = (
    "{column} is a Checkbox column and holds only checked or unchecked; "
    "map a checkbox (true/false) field to it."
)
_DROPDOWN_ONLY = (
    "{column} is a dropdown column; map a picklist or text field to it, "
    "or use a Text/Number column for {field}."
)
_MULTI_DROPDOWN_ONLY = "{column} is a multi-select dropdown; map a multi-select picklist to it."
_CONTACT_ONLY = "{column} is a contact column; map an email field to it."
_ONE_VALUE = "{field} takes one value; a row whose {column} holds several shows an error."
_PROJECT_RULES: dict[Kind, Rule] = {
    kind: _refuse(_PROJECT_COLUMN) for kind in Kind if kind != Kind.UNSUPPORTED
}

RULES: MappingProxyType[ColumnType, dict[Kind, Rule]] = MappingProxyType(
    {
        ColumnType.TEXT_NUMBER: {
            Kind.TEXT: _OK_BOTH,
            Kind.EMAIL: _OK_BOTH,
            Kind.ID: (OK, _no(_ID_IS_SET_BY_SALESFORCE)),
            Kind.REFERENCE: (
                OK,
                _warn(_TYPE_AS.replace("{form}", "15- or 18-character record Ids")),
            ),
            Kind.PICKLIST: _OK_BOTH,
            Kind.MULTIPICKLIST: _OK_BOTH,
            Kind.BOOLEAN: (
                _warn(
                    "{column} shows true or false as text; a Checkbox column fits {field} better."
                ),
                _warn(_TYPE_AS.replace("{form}", "yes/no, true/false or 1/0")),
            ),
            Kind.INTEGER: _OK_BOTH,
            Kind.DECIMAL: _OK_BOTH,
            # Written as text such as "12.5%" so a cell's percent format cannot scale it by 100.
            Kind.PERCENT: _OK_BOTH,
            Kind.DATE: (OK, _warn(_TYPE_AS.replace("{form}", "YYYY-MM-DD"))),
            Kind.DATETIME: (
                OK,
                _warn(_TYPE_AS.replace("{form}", "YYYY-MM-DD HH:MM in UTC (or with a zone)")),
            ),
            Kind.TIME: (OK, _warn(_TYPE_AS.replace("{form}", "HH:MM (24-hour)"))),
        },
        ColumnType.DATE: _only(
            {
                Kind.DATE: _OK_BOTH,
                Kind.DATETIME: (
                    _warn("{column} shows only the date (in UTC) of {field}; the time is dropped."),
                    _warn("A date changed in {column} is written to {field} as midnight UTC."),
                ),
            },
            _DATE_ONLY,
        ),
        ColumnType.DATETIME: {
            kind: (
                _no(_SYSTEM_COLUMN),
                {
                    Kind.DATE: _warn("{field} gets the date (in UTC) of {column}."),
                    Kind.DATETIME: OK,
                }.get(
                    kind,
                    _no("{column} holds a time stamp; only a date or date/time field takes it."),
                ),
            )
            for kind in Kind
            if kind != Kind.UNSUPPORTED
        },
        ColumnType.ABSTRACT_DATETIME: _PROJECT_RULES,
        ColumnType.DURATION: _PROJECT_RULES,
        ColumnType.PREDECESSOR: _PROJECT_RULES,
        ColumnType.CHECKBOX: _only({Kind.BOOLEAN: _OK_BOTH}, _CHECKBOX_ONLY),
        ColumnType.PICKLIST: _only(
            {
                Kind.PICKLIST: _OK_BOTH,
                Kind.TEXT: _OK_BOTH,
                Kind.MULTIPICKLIST: _refuse(
                    "{column} is a single-choice dropdown but {field} holds several values; "
                    "use a multi-select dropdown column."
                ),
            },
            _DROPDOWN_ONLY,
        ),
        ColumnType.MULTI_PICKLIST: _only(
            {Kind.MULTIPICKLIST: _OK_BOTH, Kind.PICKLIST: (OK, _warn(_ONE_VALUE))},
            _MULTI_DROPDOWN_ONLY,
        ),
        ColumnType.CONTACT_LIST: _only({Kind.EMAIL: _OK_BOTH}, _CONTACT_ONLY),
        ColumnType.MULTI_CONTACT_LIST: _only({Kind.EMAIL: (OK, _warn(_ONE_VALUE))}, _CONTACT_ONLY),
    }
)


def _not_writable(field: SalesforceField) -> Compatibility | None:
    if field.is_related:
        return _no("{field} comes from a related record, so it can only be copied to the sheet.")
    if field.calculated:
        return _no("{field} is calculated by Salesforce, so it can only be copied to the sheet.")
    if not field.writable:
        return _no(
            "{field} is read-only for your Salesforce user, so it can only be copied to the sheet."
        )
    if not field.updateable:
        return _warn("{field} can be set only when a record is created; later edits show an error.")
    return None


def _missing_options(field: SalesforceField, column: SheetColumn) -> Compatibility | None:
    if not column.validation or column.type not in (ColumnType.PICKLIST, ColumnType.MULTI_PICKLIST):
        return None
    if kind_of(field) not in (Kind.PICKLIST, Kind.MULTIPICKLIST):
        return _warn(
            "{column} accepts only its options; rows with other {field} values show an error."
        )
    missing = [v for v in field.picklist_values if v not in column.options]
    if not missing:
        return None
    return _warn(
        f"{{column}} accepts only its options and lacks {', '.join(missing)}; "
        "rows with those values show an error."
    )


def _extra_options(field: SalesforceField, column: SheetColumn) -> Compatibility | None:
    if not field.restricted_picklist or not field.picklist_values:
        return None
    extra = [v for v in column.options if v not in field.picklist_values]
    if not extra:
        return None
    return _warn(
        f"{{field}} accepts only its own values, not {', '.join(extra)}; "
        "rows with those show an error."
    )


def _too_long(field: SalesforceField) -> Compatibility | None:
    if kind_of(field) != Kind.TEXT or field.length <= CELL_LIMIT:
        return None
    return _warn(
        f"{{field}} holds up to {field.length:,} characters but a sheet cell holds {CELL_LIMIT:,}; "
        "longer texts show an error in the row."
    )


def _findings(
    field: SalesforceField, column: SheetColumn, direction: Direction
) -> list[Compatibility]:
    kind = kind_of(field)
    if kind == Kind.UNSUPPORTED:
        return [_no(unsupported_reason(field))]
    to_sheet, to_salesforce = RULES[column.type][kind]
    found: list[Compatibility | None] = []
    if direction.to_sheet:
        found += [to_sheet, _missing_options(field, column), _too_long(field)]
    if direction.to_salesforce:
        found.append(to_salesforce)
        if to_salesforce.level != Compat.NO:  # one reason is enough when the pair never works
            found += [_not_writable(field), _extra_options(field, column)]
    return [f for f in found if f is not None]


def _fill(reason: str, field: SalesforceField, column: SheetColumn) -> str:
    return reason.replace("{field}", field.label).replace("{column}", column.title)


def compatibility(
    field: SalesforceField, column: SheetColumn, direction: Direction
) -> Compatibility:
    """Whether `field` may be mapped to `column` in `direction`, and if not quite, why."""
    findings = _findings(field, column, direction)
    worst = max((f.level for f in findings), key=lambda level: level.severity, default=Compat.OK)
    reasons: list[str] = []
    for finding in findings:
        text = _fill(finding.reason, field, column)
        if finding.level == worst and text and text not in reasons:
            reasons.append(text)
    return Compatibility(worst, " ".join(reasons))
