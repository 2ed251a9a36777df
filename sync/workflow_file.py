"""The workflow YAML format of DESIGN.md (`syncbot workflows export` / `import`), pure.

Parsing collects every problem with its place (`workflows[2].fields[0].direction: ...`)
so that one run tells the person everything to fix; nothing is imported from a file with
problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

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


class WorkflowFileError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("The workflow file has problems:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class WorkflowSpec:
    name: str
    team: str
    owner: str
    org: str
    object: str
    sheet: int
    fields: tuple[FieldMapping, ...]
    filter: Filter = field(default_factory=Filter)
    options: WorkflowOptions = field(default_factory=WorkflowOptions)
    id_column: str = "Salesforce Id"
    status_column: str = "Sync Status"
    paused: bool = False


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """PyYAML's message spans lines with a caret drawing; the CLI says it in one line."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    return f"not valid YAML{where}: {problem}"


def parse(text: str) -> list[WorkflowSpec]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise WorkflowFileError([_yaml_problem(exc)]) from None
    if not isinstance(data, dict) or not isinstance(data.get("workflows"), list):
        raise WorkflowFileError(["the file must have a top-level `workflows:` list"])
    problems: list[str] = []
    specs = [_spec(item, f"workflows[{i}]", problems) for i, item in enumerate(data["workflows"])]
    if problems:
        raise WorkflowFileError(problems)
    return [s for s in specs if s is not None]


def dump(specs: list[WorkflowSpec]) -> str:
    return yaml.safe_dump(
        {"workflows": [_to_dict(s) for s in specs]}, sort_keys=False, allow_unicode=True
    )


def _spec(item: Any, where: str, problems: list[str]) -> WorkflowSpec | None:
    if not isinstance(item, dict):
        problems.append(f"{where}: must be a mapping")
        return None
    before = len(problems)
    unknown = set(item) - _KEYS
    if unknown:
        problems.append(
            f"{where}: unknown key(s) {', '.join(sorted(unknown))} "
            f"(expected {', '.join(sorted(_KEYS))})"
        )
    get = _getter(item, where, problems)
    sf, ss = item.get("salesforce") or {}, item.get("smartsheet") or {}
    spec_fields = tuple(
        _mapping(m, f"{where}.fields[{i}]", problems)
        for i, m in enumerate(item.get("fields") or [])
    )
    if not spec_fields:
        problems.append(f"{where}.fields: map at least one field to a column")
    complete = [m for m in spec_fields if m.field and m.column]
    for kind, values in (
        ("column", [m.column for m in complete]),
        ("field", [m.field for m in complete]),
    ):
        repeated = sorted({v for v in values if values.count(v) > 1})
        if repeated:
            problems.append(
                f"{where}.fields: each {kind} may be mapped once ({', '.join(repeated)})"
            )
    options = _options(item.get("options") or {}, f"{where}.options", problems)
    flt = _filter(item.get("filter") or {}, f"{where}.filter", problems)
    sheet = ss.get("sheet") if isinstance(ss, dict) else None
    if not isinstance(sheet, int) or isinstance(sheet, bool):
        problems.append(f"{where}.smartsheet.sheet: must be the sheet's numeric id")
        sheet = 0
    spec = WorkflowSpec(
        name=get("name"),
        team=get("team"),
        owner=get("owner"),
        org=str(sf.get("org", "")) if isinstance(sf, dict) else "",
        object=str(sf.get("object", "")) if isinstance(sf, dict) else "",
        sheet=sheet,
        fields=spec_fields,
        filter=flt,
        options=options,
        id_column=str(item.get("id_column", "Salesforce Id")),
        status_column=str(item.get("status_column", "Sync Status")),
        paused=_boolean(item.get("paused", False), f"{where}.paused", problems),
    )
    if not spec.org or not spec.object:
        problems.append(f"{where}.salesforce: needs `org` (the org id) and `object`")
    return spec if len(problems) == before else None


_KEYS = {
    "name",
    "team",
    "owner",
    "salesforce",
    "smartsheet",
    "filter",
    "fields",
    "options",
    "id_column",
    "status_column",
    "paused",
}
_NEEDS_VALUE = {"=", "!=", "<", "<=", ">", ">=", "in", "not in", "contains", "starts with"}


def _boolean(value: Any, where: str, problems: list[str]) -> bool:
    if not isinstance(value, bool):
        problems.append(f"{where}: true or false")
        return False
    return value


def _getter(item: dict[str, Any], where: str, problems: list[str]) -> Any:
    def get(key: str) -> str:
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}.{key}: required text")
            return ""
        return value.strip()

    return get


def _mapping(item: Any, where: str, problems: list[str]) -> FieldMapping:
    if not isinstance(item, dict) or not item.get("field") or not item.get("column"):
        problems.append(f"{where}: needs `field` and `column`")
        return FieldMapping("", "")
    direction = _enum(Direction, item.get("direction", "both"), f"{where}.direction", problems)
    return FieldMapping(str(item["field"]), str(item["column"]), direction or Direction.BOTH)


def _options(item: Any, where: str, problems: list[str]) -> WorkflowOptions:
    if not isinstance(item, dict):
        problems.append(f"{where}: must be a mapping")
        return WorkflowOptions()
    unknown = set(item) - {"create_records_from_rows", "on_record_deleted", "conflicts"}
    if unknown:
        problems.append(f"{where}: unknown option(s) {', '.join(sorted(unknown))}")
    deleted = _enum(
        OnRecordDeleted,
        item.get("on_record_deleted", "mark"),
        f"{where}.on_record_deleted",
        problems,
    )
    conflicts = _enum(
        ConflictPolicy, item.get("conflicts", "salesforce_wins"), f"{where}.conflicts", problems
    )
    create = _boolean(
        item.get("create_records_from_rows", False), f"{where}.create_records_from_rows", problems
    )
    return WorkflowOptions(
        create, deleted or OnRecordDeleted.MARK, conflicts or ConflictPolicy.SALESFORCE_WINS
    )


def _filter(item: Any, where: str, problems: list[str]) -> Filter:
    if not item:
        return Filter()
    if not isinstance(item, dict) or len(item) != 1 or next(iter(item)) not in ("all", "any"):
        problems.append(f"{where}: use `all: [...]` or `any: [...]`")
        return Filter()
    key = next(iter(item))
    conditions = []
    for i, c in enumerate(item[key] or []):
        here = f"{where}.{key}[{i}]"
        if not isinstance(c, dict) or not c.get("field") or "op" not in c:
            problems.append(f"{here}: needs `field` and `op`")
            continue
        if str(c["op"]).lower() not in OPERATORS:
            problems.append(f"{here}.op: “{c['op']}” is not one of {', '.join(OPERATORS)}")
            continue
        op, value = str(c["op"]).lower(), c.get("value")
        if op in ("in", "not in") and (not isinstance(value, list) or not value):
            problems.append(f"{here}.value: `{op}` needs a non-empty list of values")
            continue
        if op in _NEEDS_VALUE - {"=", "!="} and value is None:
            problems.append(f"{here}.value: `{op}` needs a value")
            continue
        conditions.append(Condition(str(c["field"]), op, value))
    return Filter(tuple(conditions), match_all=key == "all")


def _enum(kind: Any, value: Any, where: str, problems: list[str]) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = " | ".join(m.value for m in kind)
        problems.append(f"{where}: “{value}” is not one of {allowed}")
        return None


def _to_dict(spec: WorkflowSpec) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": spec.name,
        "team": spec.team,
        "owner": spec.owner,
        "salesforce": {"org": spec.org, "object": spec.object},
        "smartsheet": {"sheet": spec.sheet},
    }
    if spec.filter.conditions:
        out["filter"] = {
            ("all" if spec.filter.match_all else "any"): [
                {"field": c.field, "op": c.op, "value": c.value} for c in spec.filter.conditions
            ]
        }
    out["fields"] = [
        {"field": m.field, "column": m.column, "direction": m.direction.value} for m in spec.fields
    ]
    out["options"] = {
        "create_records_from_rows": spec.options.create_records_from_rows,
        "on_record_deleted": spec.options.on_record_deleted.value,
        "conflicts": spec.options.conflicts.value,
    }
    if spec.id_column != "Salesforce Id":
        out["id_column"] = spec.id_column
    if spec.status_column != "Sync Status":
        out["status_column"] = spec.status_column
    if spec.paused:
        out["paused"] = True
    return out
