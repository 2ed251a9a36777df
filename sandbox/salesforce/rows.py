"""sObject rows: create (POST), read (GET), update (PATCH), delete (DELETE) one record.

The prepare/commit halves are shared with sObject Collections, which must check every
record before saving any when ``allOrNone`` is set.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request, Response

from sandbox.core import json_response

from .errors import SfError, entity_deleted, malformed_id, no_access, not_found
from .ids import is_id_shaped
from .payload import parse_body, read_fields, token_locator
from .query import record_attributes
from .rest import RestRoutes, rest_call
from .schema import ObjectDef
from .store import Record
from .users import SfUser
from .validation import validate_save


class RowRoutes(RestRoutes):
    @rest_call
    def on_sobject_get(
        self,
        request: Request,
        version: str,
        user: SfUser,
        obj: str,
        record_id: str,
    ) -> Response:
        found = self.object_def(obj)
        if not is_id_shaped(record_id) or self.store.object_of_id(record_id) != found.name:
            raise not_found(
                "Provided external ID field does not exist or is not accessible: " + record_id
            )
        record = self.store.find(found.name, record_id)
        if record is None or record.get("IsDeleted") or not user.sees_record(found, record):
            raise not_found()
        names = self._selected_fields(found, user, request.args.get("fields"))
        body: dict[str, Any] = {"attributes": record_attributes(found.name, record["Id"], version)}
        body.update({name: record.get(name) for name in names})
        return json_response(body)

    def _selected_fields(self, obj: ObjectDef, user: SfUser, fields: str | None) -> list[str]:
        if not fields:
            return [f.name for f in user.visible_fields(obj)]
        names = []
        for name in (part.strip() for part in fields.split(",") if part.strip()):
            f = user.visible_field(obj, name)
            if f is None:
                raise SfError(400, "INVALID_FIELD", no_column_message(name, obj.name))
            names.append(f.name)
        return names

    @rest_call
    def on_sobject_create(self, request: Request, version: str, user: SfUser, obj: str) -> Response:
        found = self.object_def(obj)
        values = self._read_body(found, request, user)
        record_id = self.commit_insert(found, self.prepare_insert(found, values, user), user)
        return json_response({"id": record_id, "errors": [], "success": True}, 201)

    def _read_body(
        self, obj: ObjectDef, request: Request, user: SfUser, *, drop_id: bool = False
    ) -> dict[str, Any]:
        """The request's JSON object as typed field values (Id in a PATCH body is ignored)."""
        raw = request.get_data(as_text=True)
        payload = parse_body(raw)
        if not isinstance(payload, dict):
            raise SfError(
                400,
                "JSON_PARSER_ERROR",
                f"Cannot deserialize instance of {obj.name} from {_start_token(payload)} value "
                "or request may be missing a required field at [line:1, column:1]",
            )
        if drop_id:
            payload = {k: v for k, v in payload.items() if k.lower() != "id"}
        locate = token_locator(raw)
        return read_fields(obj, payload, user, lambda key: locate(key, 0))

    def prepare_insert(
        self, obj: ObjectDef, values: dict[str, Any], user: SfUser
    ) -> dict[str, Any]:
        if not obj.createable:
            raise SfError(
                400, "INVALID_TYPE_FOR_OPERATION", f"entity type cannot be inserted: {obj.name}", []
            )
        if "Id" in values:
            raise SfError(400, "INVALID_FIELD", "cannot specify Id in an insert call", ["Id"])
        return validate_save(obj, values, None, self.store, user)

    def commit_insert(self, obj: ObjectDef, values: dict[str, Any], user: SfUser) -> str:
        return str(self.store.insert(obj.name, values, user.id, self.clock())["Id"])

    @rest_call
    def on_sobject_update(
        self,
        request: Request,
        version: str,
        user: SfUser,
        obj: str,
        record_id: str,
    ) -> Response:
        found = self.object_def(obj)
        values = self._read_body(found, request, user, drop_id=True)
        record = self.writable_record(found, record_id, user)
        self.commit_update(found, record, self.prepare_update(found, record, values, user), user)
        return Response(status=204)

    def writable_record(
        self,
        obj: ObjectDef,
        record_id: str,
        user: SfUser,
        *,
        deleting: bool = False,
    ) -> Record:
        """The record a write targets, or the error Salesforce gives for that id."""
        if not is_id_shaped(record_id) or self.store.object_of_id(record_id) != obj.name:
            raise malformed_id(f"{obj.label} ID", record_id, "Id")
        record = self.store.find(obj.name, record_id)
        if record is None:
            raise not_found()
        if record.get("IsDeleted"):
            raise entity_deleted()
        if not obj.updateable or not user.edits_record(obj, record, deleting=deleting):
            raise no_access()
        return record

    def prepare_update(
        self,
        obj: ObjectDef,
        record: Record,
        values: dict[str, Any],
        user: SfUser,
    ) -> dict[str, Any]:
        return validate_save(obj, values, record, self.store, user)

    def commit_update(
        self,
        obj: ObjectDef,
        record: Record,
        values: dict[str, Any],
        user: SfUser,
    ) -> None:
        self.store.update(obj.name, record["Id"], values, user.id, self.clock())

    @rest_call
    def on_sobject_delete(
        self,
        request: Request,
        version: str,
        user: SfUser,
        obj: str,
        record_id: str,
    ) -> Response:
        found = self.object_def(obj)
        record = self.writable_record(found, record_id, user, deleting=True)
        self.store.soft_delete(found.name, record["Id"], user.id, self.clock())
        return Response(status=204)


def no_column_message(name: str, object_name: str) -> str:
    return (
        f"No such column '{name}' on entity '{object_name}'. If you are attempting to use a "
        "custom field, be sure to append the '__c' after the custom field name. Please "
        "reference your WSDL or the describe call for the appropriate names."
    )


def _start_token(value: Any) -> str:
    return "START_ARRAY" if isinstance(value, list) else "VALUE_STRING"
