"""Builder drafts survive a round trip through the database and stay their owner's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sync.draft import Draft, Preset, with_preset
from sync.model import Condition, Direction, FieldMapping, Filter
from sync.store.drafts import (
    DraftNotFound,
    create_draft,
    drop_stale_drafts,
    load_draft,
    save_draft,
)
from sync.store.repo import Store

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def a_draft() -> Draft:
    return Draft(
        team="T1",
        owner="U1",
        salesforce_connection_id=3,
        org="00D000000000001AAA",
        object="Opportunity",
        sheet_id=77,
        name="Won deals",
        fields=tuple(FieldMapping(f"Field{i}__c", f"Column {i}") for i in range(60)),
        filter=Filter((Condition("StageName", "=", "Closed Won"),)),
    )


def test_a_draft_too_big_for_private_metadata_round_trips(store: Store) -> None:
    draft = a_draft()
    with store.unit() as session:
        draft_id = create_draft(session, draft, NOW)
    assert len(draft_id) <= 32
    with store.unit() as session:
        assert load_draft(session, draft_id, "T1", "U1") == draft


def test_another_user_cannot_read_or_overwrite_a_draft(store: Store) -> None:
    with store.unit() as session:
        draft_id = create_draft(session, a_draft(), NOW)
    with store.unit() as session, pytest.raises(DraftNotFound):
        load_draft(session, draft_id, "T1", "U2")
    stolen = Draft(team="T1", owner="U2", name="mine now")
    with store.unit() as session, pytest.raises(DraftNotFound):
        save_draft(session, draft_id, stolen, NOW)


def test_saving_changes_the_stored_draft(store: Store) -> None:
    with store.unit() as session:
        draft_id = create_draft(session, a_draft(), NOW)
    changed = with_preset(a_draft(), Preset.SERVICE_CLOUD).with_direction(
        1, Direction.TO_SMARTSHEET
    )
    with store.unit() as session:
        save_draft(session, draft_id, changed, NOW)
    with store.unit() as session:
        loaded = load_draft(session, draft_id, "T1", "U1")
    assert loaded.object == "Case"
    assert loaded.fields[1] == FieldMapping("Subject", "Subject", Direction.TO_SMARTSHEET)


def test_stale_drafts_are_dropped(store: Store) -> None:
    with store.unit() as session:
        old = create_draft(session, a_draft(), NOW - timedelta(days=3))
        fresh = create_draft(session, a_draft(), NOW)
    with store.unit() as session:
        assert drop_stale_drafts(session, NOW) == 1
    with store.unit() as session:
        load_draft(session, fresh, "T1", "U1")
        with pytest.raises(DraftNotFound):
            load_draft(session, old, "T1", "U1")
