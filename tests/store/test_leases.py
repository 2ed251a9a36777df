"""Group leases: one instance at a time per (connection, object); a dead instance's
lease runs out and another takes over. Runs on SQLite and, with TEST_DATABASE_URL, on
PostgreSQL (where the claim also locks the row with SKIP LOCKED)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sync.store import ledger, repo
from sync.store.locks import group_locks
from sync.store.repo import ConnectionKind, Store

LEASE = timedelta(minutes=5)
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _connection(store: Store) -> int:
    with store.unit() as session:
        return repo.add_connection(
            session,
            store.cipher,
            team_id="T1",
            owner_id="U1",
            kind=ConnectionKind.SALESFORCE,
            access_token="00Dx!secret",
            refresh_token=None,
            now=T0,
            org_id="00D000000000001AAA",
        )


def test_a_held_lease_keeps_other_instances_out_until_it_expires(store: Store) -> None:
    connection = _connection(store)
    with store.unit() as session:
        assert isinstance(
            ledger.claim_group(session, connection, "Account", "a", T0, LEASE), ledger.Claimed
        )
    with store.unit() as session:
        busy = ledger.claim_group(
            session, connection, "Account", "b", T0 + timedelta(minutes=1), LEASE
        )
        assert busy == ledger.Busy("a", T0 + LEASE)  # who holds it, until when
    with store.unit() as session:
        taken = ledger.claim_group(
            session, connection, "Account", "b", T0 + LEASE + timedelta(seconds=1), LEASE
        )
        assert isinstance(taken, ledger.Claimed)
    with store.unit() as session:  # and b's lease now keeps a out
        again = ledger.claim_group(
            session, connection, "Account", "a", T0 + LEASE + timedelta(seconds=2), LEASE
        )
        assert again == ledger.Busy("b", T0 + LEASE + timedelta(seconds=1) + LEASE)


def test_a_released_lease_is_free_at_once_and_keeps_the_back_off(store: Store) -> None:
    connection = _connection(store)
    with store.unit() as session:
        claimed = ledger.claim_group(session, connection, "Account", "a", T0, LEASE)
        assert isinstance(claimed, ledger.Claimed)
        ledger.skip_group_until(session, connection, "Account", T0 + LEASE)
    with store.unit() as session:
        ledger.release_group(session, connection, "Account", "a")
    with store.unit() as session:
        state = ledger.claim_group(session, connection, "Account", "b", T0, LEASE)
        assert state == ledger.Claimed(skip_until=T0 + LEASE)


def test_groups_are_independent(store: Store) -> None:
    connection = _connection(store)
    with store.unit() as session:
        assert ledger.claim_group(session, connection, "Account", "a", T0, LEASE) is not None
        assert ledger.claim_group(session, connection, "Contact", "b", T0, LEASE) is not None


def test_a_group_lock_is_exclusive_until_released(store: Store) -> None:
    """The lock that dies with its holder (advisory lock / file lock): one holder at a time."""
    locks = group_locks(store.sessions.kw["bind"])
    assert locks.dies_with_holder
    held = locks.hold(1, "Account")
    assert held is not None
    assert group_locks(store.sessions.kw["bind"]).hold(1, "Account") is None
    other = locks.hold(1, "Contact")
    assert other is not None
    held.release()
    again = locks.hold(1, "Account")
    assert again is not None
    again.release()
    other.release()


def test_tokens_are_encrypted_at_rest(store: Store) -> None:
    connection = _connection(store)
    from sqlalchemy import text

    with store.unit() as session:
        raw = session.execute(
            text("SELECT access_token FROM connections WHERE id = :id"), {"id": connection}
        ).scalar_one()
        assert b"secret" not in bytes(raw)
        assert repo.tokens(session, store.cipher, connection).access_token == "00Dx!secret"


def test_a_group_already_run_in_this_window_is_not_due_for_another_instance(
    store: Store,
) -> None:
    connection = _connection(store)
    window = T0
    with store.unit() as session:
        state = ledger.claim_group(session, connection, "Account", "a", T0, LEASE, due_after=window)
        assert state == ledger.Claimed(skip_until=None)
        ledger.finish_group_run(session, connection, "Account", "a", T0)
    later = T0 + timedelta(seconds=10)
    with store.unit() as session:  # same window: b finds it done
        done = ledger.claim_group(
            session, connection, "Account", "b", later, LEASE, due_after=window
        )
        assert done == ledger.NotDue(T0)
    next_window = T0 + timedelta(seconds=30)
    with store.unit() as session:  # next window: due again
        taken = ledger.claim_group(
            session, connection, "Account", "b", next_window, LEASE, due_after=next_window
        )
        assert isinstance(taken, ledger.Claimed)
        assert isinstance(
            ledger.claim_group(session, connection, "Account", "c", next_window, LEASE),
            ledger.Busy,
        )  # b holds it now


def test_closing_a_run_notes_its_window_and_gives_back_only_its_own_lease(store: Store) -> None:
    connection = _connection(store)
    with store.unit() as session:
        assert isinstance(
            ledger.claim_group(session, connection, "Account", "a", T0, LEASE), ledger.Claimed
        )
    with store.unit() as session:  # b, whose lease was taken over meanwhile, closes late
        ledger.finish_group_run(session, connection, "Account", "b", T0)
    with store.unit() as session:
        busy = ledger.claim_group(session, connection, "Account", "c", T0, LEASE)
        assert busy == ledger.Busy("a", T0 + LEASE)  # a's lease is still a's
        ledger.finish_group_run(session, connection, "Account", "a", T0)
    with store.unit() as session:  # a gave it back; the window is noted
        done = ledger.claim_group(session, connection, "Account", "c", T0, LEASE, due_after=T0)
        assert done == ledger.NotDue(T0)
        taken = ledger.claim_group(session, connection, "Account", "c", T0, LEASE)
        assert isinstance(taken, ledger.Claimed)
