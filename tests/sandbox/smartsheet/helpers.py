"""Small helpers shared by the Smartsheet emulator tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
import smartsheet
from smartsheet.exceptions import ApiError


def column_ids(client: smartsheet.Smartsheet, sheet_id: int) -> dict[str, int]:
    """Column title -> id, read through the API."""
    return {c.title: c.id for c in client.Sheets.get_columns(sheet_id, include_all=True).data}


def failure(call: Callable[[], Any]) -> tuple[int, int, str]:
    """Run an SDK call that must fail; return (HTTP status, errorCode, message)."""
    with pytest.raises(ApiError) as caught:
        call()
    result = caught.value.error.result
    return result.status_code, result.code, result.message


def http(method: str, url: str, token: str | None = None, **kwargs: Any) -> requests.Response:
    """A raw HTTP call, for looking at exact bodies the SDK does not expose."""
    headers = dict(kwargs.pop("headers", {}))
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.request(method, url, headers=headers, timeout=10, **kwargs)


def cell(row: Any, column_id: int) -> Any:
    """The SDK Cell of ``row`` in that column."""
    return next(c for c in row.cells if c.column_id == column_id)


def raw_json(result: Any) -> dict[str, Any]:
    """The JSON body behind an SDK result object (models that keep the response)."""
    body: dict[str, Any] = result.request_response.json()
    return body
