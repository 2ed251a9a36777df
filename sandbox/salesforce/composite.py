"""sObject Collections (``/composite/sobjects``): create, update, delete up to 200 records.

Malformed requests (bad JSON, unknown field, a value of the wrong JSON type, more than 200
records) fail as a whole with 400. Otherwise the answer is 200 with one result per record,
in request order; save errors use ``statusCode``. With ``allOrNone`` nothing is saved when
any record fails, and the others report ALL_OR_NONE_OPERATION_ROLLED_BACK.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from typing import Any

from werkzeug.wrappers import Request, Response

from sandbox.core import json_response

from .errors import SfError
from .ids import to18
from .payload import parse_body, read_fields, token_locator
from .rest import rest_call
from .rows import RowRoutes
from .schema import ObjectDef
from .users import SfUser

MAX_RECORDS = 200
ROLLED_BACK = SfError(
    400,
    "ALL_OR_NONE_OPERATION_ROLLED_BACK",
    "Record rolled back because not all records were valid and the request "
    "was using AllOrNone header",
    [],
)
TOO_MANY = SfError(
    400,
    "EXCEEDED_ID_LIMIT",
    "record limit reached. cannot submit more than 200 records into this call",
)

# A prepared write: how to commit it, or the error that record gets.
Outcome = Callable[[], str] | SfError


def _failure(error: SfError) -> dict[str, Any]:
    return {"success": False, "errors": [error.collection_item()]}


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _finish(outcomes: list[Outcome], all_or_none: bool) -> Response:
    failed = any(isinstance(o, SfError) for o in outcomes)
    results: list[dict[str, Any]] = []
    for outcome in outcomes:
        if isinstance(outcome, SfError):
            results.append(_failure(outcome))
        elif failed and all_or_none:
            results.append(_failure(ROLLED_BACK))
        else:
            results.append({"id": outcome(), "success": True, "errors": []})
    return json_response(results)


def _as_record_error(error: SfError) -> SfError:
    """Inside collections a missing target is a bad cross reference, not a 404."""
    if error.error_code == "NOT_FOUND":
        return SfError(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", [])
    return error


class CollectionRoutes(RowRoutes):
    def _records_of(self, raw: str) -> tuple[list[dict[str, Any]], bool]:
        body = parse_body(raw)
        if not isinstance(body, dict) or not isinstance(body.get("records"), list):
            raise SfError(
                400,
                "JSON_PARSER_ERROR",
                "Cannot deserialize instance of "
                "SObjectCollectionRequest: 'records' must be a list of sObjects",
            )
        records = body["records"]
        if len(records) > MAX_RECORDS:
            raise TOO_MANY
        if not all(isinstance(r, dict) for r in records):
            raise SfError(
                400,
                "JSON_PARSER_ERROR",
                "Cannot deserialize instance of sObject from a value that is not a JSON object",
            )
        return records, _truthy(body.get("allOrNone", False))

    def _typed(self, record: dict[str, Any]) -> ObjectDef:
        attributes = record.get("attributes")
        type_name = attributes.get("type") if isinstance(attributes, dict) else None
        if not type_name:
            raise SfError(400, "INVALID_TYPE", "No SObject Type defined in the attributes")
        try:
            return self.object_def(str(type_name))
        except SfError:
            raise SfError(
                400, "INVALID_TYPE", f"sObject type '{type_name}' is not supported."
            ) from None

    def _read_all(
        self,
        raw: str,
        records: list[dict[str, Any]],
        user: SfUser,
        *,
        skip: tuple[str, ...] = (),
    ) -> list[tuple[ObjectDef, dict[str, Any]]]:
        """Deserialize every record first: any failure here rejects the whole request."""
        locate = token_locator(raw)
        seen: Counter[str] = Counter()
        typed = []
        for record in records:
            obj = self._typed(record)
            fields = {k: v for k, v in record.items() if k.lower() not in skip}
            typed.append((obj, read_fields(obj, fields, user, lambda key: locate(key, seen[key]))))
            seen.update(record.keys())
        return typed

    @rest_call
    def on_collections_create(self, request: Request, version: str, user: SfUser) -> Response:
        raw = request.get_data(as_text=True)
        records, all_or_none = self._records_of(raw)
        outcomes: list[Outcome] = []
        for obj, values in self._read_all(raw, records, user):
            try:
                prepared = self.prepare_insert(obj, values, user)
            except SfError as error:
                outcomes.append(error)
                continue
            outcomes.append(functools.partial(self.commit_insert, obj, prepared, user))
        return _finish(outcomes, all_or_none)

    @rest_call
    def on_collections_update(self, request: Request, version: str, user: SfUser) -> Response:
        raw = request.get_data(as_text=True)
        records, all_or_none = self._records_of(raw)
        typed = self._read_all(raw, records, user, skip=("id",))
        outcomes: list[Outcome] = []
        for record, (obj, values) in zip(records, typed, strict=True):
            record_id = record.get("id") or record.get("Id")
            outcomes.append(self._prepare_one_update(obj, record_id, values, user))
        return _finish(outcomes, all_or_none)

    def _prepare_one_update(
        self,
        obj: ObjectDef,
        record_id: Any,
        values: dict[str, Any],
        user: SfUser,
    ) -> Outcome:
        if not record_id:
            return SfError(400, "MISSING_ARGUMENT", "Id not specified in an update call", [])
        try:
            record = self.writable_record(obj, str(record_id), user)
            prepared = self.prepare_update(obj, record, values, user)
        except SfError as error:
            return _as_record_error(error)

        def commit() -> str:
            self.commit_update(obj, record, prepared, user)
            return str(record["Id"])

        return commit

    @rest_call
    def on_collections_delete(self, request: Request, version: str, user: SfUser) -> Response:
        ids = [i for i in request.args.get("ids", "").split(",") if i.strip()]
        if not ids:
            raise SfError(400, "MISSING_ARGUMENT", "ids parameter is required")
        if len(ids) > MAX_RECORDS:
            raise TOO_MANY
        all_or_none = _truthy(request.args.get("allOrNone", "false"))
        return _finish([self._prepare_one_delete(i.strip(), user) for i in ids], all_or_none)

    def _prepare_one_delete(self, record_id: str, user: SfUser) -> Outcome:
        object_name = self.store.object_of_id(record_id)
        if object_name is None:
            return SfError(400, "MALFORMED_ID", f"malformed id {record_id}", [])
        obj = self.catalog[object_name]
        try:
            self.writable_record(obj, record_id, user, deleting=True)
        except SfError as error:
            return _as_record_error(error)

        def commit() -> str:
            # An earlier delete in this call may have cascaded to this record already.
            if not self.store.tables[obj.name][to18(record_id)].get("IsDeleted"):
                self.store.soft_delete(obj.name, to18(record_id), user.id, self.clock())
            return to18(record_id)

        return commit
