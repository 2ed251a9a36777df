"""Ids of the builder's views, blocks and actions. Block ids of inputs equal
sync.draft_check.Place, so validation findings land under the right input."""

from __future__ import annotations

from enum import StrEnum

from sync.draft_check import Place


class CallbackId(StrEnum):
    LOADING = "builder_loading"
    FAILED = "builder_failed"
    WHAT = "builder_what"  # step 1: connection, object, preset, sheet, name
    MAPPINGS = "builder_mappings"  # step 2: the summary
    ADD_MAPPING = "builder_add_mapping"  # pushed: field, column, direction
    FILTER = "builder_filter"  # step 3: filter and options
    PREVIEW = "builder_preview"
    CONFIRM = "builder_confirm"  # object, sheet or connection changed while editing
    SAVED = "builder_saved"


class BlockId(StrEnum):
    CONNECTION = "connection"
    OBJECT = Place.OBJECT.value
    PRESET = "preset"
    SHEET = Place.SHEET.value
    NEW_SHEET = Place.NEW_SHEET.value
    NAME = Place.NAME.value
    MAPPINGS = Place.MAPPINGS.value
    MAPPING_TOOLS = "mapping_tools"
    FIELD = Place.FIELD.value
    COLUMN = Place.COLUMN.value
    NEW_COLUMN = "new_column"
    DIRECTION = Place.DIRECTION.value
    MATCH = "match"
    CREATE_RECORDS = "create_records"
    ON_DELETED = "on_deleted"
    CONFLICTS = "conflicts"
    ID_COLUMN = Place.ID_COLUMN.value
    STATUS_COLUMN = Place.STATUS_COLUMN.value
    RETRY = "retry"
    CONNECT = "connect"


class ActionId(StrEnum):
    CONNECTION = "builder_connection"
    OBJECT = "builder_object"
    PRESET = "builder_preset"
    SHEET = "builder_sheet"
    NEW_SHEET = "builder_new_sheet"
    NAME = "builder_name"
    MAPPING_MENU = "builder_mapping_menu"  # overflow: edit:i | direction:i:<dir> | remove:i
    ADD_MAPPING = "builder_add_mapping"
    AUTO_MAP = "builder_auto_map"
    CONFIRM_MAPPINGS = "builder_confirm_mappings"
    FIELD = "builder_field"
    COLUMN = "builder_column"
    NEW_COLUMN = "builder_new_column"
    DIRECTION = "builder_direction"
    FILTER_FIELD = "builder_filter_field"
    FILTER_OP = "builder_filter_op"
    FILTER_VALUE = "builder_filter_value"
    MATCH = "builder_match"
    CREATE_RECORDS = "builder_create_records"
    ON_DELETED = "builder_on_deleted"
    CONFLICTS = "builder_conflicts"
    ID_COLUMN = "builder_id_column"
    STATUS_COLUMN = "builder_status_column"
    RETRY = "builder_retry"


NEW_SHEET_VALUE = "new"  # the sheet select's "New sheet" option
NEW_COLUMN_VALUE = "new"  # the column select's "new column" option
