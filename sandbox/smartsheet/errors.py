"""Smartsheet's error body and the error codes the emulator answers with.

Codes, HTTP statuses and message templates follow the "Error Codes" table of the
Smartsheet API 2.0 reference; where the live service words a message differently from
the table (captured responses quoted in SDK sources and the recorded fixtures), the
live wording wins.
"""

from __future__ import annotations

import random
import string
import threading
from typing import Any

_REF_ALPHABET = string.ascii_lowercase + string.digits
_ref_rng = random.Random(7)
_ref_lock = threading.Lock()


def new_ref_id() -> str:
    """A refId like the service's (13 lowercase base-36 characters)."""
    with _ref_lock:
        return "".join(_ref_rng.choice(_REF_ALPHABET) for _ in range(13))


class ApiError(Exception):
    """A request the real API would refuse; rendered as Smartsheet's error body."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        detail: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "errorCode": self.code,
            "message": self.message,
            "refId": new_ref_id(),
        }
        if self.detail is not None:
            body["detail"] = self.detail
        body.update(self.extra)
        return body

    def item_error(self) -> dict[str, Any]:
        """The ``error`` object of a BulkItemFailure (no detail there)."""
        return {"errorCode": self.code, "message": self.message, "refId": new_ref_id()}

    def with_detail(self, detail: dict[str, Any]) -> ApiError:
        return ApiError(self.status, self.code, self.message, detail, self.extra)


# -- authentication ---------------------------------------------------------------------
def token_required() -> ApiError:
    return ApiError(401, 1001, "An Access Token is required.")


def token_invalid() -> ApiError:
    return ApiError(401, 1002, "Your Access Token is invalid.")


def token_expired() -> ApiError:
    return ApiError(401, 1003, "Your Access Token has expired.")


def not_authorized() -> ApiError:
    return ApiError(403, 1004, "You are not authorized to perform this action.")


def not_found() -> ApiError:
    # The API answers 404/1006 both for ids that do not exist and for sheets the caller
    # has no share on, so it never confirms that someone else's sheet exists.
    return ApiError(404, 1006, "Not Found")


def method_not_supported() -> ApiError:
    return ApiError(405, 1010, "HTTP Method not supported.")


def rate_limited() -> ApiError:
    return ApiError(429, 4003, "Rate limit exceeded.")


# -- request shape ----------------------------------------------------------------------
def unparsable(reason: str) -> ApiError:
    return ApiError(400, 1008, f"Unable to parse request. The following error occurred: {reason}")


def missing_parameter(name: str) -> ApiError:
    return ApiError(400, 1009, f"A required parameter is missing from your request: {name}.")


def invalid_parameter(value: str, name: str) -> ApiError:
    return ApiError(400, 1018, f"The value {value} was not valid for the parameter {name}.")


def missing_attribute(name: str) -> ApiError:
    # Live wording (captured in SDK issue threads), not the table's "A required object
    # attribute is missing ...".
    return ApiError(
        400, 1012, f"Required object attribute(s) are missing from your request: {name}."
    )


def body_required() -> ApiError:
    return ApiError(400, 1024, "The HTTP request body is required for this Method.")


def invalid_attribute_value(value: Any, attribute: str) -> ApiError:
    return ApiError(400, 1031, f"The value {value} was not valid for the attribute {attribute}.")


def attribute_not_allowed(names: str) -> ApiError:
    return ApiError(400, 1032, f"The attribute(s) {names} are not allowed for this operation.")


# -- rows and cells ---------------------------------------------------------------------
def invalid_column_id(column_id: Any) -> ApiError:
    return ApiError(400, 1036, f"The columnId {column_id} is invalid.")


def duplicate_column_id(column_id: Any) -> ApiError:
    return ApiError(
        400, 1037, f"The columnId {column_id} is included more than once in a single row."
    )


def invalid_cell_value() -> ApiError:
    return ApiError(400, 1038, "Invalid Cell value. Must be numeric or a string.")


def value_too_long(limit: int, length: int) -> ApiError:
    return ApiError(
        400,
        1041,
        f"The value for cell.value must be {limit} characters in length or less, but was {length}.",
    )


def locked_column(column_id: int) -> ApiError:
    # Table wording "Cannot edit a locked column {0}"; only Owner and Admin may.
    return ApiError(403, 1039, f"Cannot edit a locked column {column_id}")


def locked_row() -> ApiError:
    return ApiError(403, 1050, "You cannot edit a locked row.")


def locked_row_delete() -> ApiError:
    return ApiError(
        403,
        1092,
        "You cannot delete this row. Either it or one or more of its children are locked.",
    )


def column_formula_cell() -> ApiError:
    return ApiError(400, 1302, "Cannot edit column formula cells.")


def strict_mismatch(column_id: int, value: Any, column_type: str) -> ApiError:
    # Live wording captured in a Go client comment for a PICKLIST validation failure.
    return ApiError(
        400,
        1042,
        f"The value for cell in column {column_id}, {value}, did not "
        f"conform to the strict requirements for type {column_type}.",
    )


def system_column(column_id: int) -> ApiError:
    return ApiError(
        400,
        1046,
        "Cells containing system values cannot be inserted or updated "
        f"through the API, columnId : {column_id}.",
    )


def invalid_row_location() -> ApiError:
    return ApiError(400, 1062, "Invalid row location.")


def invalid_parent_id(row_id: Any) -> ApiError:
    return ApiError(400, 1063, f"Invalid parentId: {row_id}.")


def invalid_sibling_id(row_id: Any) -> ApiError:
    return ApiError(400, 1064, f"Invalid siblingId: {row_id}.")


def hyperlink_and_cell_link() -> ApiError:
    return ApiError(400, 1109, "Only one of cell.hyperlink or cell.linkInFromCell may be non-null.")


def hyperlink_url_with_target() -> ApiError:
    # Wording of the recorded rows_scenarios.json response.
    return ApiError(400, 1112, "hyperlink.url must be null for sheet, report, or Sight hyperlinks.")


def mixed_row_locations() -> ApiError:
    return ApiError(
        400,
        1123,
        "Specifying multiple row locations is not yet supported. Each row "
        "must use the same row location attribute and value (toBottom, "
        "toTop, parentId, siblingId, above).",
    )


def value_and_object_value() -> ApiError:
    return ApiError(400, 1130, "One of cell.value or objectValue may be set, but not both.")


def wrong_object_type(column_id: int, allowed: str) -> ApiError:
    return ApiError(
        400,
        1131,
        f"cell.objectValue for column {column_id} was of the wrong object "
        f"type. Allowed types: {allowed}.",
    )


def formula_without_equals() -> ApiError:
    return ApiError(400, 1162, "A formula must always start with an equal sign (=).")


def formula_with_value() -> ApiError:
    # Wording of the recorded rows_scenarios.json response.
    return ApiError(
        400,
        1163,
        "If cell.formula is specified, then value, objectValue, image, "
        "hyperlink, and linkInFromCell must not be specified.",
    )


def override_needs_admin() -> ApiError:
    return ApiError(403, 1212, "You must be a sheet admin to override validation.")


def use_object_value() -> ApiError:
    # Live wording quoted in user reports of error 1235.
    return ApiError(
        400, 1235, "Value is not supported for this column type. Use objectValue instead."
    )


def too_many_items(field: str) -> ApiError:
    return ApiError(400, 1061, f"Max count exceeded for field {field}.")


# -- sheets and columns -----------------------------------------------------------------
def sheet_needs_columns() -> ApiError:
    return ApiError(400, 1054, "The new sheet requires either a fromId or columns.")


def one_primary_column() -> ApiError:
    return ApiError(400, 1055, "One and only one column must be primary.")


def titles_not_unique() -> ApiError:
    return ApiError(400, 1056, "Column titles must be unique.")


def primary_must_be_text() -> ApiError:
    return ApiError(400, 1057, "Primary columns must be of type TEXT_NUMBER.")


def options_not_allowed(column_type: str) -> ApiError:
    return ApiError(400, 1060, f"Column options are not allowed for column type {column_type}.")


def column_not_deletable() -> ApiError:
    return ApiError(400, 1065, "The column specified cannot be deleted.")


def system_type_only() -> ApiError:
    return ApiError(400, 1089, "The type specified is only used with System Columns.")


def input_titles_not_unique() -> ApiError:
    return ApiError(400, 1133, "Column titles are not unique among input columns.")


def project_column_type(column_type: str) -> ApiError:
    return ApiError(
        400,
        1142,
        f"Column type {column_type} is reserved for project sheets and may "
        "not be manually set on a column.",
    )


# -- injected faults --------------------------------------------------------------------
_BY_STATUS: dict[int, tuple[int, str]] = {
    400: (1008, "Unable to parse request."),
    401: (1002, "Your Access Token is invalid."),
    403: (1004, "You are not authorized to perform this action."),
    404: (1006, "Not Found"),
    405: (1010, "HTTP Method not supported."),
    429: (4003, "Rate limit exceeded."),
    500: (
        4000,
        "An unexpected error has occurred. Please contact api@smartsheet.com for assistance.",
    ),
    502: (
        4004,
        "An unexpected error has occurred. Please retry your request. If you encounter "
        "this error repeatedly, please contact api@smartsheet.com for assistance.",
    ),
    503: (
        4001,
        "Smartsheet.com is currently offline for system maintenance. Please check back "
        "again shortly.",
    ),
    504: (4002, "Server timeout exceeded. Request has failed."),
}


def for_status(status: int) -> ApiError:
    """The error the service would most plausibly send with this HTTP status."""
    code, message = _BY_STATUS.get(
        status, (4000 if status >= 500 else 1008, _BY_STATUS[500 if status >= 500 else 400][1])
    )
    return ApiError(status, code, message)
