"""Render describe, describeGlobal and basic-info payloads in the shape the real API sends.

Every field entry carries every key a recorded v48 describe has (see the fixtures); flags that
real orgs derive from the field type are derived here the same way.
"""

from __future__ import annotations

from typing import Any

from .schema import ID_TYPES, NUMBER_TYPES, TEXT_TYPES, FieldDef, ObjectDef

_SOAP_TYPES = {
    "id": "tns:ID",
    "reference": "tns:ID",
    "boolean": "xsd:boolean",
    "int": "xsd:int",
    "double": "xsd:double",
    "currency": "xsd:double",
    "percent": "xsd:double",
    "date": "xsd:date",
    "datetime": "xsd:dateTime",
    "time": "xsd:time",
    "address": "urn:address",
}
_UNGROUPABLE = NUMBER_TYPES | {"datetime", "multipicklist", "address"}


def _byte_length(f: FieldDef) -> int:
    if f.type in ID_TYPES:
        return 18
    return f.length * 3 if f.type in TEXT_TYPES else 0


def _picklist_values(f: FieldDef) -> list[dict[str, Any]]:
    return [
        {
            "active": True,
            "defaultValue": value == f.picklist_default,
            "label": value,
            "validFor": None,
            "value": value,
        }
        for value in f.picklist
    ]


def field_describe(f: FieldDef) -> dict[str, Any]:
    long_text = f.is_long_text
    return {
        "aggregatable": not (long_text or f.type in {"boolean", "multipicklist", "address"}),
        "aiPredictionField": False,
        "autoNumber": f.auto_number,
        "byteLength": _byte_length(f),
        "calculated": f.calculated,
        "calculatedFormula": f.formula,
        "cascadeDelete": False,
        "caseSensitive": False,
        "compoundFieldName": f.compound_field_name,
        "controllerName": None,
        "createable": f.createable,
        "custom": f.custom,
        "defaultValue": f.default_value,
        "defaultValueFormula": None,
        "defaultedOnCreate": f.defaulted_on_create,
        "dependentPicklist": False,
        "deprecatedAndHidden": False,
        "digits": f.digits,
        "displayLocationInDecimal": False,
        "encrypted": False,
        "externalId": f.external_id,
        "extraTypeInfo": f.extra_type_info,
        "filterable": not long_text,
        "filteredLookupInfo": None,
        "formulaTreatNullNumberAsZero": False,
        "groupable": not (long_text or f.type in _UNGROUPABLE),
        "highScaleNumber": False,
        "htmlFormatted": False,
        "idLookup": f.id_lookup,
        "inlineHelpText": None,
        "label": f.label,
        "length": f.length if f.type in TEXT_TYPES | ID_TYPES else 0,
        "mask": None,
        "maskType": None,
        "name": f.name,
        "nameField": f.name_field,
        "namePointing": f.polymorphic,
        "nillable": f.nillable,
        "permissionable": f.nillable and not f.system and f.writable,
        "picklistValues": _picklist_values(f),
        "polymorphicForeignKey": f.polymorphic,
        "precision": f.precision,
        "queryByDistance": False,
        "referenceTargetField": None,
        "referenceTo": list(f.reference_to),
        "relationshipName": f.relationship_name,
        "relationshipOrder": None,
        "restrictedDelete": False,
        "restrictedPicklist": f.restricted,
        "scale": f.scale,
        "searchPrefilterable": False,
        "soapType": _SOAP_TYPES.get(f.type, "xsd:string"),
        "sortable": not (long_text or f.type in {"multipicklist", "address"}),
        "type": f.type,
        "unique": f.unique,
        "updateable": f.updateable,
        "writeRequiresMasterRead": False,
    }


def _urls(obj: ObjectDef, version: str, base_url: str, *, ui: bool) -> dict[str, str]:
    root = f"/services/data/v{version}/sobjects/{obj.name}"
    urls = {
        "compactLayouts": f"{root}/describe/compactLayouts",
        "rowTemplate": f"{root}/{{ID}}",
        "approvalLayouts": f"{root}/describe/approvalLayouts",
    }
    if ui:
        urls["uiDetailTemplate"] = f"{base_url}/{{ID}}"
        urls["uiEditTemplate"] = f"{base_url}/{{ID}}/e"
    urls.update(
        {
            "defaultValues": f"{root}/defaultValues?recordTypeId&fields",
            "listviews": f"{root}/listviews",
            "describe": f"{root}/describe",
        }
    )
    if ui:
        urls["uiNewRecord"] = f"{base_url}/{obj.key_prefix}/e"
    urls.update(
        {
            "quickActions": f"{root}/quickActions",
            "layouts": f"{root}/describe/layouts",
            "sobject": root,
        }
    )
    return urls


def global_entry(obj: ObjectDef, version: str, base_url: str) -> dict[str, Any]:
    """One sobjects[] entry of describeGlobal (also the objectDescribe of basic info)."""
    return {
        "activateable": False,
        "createable": obj.createable,
        "custom": obj.custom,
        "customSetting": False,
        "deepCloneable": False,
        "deletable": obj.deletable,
        "deprecatedAndHidden": False,
        "feedEnabled": obj.feed_enabled,
        "hasSubtypes": False,
        "isInterface": False,
        "isSubtype": False,
        "keyPrefix": obj.key_prefix,
        "label": obj.label,
        "labelPlural": obj.label_plural,
        "layoutable": True,
        "mergeable": obj.mergeable,
        "mruEnabled": True,
        "name": obj.name,
        "queryable": True,
        "replicateable": True,
        "retrieveable": True,
        "searchable": True,
        "triggerable": True,
        "undeletable": obj.deletable,
        "updateable": obj.updateable,
        "urls": _urls(obj, version, base_url, ui=False),
    }


def _child(rel: Any) -> dict[str, Any]:
    return {
        "cascadeDelete": rel.cascade_delete,
        "childSObject": rel.child,
        "deprecatedAndHidden": False,
        "field": rel.field,
        "junctionIdListNames": [],
        "junctionReferenceTo": [],
        "relationshipName": rel.name,
        "restrictedDelete": False,
    }


def _scopes(obj: ObjectDef) -> list[dict[str, str]]:
    plural = obj.label_plural.lower()
    if obj.name == "User":
        return [{"label": "All users", "name": "everything"}]
    return [
        {"label": f"All {plural}", "name": "everything"},
        {"label": f"My {plural}", "name": "mine"},
        {"label": f"My team's {plural}", "name": "team"},
    ]


def object_describe(
    obj: ObjectDef, fields: list[FieldDef], version: str, base_url: str
) -> dict[str, Any]:
    """Full describe of ``obj`` showing only ``fields`` (the ones the user may see)."""
    master = "012000000000000AAA"
    record_types = (
        []
        if obj.name == "User"
        else [
            {
                "active": True,
                "available": True,
                "defaultRecordTypeMapping": True,
                "developerName": "Master",
                "master": True,
                "name": "Master",
                "recordTypeId": master,
                "urls": {
                    "layout": f"/services/data/v{version}/sobjects/{obj.name}/describe/layouts/"
                    f"{master}"
                },
            }
        ]
    )
    entry = global_entry(obj, version, base_url)
    entry.update(
        {
            "actionOverrides": [],
            "childRelationships": [_child(c) for c in obj.children],
            "compactLayoutable": True,
            "defaultImplementation": None,
            "extendedBy": None,
            "extendsInterfaces": None,
            "fields": [field_describe(f) for f in fields],
            "implementedBy": None,
            "implementsInterfaces": None,
            "listviewable": None,
            "lookupLayoutable": None,
            "namedLayoutInfos": [],
            "networkScopeFieldName": None,
            "recordTypeInfos": record_types,
            "searchLayoutable": True,
            "supportedScopes": _scopes(obj),
            "urls": _urls(obj, version, base_url, ui=True),
        }
    )
    return dict(sorted(entry.items()))
