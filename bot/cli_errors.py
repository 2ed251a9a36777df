"""What the CLI says when a command fails: one sentence on stderr, never a traceback.

syncbot's own errors already read as sentences; the rest (a file that is not there, a
database that does not answer, a bug) are put into words here. The traceback of an
unexpected error goes to the debug log (`syncbot -v`), not to the user's screen.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from bot.config import ConfigError
from sync.errors import SyncbotError
from sync.workflow_file import WorkflowFileError

log = logging.getLogger("syncbot")

USAGE = 2  # the command could not start: bad input, settings or files
FAILED = 1  # it started and syncbot refused or failed


def explain(exc: Exception) -> tuple[str, int]:
    """The sentence for `exc` and the exit code to go with it."""
    if isinstance(exc, ConfigError | WorkflowFileError | LookupError):
        return str(exc), USAGE
    if isinstance(exc, SyncbotError):
        return str(exc), FAILED
    if isinstance(exc, NoSuchModuleError | ArgumentError):
        return (
            "DATABASE_URL is not a database URL syncbot knows (sqlite:/// or postgresql://)",
            USAGE,
        )
    if isinstance(exc, OperationalError):
        return _database_down(exc), FAILED
    if isinstance(exc, FileNotFoundError | PermissionError | IsADirectoryError):
        return f"cannot open {exc.filename}: {exc.strerror}", USAGE
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}", FAILED
    log.debug("unexpected error", exc_info=exc)
    return (
        f"unexpected error ({type(exc).__name__}); run `syncbot -v …` again for the details",
        FAILED,
    )


def _database_down(exc: OperationalError) -> str:
    # The driver's message names the host and the reason; the URL may hold a password.
    first = str(exc.orig).strip().splitlines()[0] if exc.orig else "no answer"
    return f"the database could not be reached: {first}"
