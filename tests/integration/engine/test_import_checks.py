"""Issue #11 points 2-3: a refused import leaves every sheet as it was, and a filter value
that does not fit its field is refused at import, not on the first tick."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import yaml

from sync.workflow_file import WorkflowFileError, parse
from sync.workflows import import_specs

from .conftest import OWNER, TEAM, World


def _spec(world: World, sheet: int, fields: list[dict[str, str]], flt: object = None) -> str:
    workflow: dict[str, object] = {
        "name": "Imported",
        "team": TEAM,
        "owner": OWNER,
        "salesforce": {"org": world.sf.org_id, "object": "Opportunity"},
        "smartsheet": {"sheet": sheet},
        "fields": fields,
    }
    if flt is not None:
        workflow["filter"] = flt
    return yaml.safe_dump({"workflows": [workflow]})


def _titles(world: World, sheet: int) -> list[str]:
    return [c["title"] for c in world.ss.sheet(sheet)["columns"]]


def test_a_refused_import_adds_no_column(world: World) -> None:
    world.connect()
    sheet = world.sheet(("Deal", "TEXT_NUMBER"), ("Amount", "TEXT_NUMBER"))
    text = _spec(
        world,
        sheet,
        [
            {"field": "Name", "column": "Deal", "direction": "both"},
            {"field": "Amout", "column": "Amount", "direction": "both"},
        ],
    )
    with pytest.raises(WorkflowFileError, match="Amout"):
        import_specs(world.store, world.connectors, parse(text), datetime.now(UTC))
    assert _titles(world, sheet) == ["Deal", "Amount"]


def test_a_filter_value_of_the_wrong_type_is_refused_at_import(world: World) -> None:
    world.connect()
    sheet = world.sheet(("Deal", "TEXT_NUMBER"), ("Amount", "TEXT_NUMBER"))
    text = _spec(
        world,
        sheet,
        [{"field": "Name", "column": "Deal", "direction": "both"}],
        {"all": [{"field": "Amount", "op": ">", "value": "1 OR Amount > 0"}]},
    )
    with pytest.raises(WorkflowFileError) as refused:
        import_specs(world.store, world.connectors, parse(text), datetime.now(UTC))
    assert "Filter value “1 OR Amount > 0” does not fit Amount" in str(refused.value)
    assert _titles(world, sheet) == ["Deal", "Amount"]


def test_an_accepted_import_gets_its_columns_on_the_first_sync(world: World) -> None:
    world.connect()
    sheet = world.sheet(("Deal", "TEXT_NUMBER"))
    text = _spec(world, sheet, [{"field": "Name", "column": "Deal", "direction": "both"}])
    import_specs(world.store, world.connectors, parse(text), datetime.now(UTC))
    assert world.tick().failures == []
    assert _titles(world, sheet) == ["Deal", "Salesforce Id", "Sync Status"]
