"""Salesforce error bodies.

REST errors are a JSON list of ``{"message", "errorCode", "fields"?}``; inside sObject
Collections results the same error uses ``statusCode`` instead of ``errorCode``.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from sandbox.core import json_response

NOT_FOUND_MESSAGE = "The requested resource does not exist"
NO_ACCESS_MESSAGE = "insufficient access rights on object id"


class SfError(Exception):
    """A failure Salesforce reports as an error item (status applies to single-record calls)."""

    def __init__(
        self, status: int, error_code: str, message: str, fields: list[str] | None = None
    ) -> None:
        super().__init__(f"{error_code}: {message}")
        self.status = status
        self.error_code = error_code
        self.message = message
        self.fields = fields

    def item(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "errorCode": self.error_code}
        if self.fields is not None:
            body["fields"] = list(self.fields)
        return body

    def collection_item(self) -> dict[str, Any]:
        return {
            "statusCode": self.error_code,
            "message": self.message,
            "fields": list(self.fields or []),
        }

    def response(self) -> Response:
        return json_response([self.item()], self.status)


def not_found(message: str = NOT_FOUND_MESSAGE) -> SfError:
    return SfError(404, "NOT_FOUND", message)


def entity_deleted() -> SfError:
    return SfError(404, "ENTITY_IS_DELETED", "entity is deleted", [])


def no_access() -> SfError:
    return SfError(400, "INSUFFICIENT_ACCESS_OR_READONLY", NO_ACCESS_MESSAGE, [])


def no_such_column(field: str, object_name: str) -> SfError:
    """Unknown or FLS-hidden field in a write payload (raised while reading the JSON)."""
    return SfError(
        400, "INVALID_FIELD", f"No such column '{field}' on sobject of type {object_name}"
    )


def malformed_id(label: str, value: str, field: str) -> SfError:
    return SfError(400, "MALFORMED_ID", f"{label}: id value of incorrect type: {value}", [field])


def json_parser_error(message: str) -> SfError:
    return SfError(400, "JSON_PARSER_ERROR", message)


# Default bodies for injected faults and routing errors, by HTTP status.
DEFAULT_FAULTS: dict[int, tuple[str, str]] = {
    400: ("MALFORMED_QUERY", "Bad request"),
    401: ("INVALID_SESSION_ID", "Session expired or invalid"),
    403: ("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."),
    404: ("NOT_FOUND", NOT_FOUND_MESSAGE),
    405: ("METHOD_NOT_ALLOWED", "HTTP Method not allowed for this resource"),
    409: ("CONFLICT", "Conflict"),
    429: ("REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded."),
    500: (
        "UNKNOWN_EXCEPTION",
        "An unexpected error occurred. Please include this ErrorId if "
        "you contact support: 1234567890-12345 (-1234567890)",
    ),
    502: ("SERVER_UNAVAILABLE", "Bad gateway"),
    503: ("SERVER_UNAVAILABLE", "Server temporarily unavailable"),
}


def fault_body(status: int, body: Any) -> list[dict[str, Any]]:
    """Salesforce's list form for an injected fault: None, a message string, a dict or a list."""
    code, message = DEFAULT_FAULTS.get(status, ("UNKNOWN_EXCEPTION", f"HTTP {status}"))
    if body is None:
        return [{"message": message, "errorCode": code}]
    if isinstance(body, str):
        return [{"message": body, "errorCode": code}]
    if isinstance(body, dict):
        return [body]
    return list(body)
