"""Group locks that die with their holder.

A lease row alone (owner + expiry) outlives a killed process until it expires, so the
group stalls for the whole lease. These locks are held for the length of a group's run
and released by the database or the OS the moment the holding process dies:

- PostgreSQL: a session advisory lock (`pg_try_advisory_lock`) on a connection kept open
  for the run; the server drops it when that connection goes away.
- SQLite: an exclusive `flock` on a small file beside the database; the kernel drops it
  when the process exits, however it exits.
- anything else (an in-memory database): no lock, only the lease.

The lease stays as the bound for a holder that is alive but hung: once it has expired
another instance takes the group over even while the lock is still held.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, Engine, text


class Held(Protocol):
    def release(self) -> None: ...


class GroupLocks(Protocol):
    # True when a free lock proves the lease's holder is gone (the lock dies with it)
    @property
    def dies_with_holder(self) -> bool: ...

    def hold(self, connection_id: int, object_name: str) -> Held | None:
        """The group's lock if it is free now (never waits), else None."""
        ...


def group_locks(engine: Engine) -> GroupLocks:
    backend = engine.url.get_backend_name()
    if backend == "postgresql":
        return AdvisoryLocks(engine)
    database = engine.url.database
    if backend == "sqlite" and database and database != ":memory:":
        return FileLocks(Path(f"{database}.locks"))
    return NoLocks()


class _NoLock:
    def release(self) -> None:
        return None


class NoLocks:
    dies_with_holder = False

    def hold(self, connection_id: int, object_name: str) -> Held | None:
        return _NoLock()


class _Advisory:
    def __init__(self, conn: Connection, key: int) -> None:
        self.conn, self.key = conn, key

    def release(self) -> None:
        try:
            self.conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
        except Exception:
            # the connection broke: the server has dropped the lock with it; never
            # hand a possibly locked connection back to the pool
            self.conn.invalidate()
        finally:
            self.conn.close()


class AdvisoryLocks:
    dies_with_holder = True

    def __init__(self, engine: Engine) -> None:
        self.engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._scope: str | None = None

    def hold(self, connection_id: int, object_name: str) -> Held | None:
        conn = self.engine.connect()
        try:
            key = self._key(conn, connection_id, object_name)
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
        except Exception:
            conn.close()
            raise
        if not got:
            conn.close()
            return None
        return _Advisory(conn, key)

    def _key(self, conn: Connection, connection_id: int, object_name: str) -> int:
        """Advisory locks are per database: the schema keeps two syncbot installations
        (or test schemas) in one database apart."""
        if self._scope is None:
            self._scope = str(conn.execute(text("SELECT current_schema()")).scalar())
        return _key64(f"{self._scope}/{connection_id}/{object_name}")


class _FileLock:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def release(self) -> None:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            os.close(self.fd)


class FileLocks:
    dies_with_holder = True

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def hold(self, connection_id: int, object_name: str) -> Held | None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256(object_name.encode()).hexdigest()[:16]
        path = self.directory / f"group-{connection_id}-{name}.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        return _FileLock(fd)


def _key64(name: str) -> int:
    """A signed 64-bit key, as pg_try_advisory_lock(bigint) takes."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
