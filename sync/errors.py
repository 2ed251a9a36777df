"""syncbot's own exceptions, classified once at the connector boundary.

`Resolution` says what the engine does about an error (airbyte's ErrorResolution idea):
retry later in this or the next tick, skip the group for a while, mark one row, or
pause the workflow and tell its owner.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum


class Resolution(StrEnum):
    RETRY = "retry"  # transient: try again next tick
    SKIP_GROUP = "skip_group"  # API allowance: wait, report once
    ROW = "row"  # this record/row only: status column + DM
    WORKFLOW = "workflow"  # pause the workflow(s), DM the owner with a fix


class SyncbotError(Exception):
    """Base of every error the engine knows how to report. `str(e)` is for the user."""

    resolution: Resolution = Resolution.WORKFLOW
    code: str = "error"

    def __init__(self, message: str, *, code: str | None = None, service: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.service = service  # "salesforce" | "smartsheet" | "" when it is neither's
        if code is not None:
            self.code = code


class TransientError(SyncbotError):
    """A timeout, 5xx or rate limit that outlived the retries; the next tick tries again."""

    resolution = Resolution.RETRY
    code = "transient"


class ApiAllowanceReached(SyncbotError):
    """Salesforce answered REQUEST_LIMIT_EXCEEDED, or syncbot's share of the daily allowance
    (SYNC_API_SHARE) is used up. The group is skipped until `retry_after` has passed."""

    resolution = Resolution.SKIP_GROUP
    code = "api_allowance"

    def __init__(self, message: str, retry_after: timedelta = timedelta(hours=1)) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AuthRevoked(SyncbotError):
    """The owner's tokens were refused and could not be refreshed: reconnect with /sync connect."""

    resolution = Resolution.WORKFLOW
    code = "auth_revoked"


class AccessDenied(SyncbotError):
    """The owner lost access to the object, sheet or field; they (or an admin) must fix sharing."""

    resolution = Resolution.WORKFLOW
    code = "access_denied"


class NotFoundError(SyncbotError):
    """The sheet, column, object or field the workflow uses no longer exists."""

    resolution = Resolution.WORKFLOW
    code = "not_found"


class ConfigurationError(SyncbotError):
    """The workflow cannot work as configured (bad mapping, both directions blocked...)."""

    resolution = Resolution.WORKFLOW
    code = "configuration"


class SafetyStop(SyncbotError):
    """A safety rail tripped (a side suddenly empty, a mass delete or blank): the workflow is
    paused and nothing was written; the owner decides whether to resume."""

    resolution = Resolution.WORKFLOW
    code = "safety_stop"


class InvalidQuery(SyncbotError):
    """A filter or field list that cannot be turned into safe SOQL."""

    resolution = Resolution.WORKFLOW
    code = "invalid_query"


class UnknownWorkflow(SyncbotError):
    """No workflow with that id that the caller may see (never says whether it exists)."""

    code = "unknown_workflow"

    def __init__(self, workflow_id: int) -> None:
        super().__init__(f"There is no workflow {workflow_id} that you can see.")
        self.workflow_id = workflow_id


class NotAllowed(SyncbotError):
    """The caller may see the thing but not do this to it (not the owner, not an admin,
    or not on the allow-list)."""

    code = "not_allowed"


class UnknownChange(SyncbotError):
    """No audit-trail entry with that id (never logged, or purged after the retention)."""

    resolution = Resolution.WORKFLOW
    code = "unknown_change"


class RevertRefused(SyncbotError):
    """That change cannot be reverted (still pending, failed, or already being reverted);
    the message says which."""

    resolution = Resolution.WORKFLOW
    code = "revert_refused"
