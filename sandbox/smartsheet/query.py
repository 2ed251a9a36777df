"""Query-string and body parsing the way the API reads them.

The Python SDK joins lists with commas (``include=objectValue%2CcolumnType``) and sends
Python booleans as ``True``/``False`` for some parameters, so booleans are read
case-insensitively.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request

from . import errors

Args = MultiDict[str, str]
DEFAULT_PAGE_SIZE = 100


def flag(args: Args, name: str) -> bool | None:
    raw = args.get(name)
    if raw is None or raw == "":
        return None
    lowered = raw.strip().lower()
    if lowered not in ("true", "false"):
        raise errors.invalid_parameter(raw, name)
    return lowered == "true"


def words(args: Args, name: str) -> frozenset[str]:
    raw = args.get(name) or ""
    return frozenset(part.strip() for part in raw.split(",") if part.strip())


def ids(args: Args, name: str) -> list[int] | None:
    raw = args.get(name)
    if raw is None:
        return None
    try:
        return [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise errors.invalid_parameter(raw, name) from None


def integer(args: Args, name: str, minimum: int = 0) -> int | None:
    raw = args.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        raise errors.invalid_parameter(raw, name) from None
    if value < minimum:
        raise errors.invalid_parameter(raw, name)
    return value


def timestamp(args: Args, name: str) -> datetime | None:
    """ISO-8601, with ``Z``, an offset, or none (UTC); also ``str(datetime)`` spacing."""
    raw = args.get(name)
    if raw is None or raw == "":
        return None
    text = raw.strip().replace("Z", "+00:00")
    # An unencoded "+" in a query string arrives as a space.
    text = re.sub(r" (\d\d:\d\d)$", r"+\1", text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise errors.invalid_parameter(raw, name) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def json_body(request: Request) -> Any:
    data = request.get_data(as_text=True)
    if not data.strip():
        raise errors.body_required()
    try:
        return json.loads(data)
    except ValueError as exc:
        raise errors.unparsable(str(exc)) from None


def page(items: list[Any], args: Args) -> dict[str, Any]:
    """An IndexResult. A page past the end returns the last page, as the API does."""
    total = len(items)
    if flag(args, "includeAll"):
        return {
            "pageNumber": 1,
            "pageSize": max(total, 1),
            "totalPages": 1 if total else 0,
            "totalCount": total,
            "data": items,
        }
    size = integer(args, "pageSize", minimum=1) or DEFAULT_PAGE_SIZE
    pages = (total + size - 1) // size
    number = min(integer(args, "page", minimum=1) or 1, max(pages, 1))
    chunk = items[(number - 1) * size : number * size]
    return {
        "pageNumber": number,
        "pageSize": size,
        "totalPages": pages,
        "totalCount": total,
        "data": chunk,
    }
