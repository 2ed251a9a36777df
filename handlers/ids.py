"""Every callback_id, action_id and block_id the Slack app uses, in one place.

Listeners register on these and builders emit them, so a typo is a NameError, not a
button that silently does nothing.
"""

from __future__ import annotations

from enum import StrEnum


class CallbackId(StrEnum):
    DELETE_CONFIRM = "sync_delete_confirm"
    ADMIN = "sync_admin"
    SALESFORCE_DOMAIN = "sync_sf_domain"


class ActionId(StrEnum):
    CONNECT_SALESFORCE = "connect_salesforce"
    CONNECT_SALESFORCE_SANDBOX = "connect_salesforce_sandbox"
    CONNECT_SALESFORCE_DOMAIN = "connect_salesforce_domain"
    CONNECT_SMARTSHEET = "connect_smartsheet"
    DISCONNECT = "connection_disconnect"
    WORKFLOW_MENU = "workflow_menu"
    LIST_PAGE = "list_page"
    HISTORY_PAGE = "history_page"
    REVERT = "change_revert"
    RUN = "workflow_run"
    DELETE = "workflow_delete"
    PAUSE = "workflow_pause"
    RESUME = "workflow_resume"
    VIEW_ERRORS = "workflow_errors"
    OPEN_SHEET = "open_sheet"
    RECONNECT = "reconnect"
    MUTE = "workflow_mute"  # messages posted before the DM-mode menu still carry it
    DM_MODE = "workflow_dm_mode"
    REQUEST_ACCESS = "access_request"
    ALLOW_ACCESS = "access_allow"
    DENY_ACCESS = "access_deny"
    CREATE_WORKFLOW = "workflow_create"
    ADMIN_OPEN = "admin_open"


class BlockId(StrEnum):
    ACCESS_MODE = "admin_access_mode"
    ALLOW_LIST = "admin_allow_list"
    POLL_INTERVAL = "admin_poll_interval"
    API_SHARE = "admin_api_share"
    DOMAIN = "sf_domain"
