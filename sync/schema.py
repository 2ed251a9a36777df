"""Resolve workflow field names against describe results (pure, given a describe function).

Only names that come out of here are ever put into SOQL: this is what keeps user input
out of identifiers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sync.errors import ConfigurationError, SyncbotError
from sync.model import SalesforceField, SalesforceType
from sync.ports import ObjectDescribe

Describe = Callable[[str], ObjectDescribe]

MAX_PARENT_DEPTH = 5  # SOQL allows five levels of child-to-parent relationships


def resolve_field(describe: Describe, object_name: str, path: str) -> SalesforceField:
    """The describe entry for `path` on `object_name`, with canonical names.

    `Account.Owner.Email` on Opportunity walks AccountId → Account.OwnerId → User.Email; the
    result is named with the canonical path and is never writable (related fields are
    Salesforce → sheet only).
    """
    parts = path.split(".")
    if not all(parts) or len(parts) > MAX_PARENT_DEPTH + 1:
        raise ConfigurationError(f"“{path}” is not a field name on {object_name}.")
    current = describe(object_name)
    canonical: list[str] = []
    for relationship in parts[:-1]:
        lookup = _relationship(current, relationship)
        if lookup is None or not lookup.reference_to:
            raise ConfigurationError(
                f"{current.name} has no lookup called “{relationship}” that you can see."
            )
        canonical.append(lookup.relationship_name or relationship)
        current = _describe_target(describe, lookup.reference_to)
    leaf = current.field_named(parts[-1])
    if leaf is None:
        raise ConfigurationError(
            f"{current.name} has no field “{parts[-1]}” that you can see "
            "(it may not exist, or your Salesforce profile hides it)."
        )
    if not canonical:
        return leaf
    full = ".".join([*canonical, leaf.name])
    return replace(
        leaf, name=full, label=f"{canonical[-1]} {leaf.label}", createable=False, updateable=False
    )


def _describe_target(describe: Describe, targets: tuple[str, ...]) -> ObjectDescribe:
    """A polymorphic lookup (Case.Owner: Group or User) names several objects; the first
    one the user can describe stands for the parent (Owner.Name is on both)."""
    for target in targets[:-1]:
        try:
            return describe(target)
        except SyncbotError:
            continue
    return describe(targets[-1])


def _relationship(describe: ObjectDescribe, name: str) -> SalesforceField | None:
    lowered = name.lower()
    for candidate in describe.fields.values():
        if candidate.type is SalesforceType.REFERENCE and (
            (candidate.relationship_name or "").lower() == lowered
        ):
            return candidate
    return None
